import type { Benchmark } from "../../../scripts/bench-kit.js";
import { bestOf, perSecond } from "../../../scripts/bench-kit.js";
import { type DomainEvent, project, runHistory } from "../src/index.js";

const EVENTS = 5_000_000;

function runEvents(count: number): DomainEvent[] {
  const events: DomainEvent[] = new Array(count);
  for (let i = 0; i < count; i += 2) {
    const runId = `backtest:acct:${2000 + Math.floor(i / 500)}-01-01:close-${i}`;
    events[i] = {
      type: "RunStarted",
      data: { runId, mode: "backtest", account: "acct", tradingDate: "2026-11-20", slot: "close" },
    };
    events[i + 1] = {
      type: "RunCompleted",
      data: { runId, outcome: i % 6 === 0 ? "traded" : "no_trade", ordersSubmitted: 1 },
    };
  }
  return events;
}

const benchmarks: Benchmark[] = [
  {
    name: "fold 5M events into the run-history projection",
    run: async () => {
      const events = runEvents(EVENTS);
      const ms = await bestOf(3, () => project(runHistory, events));
      return {
        name: "fold 5M events into the run-history projection",
        value: perSecond(EVENTS, ms),
        unit: "events/s",
        target: { value: 5_000_000, better: "higher" },
        note: "in memory, 5M events (2.5M runs), handler-map dispatch, best of 3",
      };
    },
  },
];

export default benchmarks;
