import {
  BROKER_METHODS,
  decisionPriceFillModel,
  type FaultPlan,
  type PaperSimulator,
  withFaults,
} from "@trader/brokers";
import type { Bar, PriceHistory } from "@trader/core";
import { createMemoryStore, type EventStore } from "@trader/store";
import { describe, expect, it } from "vitest";
import {
  openTestAccount,
  randomWalkHistory,
  scheduledWeights,
  type TestAccount,
  type TestAccountOptions,
} from "../testing/cycle-fixture.js";
import { loggingSubmissions, type Submission } from "../testing/submission-log.js";

const DAY_1 = "2026-03-02";
const DAY_2 = "2026-03-03";
const DAY_3 = "2026-03-04";

const HISTORY = randomWalkHistory({ seed: 7, symbols: ["AAA", "BBB", "CCC"], through: DAY_3 });
/** Day 1 buys AAA and BBB; day 2 sells AAA, trims BBB and buys CCC. */
const ROTATION = scheduledWeights("rotation", {
  [DAY_1]: { AAA: 0.25, BBB: 0.25 },
  [DAY_2]: { BBB: 0.1, CCC: 0.25 },
});

function account(options: Partial<TestAccountOptions> & { store?: EventStore } = {}) {
  return openTestAccount({
    store: options.store ?? createMemoryStore(),
    history: HISTORY,
    strategies: [ROTATION],
    ...options,
  });
}

/** Every symbol scaled to close at $450.00 on DAY_1, the price of the plan's slippage vectors. */
function scaledToCloseAt450(history: PriceHistory): PriceHistory {
  return Object.fromEntries(
    Object.entries(history).map(([symbol, bars]) => {
      const factor = 450 / ((bars as Bar[]).find((bar) => bar.date === DAY_1)?.close ?? 450);
      const scale = (price: number) => Math.round(price * factor * 100) / 100;
      const scaled = (bars as Bar[]).map((bar) => ({
        ...bar,
        open: scale(bar.open),
        high: scale(bar.high),
        low: scale(bar.low),
        close: scale(bar.close),
      }));
      return [symbol, scaled];
    }),
  );
}

const typesOf = (events: readonly { type: string }[]) => events.map((event) => event.type);

/** The simulator's own account against the engine's ledger: both must say the same. */
async function expectLedgerMatchesBroker(subject: TestAccount) {
  const state = await subject.state();
  const broker = await subject.simulator.account();
  const positions = await subject.simulator.positions();
  expect(state.cashCents).toBe(broker.cashCents);
  expect(
    Object.values(state.positions).map(({ symbol, quantity }) => ({ symbol, quantity })),
  ).toEqual(positions.map(({ symbol, quantity }) => ({ symbol, quantity })));
}

describe("a run retried under the same run id", () => {
  it("submits nothing new and reports the completed run as already done", async () => {
    const log: Submission[] = [];
    const subject = await account({
      wrapBroker: (simulator) => loggingSubmissions(simulator, log),
    });
    const first = await subject.run(DAY_1);
    expect(first).toMatchObject({ status: "completed", outcome: "traded", ordersSubmitted: 2 });
    const ordersAfterFirst = subject.simulator.orders();
    const eventsAfterFirst = await subject.dayEvents(DAY_1);

    const retry = await subject.run(DAY_1);
    expect(retry).toMatchObject({
      runId: first.runId,
      status: "already_done",
      outcome: "traded",
      ordersSubmitted: 2,
    });
    expect(subject.simulator.orders()).toEqual(ordersAfterFirst);
    expect(log).toHaveLength(2);
    expect(await subject.dayEvents(DAY_1)).toEqual(eventsAfterFirst);
  });

  it("is already done after a restart too, and days later", async () => {
    const store = createMemoryStore();
    const log: Submission[] = [];
    const wrapBroker = (simulator: PaperSimulator) => loggingSubmissions(simulator, log);
    const before = await account({ store, wrapBroker });
    for (const day of [DAY_1, DAY_2, DAY_3]) await before.run(day);
    const sent = log.length;

    const restarted = await account({ store, wrapBroker });
    // DAY_1's run has been compacted out of the snapshot's run list; its day stream still knows.
    expect((await restarted.run(DAY_1)).status).toBe("already_done");
    expect((await restarted.run(DAY_3)).status).toBe("already_done");
    expect(log).toHaveLength(sent);
  });
});

