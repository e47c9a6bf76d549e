import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decisionPriceFillModel } from "@trader/brokers";
import type { PriceHistory, Strategy } from "@trader/core";
import {
  createMemoryStore,
  type EventStore,
  type FileEventStore,
  openFileStore,
  type RecordedEvent,
} from "@trader/store";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { crashingStore, SimulatedCrash } from "../testing/crashing-store.js";
import {
  openTestAccount,
  randomWalkHistory,
  scheduledWeights,
  type TestAccount,
} from "../testing/cycle-fixture.js";
import { loggingSubmissions, type Submission } from "../testing/submission-log.js";

const made: string[] = [];
const dirs = {
  async make() {
    const dir = await mkdtemp(join(tmpdir(), "trader-crash-"));
    made.push(dir);
    return dir;
  },
};
afterAll(() => Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true }))));

const DAY_1 = "2026-03-02";
const DAY_2 = "2026-03-03";
const DAY_3 = "2026-03-04";

interface Scenario {
  readonly name: string;
  readonly history: PriceHistory;
  readonly strategies: readonly Strategy[];
}

/** Day 1 buys; day 2, the run under test, sells some and buys others. */
const SCENARIOS: readonly Scenario[] = [
  {
    name: "seed 1: sell one, trim one, buy two",
    history: randomWalkHistory({ seed: 1, symbols: ["AAA", "BBB", "CCC", "DDD"], through: DAY_3 }),
    strategies: [
      scheduledWeights("rotation", {
        [DAY_1]: { AAA: 0.25, BBB: 0.25 },
        [DAY_2]: { BBB: 0.1, CCC: 0.25, DDD: 0.2 },
      }),
    ],
  },
  {
    name: "seed 2: two strategies, full rotation",
    history: randomWalkHistory({ seed: 2, symbols: ["EEE", "FFF", "GGG"], through: DAY_3 }),
    strategies: [
      scheduledWeights("first", { [DAY_1]: { EEE: 0.3 }, [DAY_2]: { FFF: 0.2 } }),
      scheduledWeights("second", { [DAY_1]: { GGG: 0.2 }, [DAY_2]: { GGG: 0.28 } }),
    ],
  },
  {
    name: "seed 3: add to one, sell one",
    history: randomWalkHistory({ seed: 3, symbols: ["HHH", "III"], through: DAY_3 }),
    strategies: [
      scheduledWeights("pair", {
        [DAY_1]: { HHH: 0.15, III: 0.25 },
        [DAY_2]: { HHH: 0.3 },
      }),
    ],
  },
];

async function allEvents(store: FileEventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of store.readAll()) events.push(event);
  return events;
}

const eventsOfStream = (events: readonly RecordedEvent[], stream: string) =>
  events.filter((event) => event.stream === stream);

/** What a reader of the ledger cares about: cash and each position's shares and cost. */
const ledgerOf = (account: TestAccount) =>
  account.state().then((state) => ({ cashCents: state.cashCents, positions: state.positions }));

/** The safety machines and where each intent ended. */
const safetyOf = (account: TestAccount) =>
  account.state().then((state) => ({
    governor: state.governor,
    killSwitch: state.killSwitch,
    tradingBreaker: state.tradingBreaker,
    intents: Object.values(state.intents.intents).map(({ intentId, status, filledQuantity }) => [
      intentId,
      status,
      filledQuantity,
    ]),
  }));

const brokerOrdersOf = (account: TestAccount) =>
  account.simulator
    .orders()
    .map(({ clientOrderId, side, symbol, quantity, status, filledQuantity }) => ({
      clientOrderId,
      side,
      symbol,
      quantity,
      status,
      filledQuantity,
    }));

async function reconciliationOn(account: TestAccount, tradingDate: string) {
  await account.run(tradingDate);
  const events = await account.dayEvents(tradingDate);
  return events.find((event) => event.type === "ReconciliationRecorded")?.data;
}

