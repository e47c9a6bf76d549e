import {
  type Bar,
  type PipelineInputs,
  parsePipelineConfig,
  runPipeline,
  SAFETY_AT_REST,
  weekdayCalendar,
} from "@trader/core";
import { syntheticMarket } from "@trader/data";
import { describe, expect, it } from "vitest";
import {
  createHierarchicalAdaptive,
  HIERARCHICAL_ADAPTIVE_NAME,
  HIERARCHICAL_ADAPTIVE_RISK_PROFILE,
} from "./hierarchical-adaptive/index.js";

// The reference strategy through the real pipeline, on the seeded synthetic market.
const calendar = weekdayCalendar();
const market = syntheticMarket({ seed: 42, from: "2020-01-01", to: "2023-12-29", calendar });
const strategy = createHierarchicalAdaptive();
const dates = (market.history.QQQ as readonly Bar[]).map((bar) => bar.date);

function decideOn(
  date: string,
  config = parsePipelineConfig({
    risk: { profiles: { [HIERARCHICAL_ADAPTIVE_NAME]: HIERARCHICAL_ADAPTIVE_RISK_PROFILE } },
  }),
) {
  const inputs: PipelineInputs = {
    runId: `backtest:acct:${date}:close`,
    mode: "backtest",
    tradingDate: date,
    at: `${date}T20:50:00.000Z`,
    history: market.history,
    account: { cashCents: 10_000_000, positions: [], dayStartEquityCents: 10_000_000 },
    safety: SAFETY_AT_REST,
    sizingMultiplier: 1,
  };
  return runPipeline([strategy], inputs, config);
}

describe("Hierarchical Adaptive v3.5b through the pipeline", () => {
  const bullDay = dates.slice(300).find((date) => {
    const decided = decideOn(date).events.find((event) => event.type === "StrategyDecided");
    return (decided?.data as { regime: string } | undefined)?.regime === "bull_low_vol";
  });

  it("reaches the bull, low-volatility cell on the synthetic market", () => {
    expect(bullDay).toBeDefined();
  });

  it("with its risk profile, buys TQQQ with whole shares and keeps the minimum cash", () => {
    const { orders } = decideOn(bullDay as string);
    expect(orders.map((order) => [order.symbol, order.side])).toEqual([["TQQQ", "buy"]]);
    const [order] = orders;
    expect(Number.isInteger(order?.quantity)).toBe(true);
    expect(order?.notionalCents ?? 0).toBeLessThanOrEqual(9_500_000);
  });

  it("under the engine's default limits, is stopped at RISK by the 30% per-symbol limit", () => {
    const { orders, events } = decideOn(bullDay as string, parsePipelineConfig({}));
    expect(orders).toEqual([]);
    const stop = events.find(
      (event) =>
        event.type === "SignalStopped" && (event.data as { symbol: string }).symbol === "TQQQ",
    );
    expect(stop?.data).toMatchObject({ stage: "RISK", code: "position_limit_symbol" });
  });
});
