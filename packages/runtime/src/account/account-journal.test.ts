import { withFaults } from "@trader/brokers";
import type { AccountState } from "@trader/core";
import { createMemoryStore } from "@trader/store";
import { describe, expect, it } from "vitest";
import {
  openTestAccount,
  randomWalkHistory,
  scheduledWeights,
  TEST_ACCOUNT,
  testCycleSettings,
} from "../testing/cycle-fixture.js";
import { loadAccount, typedAccountStore } from "./account-journal.js";
import { dayStreamPrefix } from "./streams.js";

const SESSIONS = [
  "2026-03-02",
  "2026-03-03",
  "2026-03-04",
  "2026-03-05",
  "2026-03-06",
  "2026-03-09",
  "2026-03-10",
];
const LAST = SESSIONS.at(-1) as string;

/** What must survive a snapshot: the ledger and every machine, open intents and pending signals. */
function whatMatters(state: AccountState) {
  return {
    cashCents: state.cashCents,
    positions: state.positions,
    governor: state.governor,
    killSwitch: state.killSwitch,
    tradingBreaker: state.tradingBreaker,
    brokerBreaker: state.brokerBreaker,
    pendingSignals: Object.values(state.pendingSignals.signals).filter(
      (signal) => signal.status === "PENDING",
    ),
    openIntents: Object.values(state.intents.intents).filter(
      (intent) => !["FILLED", "REJECTED", "CANCELED", "EXPIRED"].includes(intent.status),
    ),
    lastBarDate: state.lastBarDate,
    equity: state.equity,
    priorCloseEquity: state.priorCloseEquity,
  };
}

describe("loadAccount", () => {
  it("rebuilds from the last end-of-day snapshot exactly what folding every event gives", async () => {
    const store = createMemoryStore();
    const history = randomWalkHistory({
      seed: 5,
      symbols: ["AAA", "BBB", "CCC"],
      through: LAST,
    });
    const strategy = scheduledWeights("weekly", {
      "2026-03-02": { AAA: 0.25, BBB: 0.25 },
      // CCC above the 30% symbol limit: stopped at RISK and deferred as PENDING.
      "2026-03-03": { AAA: 0.25, BBB: 0.1, CCC: 0.35 },
      "2026-03-05": { BBB: 0.2, CCC: 0.2 },
      "2026-03-09": { AAA: 0.1, CCC: 0.2 },
      // Two buys the broker takes without answering; the over-limit CCC is deferred again.
      [LAST]: { AAA: 0.2, BBB: 0.15, CCC: 0.35 },
    });
    // On the last session the broker takes an order and then stops answering: the intent stays
    // open, API errors trip the trading breaker, and the snapshot must carry all of it.
    let brokerDown = false;
    const subject = await openTestAccount({
      store,
      history,
      strategies: [strategy],
      settings: testCycleSettings(),
      wrapBroker: (simulator) =>
        withFaults(simulator, [
          {
            method: "submitOrder",
            when: () => brokerDown,
            fault: { kind: "timeout_after_success" },
          },
          { method: "orderByClientId", when: () => brokerDown, fault: { kind: "timeout" } },
        ]),
    });
    for (const session of SESSIONS) {
      brokerDown = session === LAST;
      await subject.run(session);
    }

    const typed = typedAccountStore(store);
    /** loadAccount's state and the fold of every event of every day, from the start. */
    const bothWays = async () => {
      const loaded = await loadAccount(typed, subject.model, TEST_ACCOUNT);
      let folded = subject.model.initialState;
      let total = 0;
      for (const stream of await store.listStreams(dayStreamPrefix(TEST_ACCOUNT))) {
        for await (const event of typed.readStream(stream)) {
          folded = subject.model.evolve(folded, event);
          total++;
        }
      }
      return { loaded, folded, total };
    };

    const atClose = await bothWays();
    expect(atClose.loaded.days).toEqual(SESSIONS);
    // It started from LAST's own snapshot: only that day's events were read.
    expect(atClose.loaded.eventsRead).toBe((await subject.dayEvents(LAST)).length);
    expect(atClose.loaded.eventsRead).toBeLessThan(atClose.total);
    expect(whatMatters(atClose.loaded.state)).toEqual(whatMatters(atClose.folded));
    // The scenario reached what the snapshot is meant to carry.
    const matters = whatMatters(atClose.folded);
    expect(matters.openIntents.map((intent) => intent.status)).toEqual(["UNKNOWN", "UNKNOWN"]);
    expect(matters.tradingBreaker.status).toBe("OPEN");
    expect(Object.keys(matters.positions).length).toBeGreaterThan(0);
    expect(matters.pendingSignals.map((signal) => signal.symbol)).toEqual(["CCC"]);

    // A later run of the day (the broker back) folds its events onto the snapshot.
    brokerDown = false;
    await subject.run(LAST, { slot: "late", endOfDay: false });
    const afterSnapshot = await bothWays();
    expect(afterSnapshot.loaded.eventsRead).toBeGreaterThan(atClose.loaded.eventsRead);
    expect(whatMatters(afterSnapshot.loaded.state)).toEqual(whatMatters(afterSnapshot.folded));
    expect(whatMatters(afterSnapshot.folded).openIntents).toEqual([]);
  });
});
