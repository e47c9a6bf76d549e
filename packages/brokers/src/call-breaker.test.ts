import {
  type BrokerBreakerEvent,
  createBrokerBreaker,
  fold,
  manualClock,
  parseIsoInstant,
  toIsoUtc,
} from "@trader/core";
import { createMemoryStore } from "@trader/store";
import { describe, expect, it } from "vitest";
import { isBrokerCallFailure, withCallBreaker } from "./call-breaker.js";
import { withFaults } from "./faults.js";
import { openPaperSimulator } from "./paper-simulator.js";
import { type Broker, BrokerError, type BrokerErrorKind } from "./port.js";

const START = "2026-03-02T14:30:00.000Z";
const instantAt = (seconds: number) => toIsoUtc(parseIsoInstant(START) + seconds * 1000);

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error,
  );

/** A simulator whose account() times out while `failing` says so, behind the breaker. */
async function setup() {
  const clock = manualClock(START);
  const sim = await openPaperSimulator({
    store: createMemoryStore(),
    account: "acct",
    clock,
    initialCashCents: 100_000,
  });
  const faults = { failing: true };
  const broker = withFaults(sim, [
    { method: "account", when: () => faults.failing, fault: { kind: "timeout" } },
  ]);
  const recorded: BrokerBreakerEvent[] = [];
  const guarded = withCallBreaker(broker, {
    clock,
    record: (events) => void recorded.push(...events),
  });
  const timeOutFiveTimes = async () => {
    for (let i = 0; i < 5; i++) {
      expect(await rejection(guarded.account())).toMatchObject({ kind: "timeout" });
      clock.advance(1_000);
    }
  };
  return { clock, broker, guarded, recorded, faults, timeOutFiveTimes };
}

