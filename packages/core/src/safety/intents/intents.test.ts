import { describe, expect, it } from "vitest";
import { runCommands } from "../../decider/decider.js";
import { createEventRegistry } from "../../events/registry.js";
import { fixedClock } from "../../ports/clock.js";
import { seededIds } from "../../ports/ids.js";
import { scenario } from "../../testing/scenario.js";
import {
  averageFillPriceCents,
  duplicateIntentDetail,
  INTENT_EVENTS,
  type IntentCommand,
  type IntentEvent,
  type IntentIdParts,
  intentBook,
  intentId,
} from "./index.js";

const spy: IntentIdParts = {
  runId: "live:acct-1:2026-03-02:close",
  strategy: "hierarchical-adaptive",
  symbol: "SPY",
  side: "buy",
  targetQuantity: 100,
  timeBucket: "20260302_20",
};
const id = intentId(spy);
const at = (minute: number, second = 0) =>
  `2026-03-02T20:${String(minute).padStart(2, "0")}:${String(second).padStart(2, "0")}Z`;

const create: IntentCommand = { type: "CreateIntent", at: at(50), ...spy };
const submit: IntentCommand = { type: "SubmitIntent", at: at(50, 1), intentId: id };
const ack: IntentCommand = {
  type: "RecordAck",
  at: at(50, 2),
  intentId: id,
  brokerOrderId: "b-77",
};
const timeout: IntentCommand = {
  type: "MarkOutcomeUnknown",
  at: at(50, 31),
  intentId: id,
  cause: "timeout",
};
const fill = (executionId: string, quantity: number, priceCents: number, second = 3) =>
  ({
    type: "RecordFill",
    at: at(50, second),
    intentId: id,
    executionId,
    quantity,
    priceCents,
  }) satisfies IntentCommand;
const filled = (command: ReturnType<typeof fill>): IntentEvent => {
  const { type: _type, ...data } = command;
  return { type: "IntentFillRecorded", data };
};

/** The events of commands that must all be accepted: the "given" of an example. */
function history(...commands: IntentCommand[]) {
  const run = runCommands(intentBook, commands);
  expect(run.refusals).toEqual([]);
  return run.events;
}

describe("order intents: creation", () => {
  it("creates an intent under its deterministic id", () => {
    const { state } = scenario(intentBook)
      .when(create)
      .thenEvents([{ type: "IntentCreated", data: { intentId: id, ...spy, at: at(50) } }]);
    expect(state.intents[id]).toMatchObject({ status: "CREATED", filledQuantity: 0 });
  });

  it("refuses a second CREATED for the same id as duplicate_intent, with what the kill switch needs", () => {
    const refusal = scenario(intentBook)
      .given(history(create, submit))
      .when({ ...create, at: at(55) })
      .thenRefused("duplicate_intent", id);
    const detail = duplicateIntentDetail(refusal);
    expect(detail).toMatchObject({
      intentId: id,
      strategy: "hierarchical-adaptive",
      at: at(55),
      existingStatus: "SUBMITTED",
    });
    expect(duplicateIntentDetail({ code: "overfill", message: "" })).toBeNull();
  });

  it("keeps many intents in one stream, each on its own", () => {
    const qqq = { ...spy, symbol: "QQQ", side: "sell" as const, targetQuantity: 30 };
    const run = runCommands(intentBook, [
      create,
      { type: "CreateIntent", at: at(50), ...qqq },
      submit,
      { type: "CancelIntent", at: at(51), intentId: intentId(qqq), reason: "operator" },
    ]);
    expect(run.refusals).toEqual([]);
    expect(run.state.intents[id]?.status).toBe("SUBMITTED");
    expect(run.state.intents[intentId(qqq)]?.status).toBe("CANCELED");
  });
});

