import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_REALIZED_VOLATILITY_CONFIG,
  realizedVolatility,
  realizedVolatilityStream,
} from "./realized-volatility.js";
import { rollingStd, rollingStdStream } from "./rolling-std.js";
import { identicalSeries, priceSeries, runStream } from "./testing.js";
import { zScore, zScoreStream } from "./z-score.js";

// The textbook set: mean 5, squared deviations sum to 32.
const TEXTBOOK = [2, 4, 4, 4, 5, 5, 7, 9];
const window = fc.integer({ min: 2, max: 30 });

/** Straight from the definition, for comparison. */
function referenceStd(values: readonly number[], divisorOffset: 0 | 1): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const squares = values.reduce((sum, value) => sum + (value - mean) ** 2, 0);
  return Math.sqrt(squares / (values.length - divisorOffset));
}

describe("rollingStd", () => {
  it("is the population deviation by default: 2 on the textbook set, √(32/7) as a sample", () => {
    expect(rollingStd(TEXTBOOK, 8).at(-1)).toBe(2);
    expect(rollingStd(TEXTBOOK, 8, "sample").at(-1)).toBeCloseTo(Math.sqrt(32 / 7), 14);
    expect(rollingStd(TEXTBOOK, 8).slice(0, 7)).toEqual(Array(7).fill(null));
  });

  it("rolls: each value is the deviation of its own window", () => {
    const deviations = rollingStd(TEXTBOOK, 3);
    for (let index = 2; index < TEXTBOOK.length; index++) {
      expect(deviations[index]).toBeCloseTo(
        referenceStd(TEXTBOOK.slice(index - 2, index + 1), 0),
        14,
      );
    }
  });

  it("is exactly 0 on a flat window, rounding noise included", () => {
    expect(rollingStd([0.1, 0.1, 0.1], 3)).toEqual([null, null, 0]);
    expect(rollingStd([7, 1, 1e-3, 1e-3, 1e-3], 3).at(-1)).toBe(0);
  });

  it("streams exactly what the batch computes, for both estimators", () => {
    fc.assert(
      fc.property(
        priceSeries(),
        window,
        fc.constantFrom("population", "sample"),
        (prices, n, estimator) =>
          identicalSeries(
            rollingStd(prices, n, estimator),
            runStream(rollingStdStream(n, estimator), prices),
          ),
      ),
    );
  });

  it("needs a window of at least 2", () => {
    expect(() => rollingStd([1, 2], 1)).toThrow("rollingStd: period must be an integer ≥ 2, got 1");
  });
});

describe("zScore", () => {
  it("measures the latest value against its window's mean and population deviation", () => {
    // [1..5]: mean 3, population deviation √2, so 5 is √2 deviations above.
    expect(zScore([1, 2, 3, 4, 5], 5)).toEqual([null, null, null, null, 2 / Math.sqrt(2)]);
    expect(zScore([5, 4, 3, 2, 1], 5).at(-1)).toBeCloseTo(-Math.SQRT2, 14);
  });

  it("is 0 against a flat window", () => {
    expect(zScore([3, 3, 3, 3], 3)).toEqual([null, null, 0, 0]);
  });

  it("streams exactly what the batch computes", () => {
    fc.assert(
      fc.property(priceSeries(), window, (prices, n) =>
        identicalSeries(zScore(prices, n), runStream(zScoreStream(n), prices)),
      ),
    );
  });

  it("refuses a NaN", () => {
    expect(() => zScore([1, Number.NaN, 3], 2)).toThrow(
      "zScore: values[1] must be a finite number, got NaN",
    );
  });
});

describe("realizedVolatility", () => {
  it("annualizes the deviation of daily log returns by √252 (population, 21 days by default)", () => {
    expect(DEFAULT_REALIZED_VOLATILITY_CONFIG).toEqual({
      window: 21,
      periodsPerYear: 252,
      estimator: "population",
    });
    // 100 → 110 → 99: log returns ln 1.1 and ln 0.9.
    const returns = [Math.log(1.1), Math.log(0.9)];
    const volatility = realizedVolatility([100, 110, 99], { window: 2 });
    expect(volatility.slice(0, 2)).toEqual([null, null]);
    expect(volatility[2]).toBeCloseTo(referenceStd(returns, 0) * Math.sqrt(252), 12);
    expect(volatility[2]).toBeCloseTo(1.5928, 4);
    expect(realizedVolatility([100, 110, 99], { window: 2, estimator: "sample" })[2]).toBeCloseTo(
      referenceStd(returns, 1) * Math.sqrt(252),
      12,
    );
  });

  it("has `window` warm-up nulls: the first value needs window + 1 prices", () => {
    const prices = Array.from({ length: 30 }, (_, day) => 100 + Math.sin(day));
    const volatility = realizedVolatility(prices);
    expect(volatility.findIndex((value) => value !== null)).toBe(21);
  });

  it("is 0 for steady compounding (every daily return the same)", () => {
    const prices = Array.from({ length: 10 }, (_, day) => 100 * 1.01 ** day);
    expect(realizedVolatility(prices, { window: 5 }).at(-1)).toBe(0);
  });

  it("gives the same latest value from the last window + 1 prices alone (bit for bit)", () => {
    fc.assert(
      fc.property(priceSeries({ minLength: 31 }), window, (prices, n) =>
        Object.is(
          realizedVolatility(prices, { window: n }).at(-1),
          realizedVolatility(prices.slice(-(n + 1)), { window: n }).at(-1),
        ),
      ),
    );
  });

  it("scales with periodsPerYear", () => {
    const prices = [100, 102, 99, 101, 104];
    const daily = realizedVolatility(prices, { window: 4, periodsPerYear: 1 })[4] as number;
    expect(realizedVolatility(prices, { window: 4 })[4]).toBe(daily * Math.sqrt(252));
  });

  it("streams exactly what the batch computes", () => {
    fc.assert(
      fc.property(
        priceSeries(),
        window,
        fc.constantFrom("population", "sample"),
        (prices, n, estimator) => {
          const config = { window: n, estimator } as const;
          return identicalSeries(
            realizedVolatility(prices, config),
            runStream(realizedVolatilityStream(config), prices),
          );
        },
      ),
    );
  });

  it("refuses a price it cannot take a log of, and a bad window", () => {
    expect(() => realizedVolatility([100, 0, 101], { window: 2 })).toThrow(
      "realizedVolatility: prices[1] must be a finite price > 0 (a log return needs it), got 0",
    );
    expect(() => realizedVolatilityStream().update(-5)).toThrow(
      "price #1 must be a finite price > 0",
    );
    expect(() => realizedVolatility([100], { window: 1 })).toThrow(
      /realizedVolatility config is invalid[\s\S]*window/,
    );
  });
});
