import {
  type Bar,
  parsePipelineConfig,
  pointInTimeSnapshot,
  runPipeline,
  SAFETY_AT_REST,
  weekdayCalendar,
} from "@trader/core";
import { syntheticMarket } from "@trader/data";
import { type Benchmark, medianMs } from "../../../scripts/bench-kit.js";
import {
  createHierarchicalAdaptive,
  HIERARCHICAL_ADAPTIVE_NAME,
  HIERARCHICAL_ADAPTIVE_RISK_PROFILE,
} from "../src/index.js";

// 5 symbols, ~300 sessions: the strategy reads its last 272 bars.
const market = syntheticMarket({
  seed: 7,
  from: "2025-01-01",
  to: "2026-03-31",
  calendar: weekdayCalendar(),
});
const last = (market.history.QQQ as readonly Bar[]).at(-1)?.date as string;
const strategy = createHierarchicalAdaptive();
const config = parsePipelineConfig({
  risk: { profiles: { [HIERARCHICAL_ADAPTIVE_NAME]: HIERARCHICAL_ADAPTIVE_RISK_PROFILE } },
});

const benchmarks: Benchmark[] = [
  {
    name: "v3.5b strategy.decide (5 symbols, ~300 bars)",
    run: () => {
      const snapshot = pointInTimeSnapshot(market.history, last, `${last}T20:50:00.000Z`);
      const portfolio = { cash: 10_000_000, equity: 10_000_000, positions: [] };
      return {
        name: "v3.5b strategy.decide (5 symbols, ~300 bars)",
        value: medianMs(101, () => strategy.decide(snapshot, portfolio)),
        unit: "ms (median of 101)",
      };
    },
  },
  {
    name: "v3.5b decision through the full pipeline (5 symbols, ~300 bars)",
    run: () => ({
      name: "v3.5b decision through the full pipeline (5 symbols, ~300 bars)",
      value: medianMs(101, () =>
        runPipeline(
          [strategy],
          {
            runId: `backtest:bench:${last}:close`,
            mode: "backtest",
            tradingDate: last,
            at: `${last}T20:50:00.000Z`,
            history: market.history,
            account: { cashCents: 10_000_000, positions: [], dayStartEquityCents: 10_000_000 },
            safety: SAFETY_AT_REST,
            sizingMultiplier: 1,
          },
          config,
        ),
      ),
      unit: "ms (median of 101)",
      target: { value: 5, better: "lower" },
      note: "data quality, strategy, funnel, planner, risk gates and intents for one run",
    }),
  },
];

export default benchmarks;
