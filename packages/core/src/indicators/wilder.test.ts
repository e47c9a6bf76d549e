import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { atr, atrStream, type HighLowClose, trueRange } from "./atr.js";
import { rsi, rsiStream } from "./rsi.js";
import { barSeries, identicalSeries, priceSeries, runStream } from "./testing.js";

const period = fc.integer({ min: 1, max: 20 });

/** Wilder's smoothing straight from the definition: simple mean of the first n, then (prev·(n−1) + x)/n. */
function referenceWilder(inputs: readonly number[], n: number): number[] {
  const smoothed = [inputs.slice(0, n).reduce((a, b) => a + b, 0) / n];
  for (const input of inputs.slice(n))
    smoothed.push(((smoothed.at(-1) as number) * (n - 1) + input) / n);
  return smoothed;
}

describe("atr", () => {
  it("takes the widest of the day's range and the gaps from the previous close", () => {
    expect(trueRange({ high: 12, low: 11, close: 11.5 }, 10)).toBe(2); // gap up
    expect(trueRange({ high: 9, low: 8, close: 8.5 }, 10)).toBe(2); // gap down
    expect(trueRange({ high: 11, low: 9, close: 10 }, 10)).toBe(2); // inside day
  });

  it("starts at index n with the mean of the first n true ranges, then smooths Wilder's way", () => {
    const bars: HighLowClose[] = [
      { high: 10, low: 9, close: 9.5 },
      { high: 10.5, low: 9.5, close: 10 }, // TR 1
      { high: 11, low: 10, close: 10.8 }, // TR 1
      { high: 12, low: 10.6, close: 11 }, // TR 1.4
      { high: 11, low: 8.8, close: 9 }, // TR 2.2
    ];
    // First ATR (n = 2) = (1 + 1) / 2 = 1; then (1·1 + 1.4)/2 = 1.2; then (1.2 + 2.2)/2 = 1.7.
    const ranges = atr(bars, 2);
    expect(ranges.slice(0, 2)).toEqual([null, null]);
    expect(ranges[2]).toBe(1);
    expect(ranges[3]).toBeCloseTo(1.2, 12);
    expect(ranges[4]).toBeCloseTo(1.7, 12);
  });

  it("agrees with Wilder's smoothing of the true ranges computed by hand", () => {
    fc.assert(
      fc.property(barSeries({ minLength: 2, maxLength: 60 }), period, (bars, n) => {
        const ranges = bars
          .slice(1)
          .map((bar, index) => trueRange(bar, (bars[index] as HighLowClose).close));
        const expected = ranges.length >= n ? referenceWilder(ranges, n) : [];
        const actual = atr(bars, n).slice(n).map(Number);
        return (
          actual.length === expected.length &&
          actual.every(
            (value, index) => Math.abs(value - (expected[index] as number)) <= 1e-9 * value,
          )
        );
      }),
    );
  });

  it("streams exactly what the batch computes", () => {
    fc.assert(
      fc.property(barSeries(), period, (bars, n) =>
        identicalSeries(atr(bars, n), runStream(atrStream(n), bars)),
      ),
    );
  });

  it("refuses a bar whose high is below its low, or a bad price", () => {
    expect(() => atr([{ high: 9, low: 10, close: 9.5 }], 1)).toThrow(
      "atr: bars[0] has high 9 below low 10",
    );
    const stream = atrStream(3);
    stream.update({ high: 10, low: 9, close: 9.5 });
    expect(() => stream.update({ high: 10, low: Number.NaN, close: 9.5 })).toThrow(
      "atr: bar #2.low must be a finite price > 0",
    );
  });
});

// Wilder's RSI worked example as reproduced by StockCharts ChartSchool (14 periods). The sheet
// rounds its intermediate averages, so its column can differ in the second decimal; the values
// below are the unrounded computation, as other libraries' test suites publish it.
const CHARTSCHOOL_RSI_CLOSES = [
  44.34, 44.09, 44.15, 43.61, 44.33, 44.83, 45.1, 45.42, 45.84, 46.08, 45.89, 46.03, 45.61, 46.28,
  46.28, 46.0, 46.03, 46.41, 46.22, 45.64, 46.21, 46.25, 45.71, 46.45, 45.78, 45.35, 44.03, 44.18,
  44.22, 44.57, 43.42, 42.66, 43.13,
];
const RSI_14 = [
  70.46, 66.25, 66.48, 69.35, 66.29, 57.92, 62.88, 63.21, 56.01, 62.34, 54.67, 50.39, 40.02, 41.49,
  41.9, 45.5, 37.32, 33.09, 37.79,
];

describe("rsi", () => {
  it("reproduces Wilder's 14-period worked example", () => {
    const values = rsi(CHARTSCHOOL_RSI_CLOSES, 14);
    expect(values.slice(0, 14)).toEqual(Array(14).fill(null));
    expect(values.slice(14).map((value) => Number((value as number).toFixed(2)))).toEqual(RSI_14);
  });

  it("is 100 when nothing fell, 0 when nothing rose", () => {
    expect(rsi([1, 2, 3, 4], 3)).toEqual([null, null, null, 100]);
    expect(rsi([4, 3, 2, 1], 3)).toEqual([null, null, null, 0]);
    expect(rsi([5, 5, 5], 2).at(-1)).toBe(100);
  });

  it("agrees with Wilder's smoothing of gains and losses, and stays within 0–100", () => {
    fc.assert(
      fc.property(priceSeries({ minLength: 2, maxLength: 60 }), period, (prices, n) => {
        const changes = prices.slice(1).map((price, index) => price - (prices[index] as number));
        if (changes.length < n) return rsi(prices, n).every((value) => value === null);
        const gains = referenceWilder(
          changes.map((change) => Math.max(change, 0)),
          n,
        );
        const losses = referenceWilder(
          changes.map((change) => Math.max(-change, 0)),
          n,
        );
        return rsi(prices, n)
          .slice(n)
          .every((value, index) => {
            const gain = gains[index] as number;
            const loss = losses[index] as number;
            const expected = loss === 0 ? 100 : (100 * gain) / (gain + loss);
            return (
              value !== null && value >= 0 && value <= 100 && Math.abs(value - expected) < 1e-6
            );
          });
      }),
    );
  });

  it("streams exactly what the batch computes", () => {
    fc.assert(
      fc.property(priceSeries(), period, (prices, n) =>
        identicalSeries(rsi(prices, n), runStream(rsiStream(n), prices)),
      ),
    );
  });

  it("refuses a NaN and a period below 1", () => {
    expect(() => rsi([1, Number.NaN], 1)).toThrow(
      "rsi: values[1] must be a finite number, got NaN",
    );
    expect(() => rsiStream(0)).toThrow("rsi: period must be an integer ≥ 1, got 0");
  });
});
