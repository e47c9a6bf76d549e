import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocate, confidenceOf } from "./allocation.js";
import {
  BOND_TRENDS,
  DEFAULT_HIERARCHICAL_ADAPTIVE_PARAMS as defaults,
  type HierarchicalAdaptiveParamsInput,
  parseHierarchicalAdaptiveParams,
  REGIME_CELLS,
} from "./params.js";
import type { EquityTrendReading } from "./trend.js";

const withAllocation = (allocation: HierarchicalAdaptiveParamsInput["allocation"]) =>
  parseHierarchicalAdaptiveParams({ allocation });

describe("allocation: regime cell × bond trend → weights", () => {
  it.each([
    ["bull_low_vol", { TQQQ: 1, QQQ: 0, TMF: 0, TMV: 0 }],
    ["bull_high_vol", { TQQQ: 0.4, QQQ: 0.3, TMF: 0.3, TMV: 0 }],
    ["neutral_low_vol", { TQQQ: 0.3, QQQ: 0.3, TMF: 0.4, TMV: 0 }],
    ["neutral_high_vol", { TQQQ: 0, QQQ: 0.3, TMF: 0.4, TMV: 0 }],
    ["bear_low_vol", { TQQQ: 0, QQQ: 0, TMF: 0.4, TMV: 0 }],
    ["bear_high_vol", { TQQQ: 0, QQQ: 0, TMF: 0.25, TMV: 0 }],
  ] as const)("%s with bonds trending up holds %j", (cell, weights) => {
    expect(allocate(cell, "up", defaults).weights).toEqual(weights);
  });

  it("puts the bond sleeve in TMV when the bond trend is down", () => {
    const allocation = allocate("bear_low_vol", "down", defaults);
    expect(allocation.weights).toEqual({ TQQQ: 0, QQQ: 0, TMF: 0, TMV: 0.4 });
    expect(allocation.bondSymbol).toBe("TMV");
  });

  it("keeps the bond sleeve in cash when the bond trend is flat or the safe haven is off", () => {
    expect(allocate("bear_low_vol", "flat", defaults)).toMatchObject({
      bondSymbol: null,
      bondWeight: 0,
      weights: { TMF: 0, TMV: 0 },
    });
    const noHaven = withAllocation({ safeHavenActive: false });
    expect(allocate("neutral_low_vol", "up", noHaven).weights).toEqual({
      TQQQ: 0.3,
      QQQ: 0.3,
      TMF: 0,
      TMV: 0,
    });
  });

  it("caps the bond sleeve at maxBondWeight and leaves the excess in cash", () => {
    const cells = {
      ...defaults.allocation.cells,
      bear_low_vol: { leveragedEquity: 0, equity: 0, bonds: 0.7 },
    };
    const allocation = allocate("bear_low_vol", "up", withAllocation({ cells }));
    expect(allocation.weights.TMF).toBe(0.4);
    expect(allocation.bondWeightCapped).toBe(true);
    const lowerCap = withAllocation({ maxBondWeight: 0.2 });
    expect(allocate("neutral_low_vol", "down", lowerCap).weights.TMV).toBe(0.2);
  });

  it("scales the leveraged sleeve by the leverage scalar; the rest stays in cash", () => {
    const half = withAllocation({ leverageScalar: 0.5 });
    expect(allocate("bull_low_vol", "up", half).weights.TQQQ).toBe(0.5);
  });

  it("never allocates more than 100%, never a negative weight, never bonds above the cap", () => {
    const sleeve = fc.record({
      leveragedEquity: fc.double({ min: 0, max: 1, noNaN: true }),
      equity: fc.double({ min: 0, max: 1, noNaN: true }),
      bonds: fc.double({ min: 0, max: 1, noNaN: true }),
    });
    // Scale each drawn sleeve so it sums to at most 1, as the params schema requires.
    const validSleeve = sleeve.map(({ leveragedEquity, equity, bonds }) => {
      const total = Math.max(1, leveragedEquity + equity + bonds);
      return {
        leveragedEquity: leveragedEquity / total,
        equity: equity / total,
        bonds: bonds / total,
      };
    });
    fc.assert(
      fc.property(
        validSleeve,
        fc.constantFrom(...REGIME_CELLS),
        fc.constantFrom(...BOND_TRENDS),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (cellWeights, cell, bondTrend, maxBondWeight, leverageScalar) => {
          const params = withAllocation({
            cells: { ...defaults.allocation.cells, [cell]: cellWeights },
            maxBondWeight,
            leverageScalar,
          });
          const weights = Object.values(allocate(cell, bondTrend, params).weights);
          expect(weights.every((weight) => weight >= 0)).toBe(true);
          expect(weights.reduce((sum, weight) => sum + weight, 0)).toBeLessThanOrEqual(1 + 1e-9);
          const { TMF = 0, TMV = 0 } = allocate(cell, bondTrend, params).weights;
          expect(TMF + TMV).toBeLessThanOrEqual(maxBondWeight);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("confidence", () => {
  const reading = (trend: EquityTrendReading["trend"], smaSpread: number): EquityTrendReading => ({
    trend,
    smaSpread,
    fastSma: 100 * (1 + smaSpread),
    slowSma: 100,
    kalmanVelocity: 0,
    smaVote: smaSpread > 0 ? 1 : -1,
    kalmanVote: 0,
  });

  it("grows from 0.5 to 1 as the SMAs spread apart up to 5%, in bull and bear cells alike", () => {
    expect(confidenceOf(reading("bull", 0), defaults.allocation)).toBe(0.5);
    expect(confidenceOf(reading("bull", 0.025), defaults.allocation)).toBeCloseTo(0.75, 12);
    expect(confidenceOf(reading("bear", -0.025), defaults.allocation)).toBeCloseTo(0.75, 12);
    expect(confidenceOf(reading("bull", 0.05), defaults.allocation)).toBe(1);
    expect(confidenceOf(reading("bear", -0.2), defaults.allocation)).toBe(1);
  });

  it("is 0.5 in a neutral cell, whatever the spread", () => {
    expect(confidenceOf(reading("neutral", 0.04), defaults.allocation)).toBe(0.5);
  });
});
