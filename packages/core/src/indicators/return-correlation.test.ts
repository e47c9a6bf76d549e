import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { returnCorrelation, returnCorrelationStream, simpleReturn } from "./return-correlation.js";
import { identicalSeries, priceSeries, runStream } from "./testing.js";

/** Pearson's r straight from the definition. */
function referencePearson(xs: readonly number[], ys: readonly number[]): number {
  const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  xs.forEach((x, index) => {
    const y = ys[index] as number;
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
}

/** Prices whose simple returns are the given ones, from 100. */
function pricesFrom(returns: readonly number[]): number[] {
  const prices = [100];
  for (const r of returns) prices.push((prices.at(-1) as number) * (1 + r));
  return prices;
}

const pairedSeries = priceSeries({ minLength: 2, maxLength: 60 }).chain((a) =>
  priceSeries({ minLength: a.length, maxLength: a.length }).map((b) => [a, b] as const),
);

describe("returnCorrelation", () => {
  it("correlates simple daily returns, not price levels", () => {
    const returnsA = [0.01, -0.02, 0.03, 0.005, -0.01];
    const returnsB = [0.02, -0.01, 0.01, 0.0, -0.03];
    const correlation = returnCorrelation(pricesFrom(returnsA), pricesFrom(returnsB), 5);
    expect(correlation.slice(0, 5)).toEqual(Array(5).fill(null));
    expect(correlation[5]).toBeCloseTo(referencePearson(returnsA, returnsB), 10);
    expect(simpleReturn(100, 103)).toBeCloseTo(0.03, 15);
  });

  it("is +1 for a 3× leveraged twin and −1 for an inverse one", () => {
    const returns = [0.01, -0.02, 0.015, 0.004, -0.007, 0.012];
    const underlying = pricesFrom(returns);
    expect(returnCorrelation(underlying, pricesFrom(returns.map((r) => 3 * r)), 6)[6]).toBeCloseTo(
      1,
      12,
    );
    expect(returnCorrelation(underlying, pricesFrom(returns.map((r) => -r)), 6)[6]).toBeCloseTo(
      -1,
      12,
    );
  });

  it("is 0 against a series that does not move (cash)", () => {
    expect(returnCorrelation([100, 101, 99, 102], [50, 50, 50, 50], 3)[3]).toBe(0);
  });

  it("stays within [−1, 1] and agrees with the definition", () => {
    fc.assert(
      fc.property(pairedSeries, fc.integer({ min: 2, max: 20 }), ([a, b], n) => {
        const returnsOf = (prices: readonly number[]) =>
          prices.slice(1).map((price, index) => simpleReturn(prices[index] as number, price));
        const [returnsA, returnsB] = [returnsOf(a), returnsOf(b)];
        return returnCorrelation(a, b, n).every((value, index) => {
          if (value === null) return index < n;
          const expected = referencePearson(
            returnsA.slice(index - n, index),
            returnsB.slice(index - n, index),
          );
          const inRange = value >= -1 && value <= 1;
          // A window without variation has no defined r (NaN by the formula); we report 0.
          return (
            inRange && (Number.isNaN(expected) ? value === 0 : Math.abs(value - expected) < 1e-9)
          );
        });
      }),
    );
  });

  it("streams exactly what the batch computes", () => {
    fc.assert(
      fc.property(pairedSeries, fc.integer({ min: 2, max: 20 }), ([a, b], n) => {
        const pairs = a.map((price, index) => [price, b[index] as number] as const);
        return identicalSeries(
          returnCorrelation(a, b, n),
          runStream(returnCorrelationStream(n), pairs),
        );
      }),
    );
  });

  it("refuses misaligned series and prices a return cannot divide by", () => {
    expect(() => returnCorrelation([1, 2, 3], [1, 2], 2)).toThrow(
      "returnCorrelation: the two series must be aligned (same length), got 3 and 2 prices",
    );
    expect(() => returnCorrelation([1, 2, 3], [1, -2, 3], 2)).toThrow(
      "returnCorrelation: pricesB[1] must be a finite price > 0 (a return divides by it), got -2",
    );
    expect(() => returnCorrelationStream(1)).toThrow(
      "returnCorrelation: window must be an integer ≥ 2, got 1",
    );
  });
});
