import { describe, expect, it } from "vitest";
import {
  DEFAULT_HIERARCHICAL_ADAPTIVE_PARAMS,
  historyBarsNeeded,
  parseHierarchicalAdaptiveParams,
  REGIME_CELLS,
} from "./params.js";

describe("Hierarchical Adaptive params", () => {
  it("defaults to the plan's Titan config", () => {
    const { universe, trend, volatility, allocation } = DEFAULT_HIERARCHICAL_ADAPTIVE_PARAMS;
    expect(universe).toEqual({
      signalSymbol: "QQQ",
      bullSymbol: "TQQQ",
      bondSignal: "TLT",
      bullBond: "TMF",
      bearBond: "TMV",
    });
    expect([
      trend.equityFastSma,
      trend.equitySlowSma,
      trend.bondFastSma,
      trend.bondSlowSma,
    ]).toEqual([40, 140, 20, 60]);
    expect([volatility.shortWindow, volatility.longWindow]).toEqual([21, 126]);
    expect([volatility.zUpper, volatility.zLower, volatility.volCrushThreshold]).toEqual([
      1.0, 0.2, -0.15,
    ]);
    expect(allocation.leverageScalar).toBe(1.0);
    expect(allocation.inverseHedge).toBe(false);
    expect(allocation.safeHavenActive).toBe(true);
    expect(allocation.maxBondWeight).toBe(0.4);
  });

  it("no default cell holds more bonds than the cap or more than 100% in total", () => {
    for (const cell of REGIME_CELLS) {
      const { leveragedEquity, equity, bonds } =
        DEFAULT_HIERARCHICAL_ADAPTIVE_PARAMS.allocation.cells[cell];
      expect(bonds).toBeLessThanOrEqual(0.4);
      expect(leveragedEquity + equity + bonds).toBeLessThanOrEqual(1);
    }
  });

  it("needs 272 bars by default: 147 for the first z-score plus 125 more walked", () => {
    expect(historyBarsNeeded(DEFAULT_HIERARCHICAL_ADAPTIVE_PARAMS)).toBe(272);
    const shortWalk = parseHierarchicalAdaptiveParams({ volatility: { stateWalkBars: 1 } });
    expect(historyBarsNeeded(shortWalk)).toBe(147);
    const longSma = parseHierarchicalAdaptiveParams({
      volatility: { stateWalkBars: 1 },
      trend: { equitySlowSma: 200 },
    });
    expect(historyBarsNeeded(longSma)).toBe(200);
  });

  it("keeps other defaults when one field is overridden", () => {
    const params = parseHierarchicalAdaptiveParams({ volatility: { zUpper: 1.5 } });
    expect(params.volatility.zUpper).toBe(1.5);
    expect(params.volatility.zLower).toBe(0.2);
    expect(params.trend.kalman.warmUpBars).toBe(40);
  });

  it.each([
    [{ trend: { equityFastSma: 140 } }, /equityFastSma must be < equitySlowSma \(140\), got 140/],
    [{ trend: { bondFastSma: 60 } }, /bondFastSma must be < bondSlowSma \(60\)/],
    [{ volatility: { zLower: 1.0 } }, /zLower must be < zUpper \(1\) for hysteresis/],
    [{ volatility: { volCrushThreshold: 0.15 } }, /volCrushThreshold/],
    [{ volatility: { volCrushLookbackBars: 126 } }, /volCrushLookbackBars must be < longWindow/],
    [{ allocation: { maxBondWeight: 1.2 } }, /maxBondWeight/],
    [{ allocation: { leverageScalar: 0 } }, /leverageScalar/],
    [{ allocation: { inverseHedge: true } }, /inverseHedge: true is not supported/],
    [{ universe: { bullBond: "TQQQ" } }, /traded symbols must be distinct/],
    [{ trend: { equitySlow: 150 } }, /equitySlow/],
  ])("refuses %j, naming the field and the rule", (input, message) => {
    expect(() => parseHierarchicalAdaptiveParams(input)).toThrow(RangeError);
    expect(() => parseHierarchicalAdaptiveParams(input)).toThrow(message);
  });

  it("refuses a cell whose weights sum above 1", () => {
    const cells = {
      ...DEFAULT_HIERARCHICAL_ADAPTIVE_PARAMS.allocation.cells,
      bull_high_vol: { leveragedEquity: 0.5, equity: 0.4, bonds: 0.3 },
    };
    expect(() => parseHierarchicalAdaptiveParams({ allocation: { cells } })).toThrow(
      /bull_high_vol weights must sum to ≤ 1 \(cash is the rest\), got 1\.2/,
    );
  });
});
