import { type Benchmark, bestOf, medianMs, perSecond } from "../../../scripts/bench-kit.js";
import {
  type DomainEvent,
  type PipelineInputs,
  project,
  runHistory,
  runPipeline,
  SAFETY_AT_REST,
  type Strategy,
} from "../src/index.js";
import { barsFromCloses } from "../src/market/testing.js";

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

/**
 * A universe of `count` symbols with 260 bars each, and a momentum strategy that reads every
 * symbol's history and holds the 10 strongest at 9% each.
 */
function wideUniverse(count: number): { strategy: Strategy; inputs: PipelineInputs } {
  const symbols = Array.from({ length: count }, (_, i) => `S${String(i).padStart(4, "0")}`);
  const history = Object.fromEntries(
    symbols.map((symbol, i) => [
      symbol,
      barsFromCloses(
        Array.from({ length: 260 }, (_, day) =>
          Number((50 + (i % 50) + 2 * Math.sin(day / 7 + i)).toFixed(2)),
        ),
        { to: "2026-11-19" },
      ),
    ]),
  );
  const strategy: Strategy = {
    name: "top-10-momentum",
    universe: symbols,
    historyBars: 250,
    params: {},
    decide: (snapshot) => {
      const momentum = symbols.map((symbol) => {
        const bars = snapshot.bars(symbol);
        return { symbol, change: snapshot.price(symbol) / (bars.at(-21)?.close ?? 1) };
      });
      momentum.sort((a, b) => b.change - a.change || (a.symbol < b.symbol ? -1 : 1));
      const weights = Object.fromEntries(momentum.slice(0, 10).map(({ symbol }) => [symbol, 0.09]));
      return { regime: "momentum", signals: [{ kind: "target_weights", weights, confidence: 1 }] };
    },
  };
  const inputs: PipelineInputs = {
    runId: "backtest:bench:2026-11-20:close",
    mode: "backtest",
    tradingDate: "2026-11-20",
    at: "2026-11-20T20:50:00.000Z",
    history,
    quotes: symbols.map((symbol) => ({
      symbol,
      at: "2026-11-20T20:50:00.000Z",
      last: 60,
      source: "bench",
    })),
    account: { cashCents: 1_000_000_000_00, positions: [], dayStartEquityCents: 1_000_000_000_00 },
    safety: SAFETY_AT_REST,
    sizingMultiplier: 1,
  };
  return { strategy, inputs };
}

benchmarks.push({
  name: "pipeline decision, 1,000-symbol universe (260 bars each)",
  run: () => {
    const { strategy, inputs } = wideUniverse(1_000);
    const result = runPipeline([strategy], inputs);
    return {
      name: "pipeline decision, 1,000-symbol universe (260 bars each)",
      value: medianMs(7, () => runPipeline([strategy], inputs)),
      unit: "ms (median of 7)",
      target: { value: 250, better: "lower" },
      note: `top-10 momentum over 1,000 symbols, empty account, ${result.orders.length} orders planned`,
    };
  },
});

export default benchmarks;