describe.each(SCENARIOS)("a crash at any append of the day's run ($name)", (scenario) => {
  const open = (store: EventStore, log: Submission[]) =>
    openTestAccount({
      store,
      history: scenario.history,
      strategies: scenario.strategies,
      wrapBroker: (simulator) => loggingSubmissions(simulator, log),
    });

  it("restarts into the uncrashed run's ledger: nothing sent twice, nothing lost, reconciliation passes", async () => {
    // Day 1 once, copied for every crash position.
    const template = await dirs.make();
    const first = await openFileStore({ dir: template });
    const day1 = await (await open(first, [])).run(DAY_1);
    expect(day1.outcome).toBe("traded");
    await first.close();

    // The uncrashed day 2: how many appends it makes, and what it ends with.
    const referenceDir = await dirs.make();
    await cp(template, referenceDir, { recursive: true });
    const referenceStore = await openFileStore({ dir: referenceDir });
    const counting = crashingStore(referenceStore, Number.POSITIVE_INFINITY);
    const referenceLog: Submission[] = [];
    const reference = await open(counting, referenceLog);
    const uncrashed = await reference.run(DAY_2);
    expect(uncrashed.outcome).toBe("traded");
    const sides = referenceLog.map((submission) => submission.side);
    expect(sides).toContain("sell");
    expect(sides).toContain("buy");
    const appendsOfTheRun = counting.appends;
    const expectedLedger = await ledgerOf(reference);
    const expectedOrders = brokerOrdersOf(reference);
    const expectedSafety = await safetyOf(reference);
    expect((await reconciliationOn(reference, DAY_3))?.status).toBe("PASS");
    await referenceStore.close();

    for (let crashAfter = 0; crashAfter < appendsOfTheRun; crashAfter++) {
      const where = `crash after append ${crashAfter} of ${appendsOfTheRun}`;
      const dir = join(await dirs.make(), "store");
      await cp(template, dir, { recursive: true });
      const log: Submission[] = [];

      const dying = await openFileStore({ dir });
      const crashing = crashingStore(dying, crashAfter);
      await expect(
        open(crashing, log).then((account) => account.run(DAY_2)),
        where,
      ).rejects.toThrow(SimulatedCrash);
      const beforeCrash = await allEvents(dying);
      await dying.close();

      const restarted = await openFileStore({ dir });
      const account = await open(restarted, log);
      const report = await account.run(DAY_2);
      const day2 = (await account.dayEvents(DAY_2)).map((event) => event.type);
      expect(
        day2.filter((type) => type === "RunCompleted"),
        where,
      ).toHaveLength(1);
      expect(day2.slice(-2), `${where}: the day ends with its snapshot`).toEqual([
        "RunCompleted",
        "AccountSnapshotTaken",
      ]);
      const afterRestart = await allEvents(restarted);
      for (const stream of new Set(beforeCrash.map((event) => event.stream))) {
        const kept = eventsOfStream(afterRestart, stream).slice(
          0,
          eventsOfStream(beforeCrash, stream).length,
        );
        expect(kept, `${where}: ${stream} keeps what was appended`).toEqual(
          eventsOfStream(beforeCrash, stream),
        );
      }
      expect(
        log.filter((submission) => submission.answer === "duplicate_client_order_id"),
        `${where}: an order sent again`,
      ).toEqual([]);
      expect(brokerOrdersOf(account), where).toEqual(expectedOrders);
      expect(await ledgerOf(account), where).toEqual(expectedLedger);
      expect(await safetyOf(account), where).toEqual(expectedSafety);
      expect(report.ordersSubmitted, where).toBe(uncrashed.ordersSubmitted);
      expect((await reconciliationOn(account, DAY_3))?.status, where).toBe("PASS");
      await restarted.close();
    }
  });
});

describe("a crash during a run that hits critical slippage", () => {
  const history = randomWalkHistory({ seed: 11, symbols: ["AAA", "BBB", "CCC"], through: DAY_1 });
  const strategies = [scheduledWeights("three", { [DAY_1]: { AAA: 0.2, BBB: 0.2, CCC: 0.2 } })];
  const open = (store: EventStore, log: Submission[]) =>
    openTestAccount({
      store,
      history,
      strategies,
      fillModel: decisionPriceFillModel({ slippageBps: 150 }),
      wrapBroker: (simulator) => loggingSubmissions(simulator, log),
    });

  it("still never sends the run's remaining orders after a restart", async () => {
    const counting = crashingStore(createMemoryStore(), Number.POSITIVE_INFINITY);
    const referenceLog: Submission[] = [];
    await (await open(counting, referenceLog)).run(DAY_1);
    expect(referenceLog).toHaveLength(1);

    for (let crashAfter = 0; crashAfter < counting.appends; crashAfter++) {
      const where = `crash after append ${crashAfter} of ${counting.appends}`;
      const store = createMemoryStore();
      const log: Submission[] = [];
      await expect(
        open(crashingStore(store, crashAfter), log).then((account) => account.run(DAY_1)),
        where,
      ).rejects.toThrow(SimulatedCrash);
      const account = await open(store, log);
      await account.run(DAY_1);
      expect(
        account.simulator.orders().map((order) => order.clientOrderId),
        where,
      ).toEqual(referenceLog.map((submission) => submission.clientOrderId));
      const intents = Object.values((await account.state()).intents.intents);
      expect(intents.map((intent) => intent.status).sort(), where).toEqual([
        "CANCELED",
        "CANCELED",
        "FILLED",
      ]);
      const events = await account.dayEvents(DAY_1);
      expect(
        events.filter((event) => event.type === "RunExecutionAborted"),
        where,
      ).toHaveLength(1);
    }
  });
});