describe("broker call breaker wrapper", () => {
  it("opens after 5 consecutive timeouts and then fails fast without reaching the broker", async () => {
    const { broker, guarded, recorded, timeOutFiveTimes } = await setup();
    await timeOutFiveTimes();
    expect(guarded.state()).toMatchObject({
      status: "OPEN",
      retryAt: instantAt(64),
      recoveryMs: 60_000,
    });
    expect(recorded.at(-1)).toEqual({
      type: "BrokerBreakerOpened",
      data: {
        at: instantAt(4),
        reason: "consecutive_failures",
        consecutiveFailures: 5,
        recoveryMs: 60_000,
        retryAt: instantAt(64),
      },
    });
    const accountCallsBefore = broker.injected().length;
    const error = await rejection(guarded.account());
    expect(error).toBeInstanceOf(BrokerError);
    expect(error).toMatchObject({
      kind: "circuit_open",
      detail: { retryAt: instantAt(64), method: "account" },
    });
    expect(
      await rejection(
        guarded.submitOrder({
          clientOrderId: "x",
          symbol: "QQQ",
          side: "buy",
          quantity: 1,
          decisionPrice: 1,
        }),
      ),
    ).toMatchObject({ kind: "circuit_open" });
    // Neither call reached the wrapped broker, nor even the fault injector in front of it.
    expect(broker.injected()).toHaveLength(accountCallsBefore);
    expect(broker.callsReachingBroker()).toBe(0);
    expect(recorded.at(-1)?.type).toBe("BrokerBreakerOpened");
  });

  it("lets one trial call through after 60 s; its success closes the circuit", async () => {
    const { clock, broker, guarded, recorded, faults, timeOutFiveTimes } = await setup();
    await timeOutFiveTimes();
    clock.set(instantAt(63.999));
    expect(await rejection(guarded.account())).toMatchObject({ kind: "circuit_open" });
    clock.set(instantAt(64));
    faults.failing = false;
    expect(await guarded.account()).toMatchObject({ cashCents: 100_000 });
    expect(broker.callsReachingBroker("account")).toBe(1);
    expect(recorded.slice(-4).map((e) => e.type)).toEqual([
      "BrokerBreakerHalfOpened",
      "BrokerBreakerCallPermitted",
      "BrokerBreakerCallSucceeded",
      "BrokerBreakerClosed",
    ]);
    expect(guarded.state()).toMatchObject({ status: "CLOSED", consecutiveFailures: 0 });
  });

  it("re-opens for 120 s when the trial call fails", async () => {
    const { clock, guarded, timeOutFiveTimes } = await setup();
    await timeOutFiveTimes();
    clock.set(instantAt(64));
    expect(await rejection(guarded.account())).toMatchObject({ kind: "timeout" });
    expect(guarded.state()).toMatchObject({
      status: "OPEN",
      recoveryMs: 120_000,
      retryAt: instantAt(184),
    });
    clock.set(instantAt(183));
    expect(await rejection(guarded.account())).toMatchObject({ kind: "circuit_open" });
  });

  it("fails fast while the trial call is still out", async () => {
    const { clock, guarded, faults, timeOutFiveTimes } = await setup();
    await timeOutFiveTimes();
    clock.set(instantAt(64));
    faults.failing = false;
    const trial = guarded.account();
    expect(await rejection(guarded.positions())).toMatchObject({
      kind: "circuit_open",
      detail: { method: "positions" },
    });
    await trial;
    expect(await guarded.positions()).toEqual([]);
  });

  it("records events that fold to its state", async () => {
    const { clock, guarded, recorded, faults, timeOutFiveTimes } = await setup();
    await timeOutFiveTimes();
    clock.set(instantAt(64));
    faults.failing = false;
    await guarded.account();
    expect(fold(createBrokerBreaker(), recorded)).toEqual(guarded.state());
    expect(guarded.state().counts).toEqual({ calls: 6, successes: 1, failures: 5, opens: 1 });
  });

  it("counts answers as successes: refusals by the broker never open the circuit", async () => {
    const answers: BrokerErrorKind[] = [
      "rejected",
      "duplicate_client_order_id",
      "not_found",
      "invalid_request",
      "auth",
    ];
    let next = 0;
    const refusing: Broker = {
      name: "refusing",
      account: async () => {
        throw new BrokerError(answers[next++ % answers.length] as BrokerErrorKind, "no");
      },
      positions: async () => [],
      submitOrder: async () => {
        throw new Error("unused");
      },
      orderByClientId: async () => null,
      cancelOrder: async () => {},
      ordersSince: async () => [],
    };
    const guarded = withCallBreaker(refusing, { clock: manualClock(START), record: () => {} });
    for (let i = 0; i < 10; i++) await rejection(guarded.account());
    expect(guarded.state()).toMatchObject({ status: "CLOSED", consecutiveFailures: 0 });
    expect(guarded.state().counts).toMatchObject({ successes: 10, failures: 0 });
  });

  it("classifies infrastructure failures: timeout, unavailable, protocol and any other exception", () => {
    for (const kind of ["timeout", "unavailable", "protocol", "circuit_open"] as const) {
      expect(isBrokerCallFailure(new BrokerError(kind, "x"))).toBe(true);
    }
    expect(isBrokerCallFailure(new TypeError("fetch failed"))).toBe(true);
    for (const kind of ["rejected", "auth", "not_found"] as const) {
      expect(isBrokerCallFailure(new BrokerError(kind, "x"))).toBe(false);
    }
  });

  it("after a restart, fails the calls the last process left in flight before the next call", async () => {
    const clock = manualClock(START);
    const recorded: BrokerBreakerEvent[] = [];
    const breaker = createBrokerBreaker();
    const previous = fold(breaker, [
      {
        type: "BrokerBreakerCallPermitted",
        data: { callId: "sim-call-1", at: START, trial: false },
      },
    ]);
    const sim = await openPaperSimulator({
      store: createMemoryStore(),
      account: "a",
      clock,
      initialCashCents: 0,
    });
    const guarded = withCallBreaker(sim, {
      clock,
      initialState: previous,
      record: (e) => void recorded.push(...e),
    });
    await guarded.positions();
    expect(recorded.map((e) => [e.type, "callId" in e.data ? e.data.callId : null])).toEqual([
      ["BrokerBreakerCallFailed", "sim-call-1"],
      ["BrokerBreakerCallPermitted", "simulator-call-2"],
      ["BrokerBreakerCallSucceeded", "simulator-call-2"],
    ]);
    expect(guarded.state().inFlight).toEqual([]);
  });

  it("does not call the broker when the permission cannot be recorded", async () => {
    const clock = manualClock(START);
    const broker = withFaults(
      await openPaperSimulator({
        store: createMemoryStore(),
        account: "a",
        clock,
        initialCashCents: 0,
      }),
      [],
    );
    const guarded = withCallBreaker(broker, {
      clock,
      record: async () => {
        throw new Error("disk full");
      },
    });
    await expect(guarded.account()).rejects.toThrow("disk full");
    expect(broker.callsReachingBroker()).toBe(0);
    expect(guarded.state().counts.calls).toBe(0);
  });
});