describe("a broker that does not answer", () => {
  it("fails pre-flight with broker_unavailable, records the API error and sends nothing", async () => {
    const timeouts: FaultPlan = BROKER_METHODS.map((method) => ({
      method,
      fault: { kind: "timeout" },
    }));
    const subject = await account({ wrapBroker: (simulator) => withFaults(simulator, timeouts) });

    const report = await subject.run(DAY_1);

    expect(report).toMatchObject({ outcome: "preflight_failed", ordersSubmitted: 0 });
    const events = await subject.dayEvents(DAY_1);
    expect(typesOf(events)).toEqual([
      "RunStarted",
      "BrokerBreakerCallPermitted",
      "BrokerBreakerCallFailed",
      "TradingBreakerApiErrorRecorded",
      "RunAborted",
      "KillSwitchRunOutcomeRecorded",
      "RunCompleted",
      "AccountSnapshotTaken",
    ]);
    expect(events.find((event) => event.type === "RunAborted")?.data).toMatchObject({
      code: "broker_unavailable",
    });
    expect(subject.simulator.orders()).toEqual([]);
  });
});

describe("an order whose answer is lost (timeout after the broker took it)", () => {
  it("is found by its client order id and its fill booked, in the same run", async () => {
    const faults = { broker: undefined as ReturnType<typeof withFaults> | undefined };
    const subject = await account({
      wrapBroker: (simulator) => {
        faults.broker = withFaults(simulator, [
          { method: "submitOrder", calls: [1], fault: { kind: "timeout_after_success" } },
        ]);
        return faults.broker;
      },
    });

    const report = await subject.run(DAY_1);

    expect(report).toMatchObject({ outcome: "traded", ordersSubmitted: 2, fills: 2 });
    expect(faults.broker?.callsReachingBroker("submitOrder")).toBe(2);
    const types = typesOf(await subject.dayEvents(DAY_1));
    expect(types).toContain("IntentOutcomeUnknown");
    expect(types.filter((type) => type === "IntentFillRecorded")).toHaveLength(2);
    await expectLedgerMatchesBroker(subject);
  });

  it("stays UNKNOWN while the broker cannot be asked, and the next start books the fill", async () => {
    const store = createMemoryStore();
    const lost = await account({
      store,
      wrapBroker: (simulator) =>
        withFaults(simulator, [
          { method: "submitOrder", calls: [1], fault: { kind: "timeout_after_success" } },
          { method: "orderByClientId", fault: { kind: "timeout" } },
        ]),
    });
    await lost.run(DAY_1);
    const [first] = lost.simulator.orders();
    const intent = (await lost.state()).intents.intents[first?.clientOrderId ?? ""];
    expect(intent?.status).toBe("UNKNOWN");

    const log: Submission[] = [];
    const restarted = await account({
      store,
      wrapBroker: (simulator) => loggingSubmissions(simulator, log),
    });
    await restarted.run(DAY_2);

    const state = await restarted.state();
    expect(state.intents.intents[first?.clientOrderId ?? ""]).toMatchObject({
      status: "FILLED",
      filledQuantity: first?.quantity,
    });
    expect(log.map((submission) => submission.clientOrderId)).not.toContain(first?.clientOrderId);
    const day2 = await restarted.dayEvents(DAY_2);
    expect(day2.find((event) => event.type === "ReconciliationRecorded")?.data.status).toBe("PASS");
    await expectLedgerMatchesBroker(restarted);
  });
});

describe("a broker that reports twice", () => {
  it("books a fill once when the submit is answered twice", async () => {
    const subject = await account({
      wrapBroker: (simulator) =>
        withFaults(simulator, [{ method: "submitOrder", fault: { kind: "answer_twice" } }]),
    });
    await subject.run(DAY_1);
    const events = await subject.dayEvents(DAY_1);
    expect(typesOf(events).filter((type) => type === "IntentFillRecorded")).toHaveLength(2);
    expect(subject.simulator.orders()).toHaveLength(2);
    await expectLedgerMatchesBroker(subject);
  });

  it("books a fill once when the broker reports the same execution twice", async () => {
    const subject = await account({
      wrapBroker: (simulator) =>
        withFaults(simulator, [
          { method: "submitOrder", fault: { kind: "timeout_after_success" } },
          { method: "orderByClientId", fault: { kind: "duplicate_fill" } },
        ]),
    });
    await subject.run(DAY_1);
    const fills = (await subject.dayEvents(DAY_1)).filter(
      (event) => event.type === "IntentFillRecorded",
    );
    expect(fills).toHaveLength(2);
    expect(new Set(fills.map((fill) => fill.data.executionId)).size).toBe(2);
    await expectLedgerMatchesBroker(subject);
  });
});