describe("a crash during partial-fill retries", () => {
  const history = randomWalkHistory({ seed: 13, symbols: ["AAA", "BBB"], through: DAY_1 });
  const strategies = [scheduledWeights("two", { [DAY_1]: { AAA: 0.25, BBB: 0.2 } })];
  const open = (store: EventStore, log: Submission[]) =>
    openTestAccount({
      store,
      history,
      strategies,
      behaviour: { partialFill: () => 0.5 },
      wrapBroker: (simulator) => loggingSubmissions(simulator, log),
    });

  it("carries the retries on after a restart: the same orders, fills and ledger as without the crash", async () => {
    const counting = crashingStore(createMemoryStore(), Number.POSITIVE_INFINITY);
    const reference = await open(counting, []);
    await reference.run(DAY_1);
    const expectedOrders = brokerOrdersOf(reference);
    const expectedLedger = await ledgerOf(reference);
    const handledOf = async (account: TestAccount) =>
      (await account.dayEvents(DAY_1)).flatMap((event) =>
        event.type === "PartialFillHandled"
          ? [`${event.data.intentId} ${event.data.action} ${event.data.attempt}`]
          : [],
      );
    const expectedHandled = (await handledOf(reference)).sort();
    expect(expectedHandled.filter((line) => line.includes("accept_partial"))).toHaveLength(2);

    for (let crashAfter = 0; crashAfter < counting.appends; crashAfter++) {
      const where = `crash after append ${crashAfter} of ${counting.appends}`;
      const store = createMemoryStore();
      const log: Submission[] = [];
      await expect(
        open(crashingStore(store, crashAfter), log).then((account) => account.run(DAY_1)),
        where,
      ).rejects.toThrow(SimulatedCrash);
      const account = await open(store, log);
      await account.run(DAY_1);

      expect(
        log.filter((submission) => submission.answer === "duplicate_client_order_id"),
        where,
      ).toEqual([]);
      const state = await account.state();
      const broker = await account.simulator.account();
      expect(state.cashCents, where).toBe(broker.cashCents);
      expect(
        Object.values(state.positions).map(({ symbol, quantity }) => [symbol, quantity]),
        where,
      ).toEqual(
        (await account.simulator.positions()).map(({ symbol, quantity }) => [symbol, quantity]),
      );
      const intents = Object.values(state.intents.intents);
      expect(
        intents.map((intent) => intent.status),
        where,
      ).toEqual(["CANCELED", "CANCELED"]);
      for (const intent of intents) {
        const filledAtBroker = account.simulator
          .orders()
          .filter((order) => order.clientOrderId.startsWith(intent.intentId))
          .reduce((sum, order) => sum + order.filledQuantity, 0);
        expect(intent.filledQuantity, where).toBe(filledAtBroker);
      }
      expect(brokerOrdersOf(account), where).toEqual(expectedOrders);
      expect(await ledgerOf(account), where).toEqual(expectedLedger);
      expect((await handledOf(account)).sort(), where).toEqual(expectedHandled);
      const working = account.simulator
        .orders()
        .filter((order) => order.status === "accepted" || order.status === "partially_filled");
      expect(working, `${where}: orders left working at the broker`).toEqual([]);
    }
  });
});

describe("crashes in a row", () => {
  const history = randomWalkHistory({ seed: 17, symbols: ["AAA", "BBB", "CCC"], through: DAY_2 });
  const strategies = [
    scheduledWeights("rotation", {
      [DAY_1]: { AAA: 0.25, BBB: 0.25 },
      [DAY_2]: { BBB: 0.1, CCC: 0.25 },
    }),
  ];
  const open = (store: EventStore, log: Submission[]) =>
    openTestAccount({
      store,
      history,
      strategies,
      // Every order fills 60% at once: each one goes through the partial-fill retries.
      behaviour: { partialFill: () => 0.6 },
      wrapBroker: (simulator) => loggingSubmissions(simulator, log),
    });
  const afterDay1 = async () => {
    const store = createMemoryStore();
    await (await open(store, [])).run(DAY_1);
    return store;
  };

  it("end, after the last restart, where the run without crashes ends", async () => {
    const referenceStore = await afterDay1();
    const counting = crashingStore(referenceStore, Number.POSITIVE_INFINITY);
    const reference = await open(counting, []);
    await reference.run(DAY_2);
    const appends = counting.appends;
    const expectedOrders = brokerOrdersOf(reference);
    const expectedLedger = await ledgerOf(reference);

    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: appends }), { minLength: 1, maxLength: 3 }),
        async (crashPoints) => {
          const store = await afterDay1();
          const log: Submission[] = [];
          for (const crashAfter of crashPoints) {
            const crashing = crashingStore(store, crashAfter);
            try {
              await (await open(crashing, log)).run(DAY_2);
            } catch (error) {
              if (!(error instanceof SimulatedCrash)) throw error;
            }
          }
          const account = await open(store, log);
          await account.run(DAY_2);
          expect(log.filter((entry) => entry.answer === "duplicate_client_order_id")).toEqual([]);
          expect(brokerOrdersOf(account)).toEqual(expectedOrders);
          expect(await ledgerOf(account)).toEqual(expectedLedger);
        },
      ),
      { numRuns: 25, seed: 20260303 },
    );
  });
});
