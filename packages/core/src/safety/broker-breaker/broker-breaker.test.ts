import { describe, expect, it } from "vitest";
import { runCommands } from "../../decider/decider.js";
import { toMermaid } from "../../decider/transition-table.js";
import { createEventRegistry } from "../../events/registry.js";
import { manualClock, parseIsoInstant, toIsoUtc } from "../../ports/clock.js";
import { seededIds } from "../../ports/ids.js";
import { scenario } from "../../testing/scenario.js";
import {
  BROKER_BREAKER_EVENTS,
  BROKER_BREAKER_TABLE,
  type BrokerBreakerCommand,
  brokerBreakerConfigSchema,
  createBrokerBreaker,
  DEFAULT_BROKER_BREAKER_CONFIG,
} from "./index.js";

const breaker = createBrokerBreaker();
const START = parseIsoInstant("2026-03-02T14:30:00Z");
/** The instant `seconds` after the start of the examples. */
const at = (seconds: number) => toIsoUtc(START + seconds * 1000);

const request = (callId: string, seconds: number): BrokerBreakerCommand => ({
  type: "RequestCall",
  callId,
  at: at(seconds),
});
const succeed = (callId: string, seconds: number): BrokerBreakerCommand => ({
  type: "RecordSuccess",
  callId,
  at: at(seconds),
});
const fail = (callId: string, seconds: number): BrokerBreakerCommand => ({
  type: "RecordFailure",
  callId,
  at: at(seconds),
  error: "timeout",
});
/** `count` calls that fail, one a second from `fromSecond`, named `prefix-0`, `prefix-1`, … */
const failingCalls = (count: number, fromSecond = 0, prefix = "f") =>
  Array.from({ length: count }, (_, i) => [
    request(`${prefix}-${i}`, fromSecond + i),
    fail(`${prefix}-${i}`, fromSecond + i),
  ]).flat();

/** The events of commands that must all be accepted: the "given" of an example. */
function history(commands: readonly BrokerBreakerCommand[], decider = breaker) {
  const run = runCommands(decider, commands);
  expect(run.refusals).toEqual([]);
  return run.events;
}

describe("broker call breaker: CLOSED", () => {
  it("lets calls through and counts calls, successes and failures", () => {
    const { state } = scenario(breaker)
      .given(history([request("a", 0), succeed("a", 1), request("b", 2), fail("b", 3)]))
      .when(request("c", 4))
      .thenEvents([
        { type: "BrokerBreakerCallPermitted", data: { callId: "c", at: at(4), trial: false } },
      ]);
    expect(state.status).toBe("CLOSED");
    expect(state.counts).toEqual({ calls: 3, successes: 1, failures: 1, opens: 0 });
    expect(state.inFlight).toEqual(["c"]);
  });

  it("stays CLOSED after 4 failures in a row", () => {
    const { state } = scenario(breaker)
      .given(history([...failingCalls(3), request("f-3", 3)]))
      .when(fail("f-3", 3))
      .thenEvents([
        { type: "BrokerBreakerCallFailed", data: { callId: "f-3", at: at(3), error: "timeout" } },
      ]);
    expect(state.status).toBe("CLOSED");
    expect(state.consecutiveFailures).toBe(4);
  });

  it("opens on the 5th consecutive failure, for 60 s", () => {
    const { state } = scenario(breaker)
      .given(history([...failingCalls(4), request("f-4", 4)]))
      .when(fail("f-4", 4))
      .thenEvents([
        { type: "BrokerBreakerCallFailed", data: { callId: "f-4", at: at(4), error: "timeout" } },
        {
          type: "BrokerBreakerOpened",
          data: {
            at: at(4),
            reason: "consecutive_failures",
            consecutiveFailures: 5,
            recoveryMs: 60_000,
            retryAt: at(64),
          },
        },
      ]);
    expect(state.status).toBe("OPEN");
    expect(state.counts).toEqual({ calls: 5, successes: 0, failures: 5, opens: 1 });
  });

  it("counts only failures in a row: a success in between starts the count again", () => {
    const { events } = runCommands(breaker, [
      ...failingCalls(4, 0, "a"),
      request("ok", 4),
      succeed("ok", 4),
      ...failingCalls(4, 5, "b"),
    ]);
    expect(events.map((e) => e.type)).not.toContain("BrokerBreakerOpened");
  });
});

describe("broker call breaker: OPEN fails fast", () => {
  const opened = history(failingCalls(5)); // opened at 4 s, retry at 64 s

  it("refuses a call before the 60 s have passed, naming when to retry", () => {
    const refusal = scenario(breaker)
      .given(opened)
      .when(request("early", 63.999))
      .thenRefused("circuit_open", at(64));
    expect(refusal.detail).toMatchObject({ retryAt: at(64), retryInMs: 1 });
  });

  it("after 60 s lets one trial call through, moving to HALF_OPEN", () => {
    const { state } = scenario(breaker)
      .given(opened)
      .when(request("trial", 64))
      .thenEvents([
        { type: "BrokerBreakerHalfOpened", data: { at: at(64) } },
        { type: "BrokerBreakerCallPermitted", data: { callId: "trial", at: at(64), trial: true } },
      ]);
    expect(state.status).toBe("HALF_OPEN");
    expect(state.trialCallId).toBe("trial");
  });

  it("refuses a second call while the trial is in flight", () => {
    scenario(breaker)
      .given(history([...failingCalls(5), request("trial", 64)]))
      .when(request("second", 65))
      .thenRefused("trial_in_flight", "trial");
  });
});