describe("partial fills (SPEC §10)", () => {
  it("retries the remainder 3 times, then accepts what filled and cancels the intent", async () => {
    const strategy = scheduledWeights("single", { [DAY_1]: { AAA: 0.25 } });
    const subject = await account({
      strategies: [strategy],
      behaviour: { partialFill: () => 0.5 },
    });

    const report = await subject.run(DAY_1);

    const events = await subject.dayEvents(DAY_1);
    const handled = events.flatMap((event) =>
      event.type === "PartialFillHandled" ? [event.data] : [],
    );
    const [created] = events.flatMap((event) =>
      event.type === "IntentCreated" ? [event.data] : [],
    );
    const ordered = created?.targetQuantity ?? 0;
    const id = created?.intentId ?? "";
    // Each order fills half of what it asks for (rounded down); the rest is asked for again.
    const asked = [ordered];
    for (let retry = 0; retry < 3; retry++) {
      asked.push((asked.at(-1) as number) - Math.floor((asked.at(-1) as number) / 2));
    }
    const filled = asked.reduce((sum, quantity) => sum + Math.floor(quantity / 2), 0);
    expect(
      handled.map(({ action, attempt, clientOrderId }) => ({ action, attempt, clientOrderId })),
    ).toEqual([
      { action: "retry_remainder", attempt: 1, clientOrderId: `${id}-1` },
      { action: "retry_remainder", attempt: 2, clientOrderId: `${id}-2` },
      { action: "retry_remainder", attempt: 3, clientOrderId: `${id}-3` },
      { action: "accept_partial", attempt: 3, clientOrderId: null },
    ]);
    expect(
      subject.simulator
        .orders()
        .map(({ clientOrderId, quantity }) => ({ clientOrderId, quantity })),
    ).toEqual(
      asked.map((quantity, attempt) => ({
        clientOrderId: attempt === 0 ? id : `${id}-${attempt}`,
        quantity,
      })),
    );
    const intent = (await subject.state()).intents.intents[id];
    expect(intent).toMatchObject({ status: "CANCELED", filledQuantity: filled });
    expect(report.outcome).toBe("traded");
    await expectLedgerMatchesBroker(subject);
  });
});

describe("critical slippage (SPEC §10: a fill > 1% adverse)", () => {
  it("aborts the run's remaining orders: canceled, never sent", async () => {
    const strategy = scheduledWeights("three", { [DAY_1]: { AAA: 0.2, BBB: 0.2, CCC: 0.2 } });
    const subject = await account({
      history: scaledToCloseAt450(HISTORY),
      strategies: [strategy],
      fillModel: decisionPriceFillModel({ slippageBps: 150 }),
    });

    await subject.run(DAY_1);

    const events = await subject.dayEvents(DAY_1);
    const sent = subject.simulator.orders();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.fills[0]?.priceCents).toBe(45_675);
    const slippage = events.find((event) => event.type === "SlippageRecorded")?.data;
    expect(slippage).toMatchObject({ expectedPrice: 450, fillPrice: 456.75, level: "critical" });
    const aborted = events.find((event) => event.type === "RunExecutionAborted")?.data;
    const others = events.flatMap((event) =>
      event.type === "IntentCreated" && event.data.intentId !== sent[0]?.clientOrderId
        ? [event.data.intentId]
        : [],
    );
    expect(others).toHaveLength(2);
    expect(aborted).toMatchObject({ code: "critical_slippage", canceledIntents: others });
    const intents = (await subject.state()).intents.intents;
    for (const id of others) expect(intents[id]?.status).toBe("CANCELED");
  });
});

describe("slippage below the critical threshold", () => {
  it("records a 0.6% adverse fill as a warning alert and still sends every order", async () => {
    const strategy = scheduledWeights("three", { [DAY_1]: { AAA: 0.2, BBB: 0.2, CCC: 0.2 } });
    const subject = await account({
      history: scaledToCloseAt450(HISTORY),
      strategies: [strategy],
      fillModel: decisionPriceFillModel({ slippageBps: 60 }),
    });

    await subject.run(DAY_1);

    const slippage = (await subject.dayEvents(DAY_1)).flatMap((event) =>
      event.type === "SlippageRecorded" ? [event.data] : [],
    );
    // The plan's vector: expected 450.00, filled 452.70.
    expect(slippage.map(({ fillPrice, level }) => ({ fillPrice, level }))).toEqual([
      { fillPrice: 452.7, level: "warning_alert" },
      { fillPrice: 452.7, level: "warning_alert" },
      { fillPrice: 452.7, level: "warning_alert" },
    ]);
    expect(subject.simulator.orders()).toHaveLength(3);
  });
});

describe("determinism", () => {
  it("gives byte-identical day streams for the same inputs", async () => {
    const streams = async () => {
      const store = createMemoryStore();
      const subject = await account({ store });
      for (const day of [DAY_1, DAY_2, DAY_3]) await subject.run(day);
      const events = [];
      for await (const event of store.readAll()) events.push(event);
      return JSON.stringify(events);
    };
    const first = await streams();
    expect(first).toContain("IntentFillRecorded");
    expect(await streams()).toBe(first);
  });
});