describe("order intents: the lifecycle", () => {
  it("goes CREATED → SUBMITTED → ACKED → PARTIAL → FILLED, with the average fill price", () => {
    const first = fill("x-1", 40, 45_000);
    const second = fill("x-2", 60, 45_090, 4);
    const partial = scenario(intentBook)
      .given(history(create, submit, ack))
      .when(first)
      .thenEvents([filled(first)]);
    expect(partial.state.intents[id]).toMatchObject({ status: "PARTIAL", filledQuantity: 40 });
    const done = scenario(intentBook)
      .given(history(create, submit, ack, first))
      .when(second)
      .thenEvents([filled(second)]);
    const intent = done.state.intents[id];
    expect(intent).toMatchObject({ status: "FILLED", filledQuantity: 100, brokerOrderId: "b-77" });
    // (40 × $450.00 + 60 × $450.90) / 100 = $450.54
    expect(intent && averageFillPriceCents(intent)).toBe(45_054);
  });

  it("takes a fill before the ack as the ack, and ignores the ack arriving after it", () => {
    const early = fill("x-1", 100, 45_000);
    const { state } = scenario(intentBook)
      .given(history(create, submit))
      .when(early)
      .thenEvents([filled(early)]);
    expect(state.intents[id]?.status).toBe("FILLED");
    scenario(intentBook)
      .given(history(create, submit, early))
      .when(ack)
      .thenEvents([]);
  });

  it("ignores a fill reported twice (same execution id)", () => {
    const once = fill("x-1", 40, 45_000);
    const { state } = scenario(intentBook)
      .given(history(create, submit, ack, once))
      .when({ ...once, at: at(52) })
      .thenEvents([]);
    expect(state.intents[id]?.filledQuantity).toBe(40);
  });

  it("refuses a fill beyond the ordered quantity", () => {
    const refusal = scenario(intentBook)
      .given(history(create, submit, ack, fill("x-1", 60, 45_000)))
      .when(fill("x-2", 41, 45_000))
      .thenRefused("overfill", "101 of 100");
    expect(refusal.detail).toMatchObject({ filledQuantity: 60, quantity: 41, targetQuantity: 100 });
  });

  it("ends REJECTED, CANCELED or EXPIRED, and a terminal intent does not move", () => {
    scenario(intentBook)
      .given(history(create, submit))
      .when({
        type: "RecordRejection",
        at: at(51),
        intentId: id,
        reason: "insufficient buying power",
      })
      .thenEvents([
        {
          type: "IntentRejected",
          data: { intentId: id, at: at(51), reason: "insufficient buying power" },
        },
      ]);
    const rejected = history(create, submit, {
      type: "RecordRejection",
      at: at(51),
      intentId: id,
      reason: "insufficient buying power",
    });
    scenario(intentBook)
      .given(rejected)
      .when(ack)
      .thenRefused("illegal_transition", "REJECTED (terminal)");
    scenario(intentBook)
      .given(rejected)
      .when(fill("x-1", 1, 45_000))
      .thenRefused("illegal_transition");
    scenario(intentBook)
      .given(history(create, submit, ack, fill("x-1", 100, 45_000)))
      .when({ type: "CancelIntent", at: at(52), intentId: id, reason: "operator" })
      .thenRefused("illegal_transition", "FILLED (terminal): CancelIntent");
    scenario(intentBook)
      .given(
        history(create, { type: "ExpireIntent", at: at(59), intentId: id, reason: "run over" }),
      )
      .when(submit)
      .thenRefused("illegal_transition", "EXPIRED");
  });

  it("refuses illegal transitions, naming the state and the command", () => {
    const refusal = scenario(intentBook)
      .given(history(create, submit, ack))
      .when({ ...submit, at: at(51) })
      .thenRefused("illegal_transition", "ACKED");
    expect(refusal.detail).toEqual({ intentId: id, from: "ACKED", command: "SubmitIntent" });
    scenario(intentBook)
      .given(history(create))
      .when(fill("x-1", 1, 45_000))
      .thenRefused("illegal_transition", "CREATED");
    scenario(intentBook)
      .given(history(create, submit, ack, fill("x-1", 1, 45_000)))
      .when({ type: "RecordRejection", at: at(51), intentId: id, reason: "late" })
      .thenRefused("illegal_transition", "PARTIAL");
  });

  it("books a fill that arrives after the cancel report, without moving the status", () => {
    const late = fill("x-1", 30, 45_000, 9);
    const { state } = scenario(intentBook)
      .given(
        history(create, submit, ack, {
          type: "CancelIntent",
          at: at(50, 5),
          intentId: id,
          reason: "operator",
        }),
      )
      .when(late)
      .thenEvents([filled(late)]);
    expect(state.intents[id]).toMatchObject({ status: "CANCELED", filledQuantity: 30 });
  });
});

