import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ema, emaAlpha, emaStream } from "./ema.js";
import { sma, smaStream } from "./sma.js";
import { identicalSeries, priceSeries, runStream } from "./testing.js";

// StockCharts ChartSchool's worked moving-average example (10 periods); its published EMA
// column is rounded to cents and was computed from rounded intermediates, hence ±0.01.
const CHARTSCHOOL_CLOSES = [
  22.27, 22.19, 22.08, 22.17, 22.18, 22.13, 22.23, 22.43, 22.24, 22.29, 22.15, 22.39, 22.38, 22.61,
  23.36, 24.05, 23.75, 23.83, 23.95, 23.63, 23.82, 23.87, 23.65, 23.19, 23.1, 23.33, 22.68, 23.1,
  22.4, 22.17,
];
const CHARTSCHOOL_EMA_10 = [
  22.22, 22.21, 22.24, 22.27, 22.33, 22.52, 22.8, 22.97, 23.13, 23.28, 23.34, 23.43, 23.51, 23.54,
  23.47, 23.4, 23.39, 23.26, 23.23, 23.08, 22.92,
];

const period = fc.integer({ min: 1, max: 30 });

describe("sma", () => {
  it("is the mean of the last n values after n − 1 warm-up nulls", () => {
    expect(sma([1, 2, 3, 4], 3)).toEqual([null, null, 2, 3]);
    expect(sma([5, 7], 1)).toEqual([5, 7]);
    expect(sma([1, 2], 3)).toEqual([null, null]);
  });

  it("gives the ChartSchool 10-day SMA: 222.21 / 10 on the first full window", () => {
    const averages = sma(CHARTSCHOOL_CLOSES, 10);
    expect(averages[9]).toBeCloseTo(22.221, 12);
    for (let index = 9; index < CHARTSCHOOL_CLOSES.length; index++) {
      const window = CHARTSCHOOL_CLOSES.slice(index - 9, index + 1);
      expect(averages[index]).toBeCloseTo(window.reduce((a, b) => a + b, 0) / 10, 12);
    }
  });

  it("depends only on its window: a flat stretch after wild prices averages to the flat price", () => {
    const averages = sma([1e6, 3.7, 0.01, 50, 50, 50], 3);
    expect(averages.at(-1)).toBe(50);
  });

  it("gives the same latest value from the last n prices alone (bit for bit)", () => {
    fc.assert(
      fc.property(priceSeries({ minLength: 30 }), period, (prices, n) =>
        Object.is(sma(prices, n).at(-1), sma(prices.slice(-n), n).at(-1)),
      ),
    );
  });

  it("streams exactly what the batch computes", () => {
    fc.assert(
      fc.property(priceSeries(), period, (prices, n) =>
        identicalSeries(sma(prices, n), runStream(smaStream(n), prices)),
      ),
    );
  });

  it("refuses bad input, naming the indicator and the rule", () => {
    expect(() => sma([1, 2], 0)).toThrow(
      new RangeError("sma: period must be an integer ≥ 1, got 0"),
    );
    expect(() => sma([1, Number.NaN], 1)).toThrow(
      new RangeError("sma: values[1] must be a finite number, got NaN"),
    );
    const stream = smaStream(2);
    stream.update(1);
    expect(() => stream.update(Number.POSITIVE_INFINITY)).toThrow(
      "sma: value #2 must be a finite number, got Infinity",
    );
    // The refused value left no trace: the window is still [1], so 3 completes it as (1 + 3) / 2.
    expect(stream.update(3)).toBe(2);
  });
});

describe("ema", () => {
  it("uses α = 2 / (n + 1)", () => {
    expect(emaAlpha(10)).toBeCloseTo(0.181818, 6);
    expect(emaAlpha(1)).toBe(1);
  });

  it("is seeded with the SMA of the first n values, then smooths (hand computation)", () => {
    // Seed (1+2+3)/3 = 2; α = 0.5: 2 + 0.5·(4 − 2) = 3; 3 + 0.5·(5 − 3) = 4; 4 + 0.5·(1 − 4) = 2.5
    expect(ema([1, 2, 3, 4, 5, 1], 3)).toEqual([null, null, 2, 3, 4, 2.5]);
  });

  it("matches ChartSchool's published 10-day EMA to the cent", () => {
    const averages = ema(CHARTSCHOOL_CLOSES, 10);
    expect(averages.slice(0, 9)).toEqual(Array(9).fill(null));
    CHARTSCHOOL_EMA_10.forEach((published, offset) => {
      expect(Math.abs((averages[9 + offset] as number) - published)).toBeLessThanOrEqual(0.0100001);
    });
  });

  it("with period 1 is the input itself", () => {
    expect(ema([3, 1, 4, 1, 5], 1)).toEqual([3, 1, 4, 1, 5]);
  });

  it("streams exactly what the batch computes", () => {
    fc.assert(
      fc.property(priceSeries(), period, (prices, n) =>
        identicalSeries(ema(prices, n), runStream(emaStream(n), prices)),
      ),
    );
  });

  it("refuses bad input", () => {
    expect(() => ema([1], 2.5)).toThrow("ema: period must be an integer ≥ 1, got 2.5");
    expect(() => emaStream(2).update(Number.NaN)).toThrow("ema: value #1 must be a finite number");
  });
});
