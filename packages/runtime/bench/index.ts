import { syntheticMarket } from "@trader/data";
import { createMemoryStore } from "@trader/store";
import { type Benchmark, bestOf } from "../../../scripts/bench-kit.js";
import {
  DEFAULT_TRADER_CONFIG,
  engineFrom,
  loadAccount,
  runBacktest,
  typedAccountStore,
} from "../src/index.js";

const engine = engineFrom(DEFAULT_TRADER_CONFIG);
const SESSIONS_IN_15_YEARS = 15 * 252;

/** The v3.5b universe, synthetic, from `from` to `to`, backtested into a fresh memory store. */
async function backtest(from: string, to: string) {
  const market = syntheticMarket({ seed: 7, from: "2008-01-02", to, calendar: engine.calendar });
  const store = createMemoryStore();
  const started = performance.now();
  const sessionMs: number[] = [];
  let last = started;
  const summary = await runBacktest({
    store,
    account: "bench",
    strategies: engine.strategies,
    model: engine.model,
    calendar: engine.calendar,
    settings: engine.settings,
    history: market.history,
    from,
    initialCashCents: 10_000_000,
    onProgress: () => {
      const now = performance.now();
      sessionMs.push(now - last);
      last = now;
    },
  });
  return { store, summary, sessionMs, ms: performance.now() - started };
}

const benchmarks: Benchmark[] = [
  {
    name: "v3.5b backtest, full cycle into the memory store (scaled to 15 years)",
    async run() {
      const { summary, ms } = await backtest("2012-01-03", "2013-12-31");
      const perSession = ms / summary.sessions;
      return {
        name: this.name,
        value: perSession * SESSIONS_IN_15_YEARS,
        unit: "ms",
        target: { value: 2000, better: "lower" },
        note: `measured ${summary.sessions} sessions in ${Math.round(ms)} ms (${perSession.toFixed(1)} ms each), × ${SESSIONS_IN_15_YEARS}`,
      };
    },
  },
  {
    name: "one paper cycle (median over 300 consecutive sessions)",
    async run() {
      const { sessionMs } = await backtest("2012-01-03", "2013-03-15");
      const sorted = [...sessionMs].sort((a, b) => a - b);
      return {
        name: this.name,
        value: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN,
        unit: "ms (median)",
        target: { value: 50, better: "lower" },
        note: "record inputs, recover, reconcile, decide, execute, snapshot; plus the backtest's read-back of the day",
      };
    },
  },
  {
    name: "start-up: rebuild the account after 10 years of daily history",
    async run() {
      const { store, summary } = await backtest("2012-01-03", "2021-12-31");
      const typed = typedAccountStore(store);
      let events = 0;
      const ms = await bestOf(5, async () => {
        events = (await loadAccount(typed, engine.model, "bench")).eventsRead;
      });
      return {
        name: this.name,
        value: ms,
        unit: "ms",
        target: { value: 200, better: "lower" },
        note: `${summary.sessions} sessions recorded; start-up read ${events} events (the last snapshot's day)`,
      };
    },
  },
];

export default benchmarks;