describe("order intents: unknown outcome", () => {
  const unknown = history(create, submit, timeout);

  it("marks a submission that timed out UNKNOWN, and will not resubmit it blindly", () => {
    const { state } = scenario(intentBook)
      .given(history(create, submit))
      .when(timeout)
      .thenEvents([
        { type: "IntentOutcomeUnknown", data: { intentId: id, at: at(50, 31), cause: "timeout" } },
      ]);
    expect(state.intents[id]).toMatchObject({ status: "UNKNOWN", statusReason: "timeout" });
    scenario(intentBook)
      .given(unknown)
      .when({ ...submit, at: at(51) })
      .thenRefused("illegal_transition", "UNKNOWN");
  });

  it("is resolved by broker evidence: ack, fill or rejection", () => {
    expect(
      scenario(intentBook)
        .given(unknown)
        .when(ack)
        .thenEvents([
          { type: "IntentAcked", data: { intentId: id, at: at(50, 2), brokerOrderId: "b-77" } },
        ]).state.intents[id]?.status,
    ).toBe("ACKED");
    const fillAfterTimeout = fill("x-1", 25, 45_000, 40);
    expect(
      scenario(intentBook)
        .given(unknown)
        .when(fillAfterTimeout)
        .thenEvents([filled(fillAfterTimeout)]).state.intents[id]?.status,
    ).toBe("PARTIAL");
    const rejection: IntentCommand = {
      type: "RecordRejection",
      at: at(51),
      intentId: id,
      reason: "market closed",
    };
    expect(
      scenario(intentBook)
        .given(unknown)
        .when(rejection)
        .thenEvents([
          { type: "IntentRejected", data: { intentId: id, at: at(51), reason: "market closed" } },
        ]).state.intents[id]?.status,
    ).toBe("REJECTED");
  });

  it("goes back to CREATED when the broker never got it, to be submitted again under the same id", () => {
    const notFound: IntentCommand = { type: "RecordNotFound", at: at(51), intentId: id };
    const { state } = scenario(intentBook)
      .given(unknown)
      .when(notFound)
      .thenEvents([{ type: "IntentNotFoundAtBroker", data: { intentId: id, at: at(51) } }]);
    expect(state.intents[id]?.status).toBe("CREATED");
    scenario(intentBook)
      .given(history(create, submit, timeout, notFound))
      .when({ ...submit, at: at(51, 5) })
      .thenEvents([{ type: "IntentSubmitted", data: { intentId: id, at: at(51, 5) } }]);
    // The same report arriving twice changes nothing.
    scenario(intentBook)
      .given(history(create, submit, timeout, notFound))
      .when(notFound)
      .thenEvents([]);
  });
});

describe("order intents: malformed commands", () => {
  it("refuses an unknown intent, part shares, a zero price and a bad time bucket", () => {
    scenario(intentBook).when(submit).thenRefused("unknown_intent", id);
    scenario(intentBook)
      .when({ ...create, targetQuantity: 1.5 })
      .thenRefused("invalid_command", "targetQuantity");
    scenario(intentBook)
      .given(history(create, submit))
      .when(fill("x-1", 1, 0))
      .thenRefused("invalid_command", "priceCents");
    scenario(intentBook)
      .when({ ...create, timeBucket: "2026-03-02T20" })
      .thenRefused("invalid_command", "YYYYMMDD_HH");
    scenario(intentBook)
      .when({ ...create, at: "yesterday" })
      .thenRefused("invalid_command", "at: must be an ISO-8601 UTC instant");
  });
});

describe("order intents: events", () => {
  it("pass their schemas when stamped for the store", () => {
    const registry = createEventRegistry(INTENT_EVENTS);
    const events = history(
      create,
      submit,
      timeout,
      ack,
      fill("x-1", 40, 45_000),
      fill("x-2", 60, 45_090),
    );
    const stamped = registry.stamp(events, {
      clock: fixedClock(at(59)),
      ids: seededIds("intents"),
      runId: spy.runId,
      mode: "live",
    });
    expect(stamped.map((e) => e.type)).toEqual([
      "IntentCreated",
      "IntentSubmitted",
      "IntentOutcomeUnknown",
      "IntentAcked",
      "IntentFillRecorded",
      "IntentFillRecorded",
    ]);
  });
});