describe("broker call breaker: HALF_OPEN trial", () => {
  const trialInFlight = history([...failingCalls(5), request("trial", 64)]);

  it("closes when the trial succeeds, and the backoff starts over", () => {
    const { state } = scenario(breaker)
      .given(trialInFlight)
      .when(succeed("trial", 65))
      .thenEvents([
        { type: "BrokerBreakerCallSucceeded", data: { callId: "trial", at: at(65) } },
        { type: "BrokerBreakerClosed", data: { at: at(65), trialCallId: "trial" } },
      ]);
    expect(state.status).toBe("CLOSED");
    expect(state.consecutiveFailures).toBe(0);

    // Five more failures open it for 60 s again, not 120 s.
    const reopened = history([
      ...failingCalls(5),
      request("trial", 64),
      succeed("trial", 65),
      ...failingCalls(5, 100, "g"),
    ]);
    expect(reopened.at(-1)).toMatchObject({
      type: "BrokerBreakerOpened",
      data: { recoveryMs: 60_000, retryAt: at(164) },
    });
  });

  it("re-opens with a doubled timeout when the trial fails", () => {
    const { state } = scenario(breaker)
      .given(trialInFlight)
      .when(fail("trial", 65))
      .thenEvents([
        {
          type: "BrokerBreakerCallFailed",
          data: { callId: "trial", at: at(65), error: "timeout" },
        },
        {
          type: "BrokerBreakerOpened",
          data: {
            at: at(65),
            reason: "trial_failed",
            consecutiveFailures: 6,
            recoveryMs: 120_000,
            retryAt: at(185),
          },
        },
      ]);
    expect(state.counts.opens).toBe(2);
  });

  it("doubles on each re-open up to the 15 minute cap: 60, 120, 240, 480, 900, 900 s", () => {
    const commands: BrokerBreakerCommand[] = failingCalls(5);
    let now = 4;
    const timeouts: number[] = [];
    for (let reopen = 0; reopen < 6; reopen++) {
      const run = runCommands(breaker, commands);
      const state = run.state;
      timeouts.push((state.recoveryMs ?? 0) / 1000);
      now = (parseIsoInstant(state.retryAt ?? at(0)) - START) / 1000;
      commands.push(request(`trial-${reopen}`, now), fail(`trial-${reopen}`, now + 1));
    }
    expect(timeouts).toEqual([60, 120, 240, 480, 900, 900]);
  });

  it("counts a late result of a call let through before the opening, without closing", () => {
    const lateSuccess = history([request("slow", 0), ...failingCalls(5, 1), request("trial", 65)]);
    const { state } = scenario(breaker)
      .given(lateSuccess)
      .when(succeed("slow", 66))
      .thenEvents([{ type: "BrokerBreakerCallSucceeded", data: { callId: "slow", at: at(66) } }]);
    expect(state.status).toBe("HALF_OPEN");
    expect(state.trialCallId).toBe("trial");
    expect(state.counts).toMatchObject({ calls: 7, successes: 1, failures: 5 });
  });
});

describe("broker call breaker: results match their calls", () => {
  it("refuses a result for a call never let through or already reported", () => {
    scenario(breaker).when(succeed("ghost", 0)).thenRefused("call_not_in_flight", "ghost");
    scenario(breaker)
      .given(history([request("a", 0), succeed("a", 1)]))
      .when(fail("a", 2))
      .thenRefused("call_not_in_flight");
  });

  it("refuses a second call under an id still in flight", () => {
    scenario(breaker)
      .given(history([request("a", 0)]))
      .when(request("a", 1))
      .thenRefused("call_in_flight");
  });

  it("refuses a time that is not an ISO-8601 UTC instant", () => {
    scenario(breaker)
      .when({ type: "RequestCall", callId: "a", at: "2026-03-02 14:30" })
      .thenRefused("invalid_command", "ISO-8601");
  });
});

describe("broker call breaker: configuration", () => {
  it("defaults to the spec's numbers", () => {
    expect(DEFAULT_BROKER_BREAKER_CONFIG).toEqual({
      failureThreshold: 5,
      recoveryMs: 60_000,
      backoffMultiplier: 2,
      maxRecoveryMs: 900_000,
    });
  });

  it("refuses a first timeout longer than the cap, naming the field", () => {
    const parsed = brokerBreakerConfigSchema.safeParse({
      recoveryMs: 60_000,
      maxRecoveryMs: 30_000,
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["maxRecoveryMs"]);
    expect(() => createBrokerBreaker({ config: { failureThreshold: 0 } })).toThrow(
      /failureThreshold/,
    );
  });

  it("follows a configured threshold and timeout (3 failures, 30 s)", () => {
    const strict = createBrokerBreaker({ config: { failureThreshold: 3, recoveryMs: 30_000 } });
    const events = history(failingCalls(3), strict);
    expect(events.at(-1)).toMatchObject({
      type: "BrokerBreakerOpened",
      data: { recoveryMs: 30_000, retryAt: at(32) },
    });
  });
});

describe("broker call breaker: events and table", () => {
  it("emits events that pass their schemas when stamped for the store", () => {
    const registry = createEventRegistry(BROKER_BREAKER_EVENTS);
    const events = history([...failingCalls(5), request("trial", 64), fail("trial", 65)]);
    const context = {
      clock: manualClock(at(0)),
      ids: seededIds("broker-breaker"),
      runId: "live:acct:2026-03-02:close",
      mode: "live" as const,
    };
    expect(registry.stamp(events, context)).toHaveLength(events.length);
  });

  it("draws its table as a diagram", () => {
    expect(toMermaid(BROKER_BREAKER_TABLE)).toContain("OPEN --> HALF_OPEN: RequestCall");
  });
});
