import fc from "fast-check";
import type { HighLowClose } from "./atr.js";
import type { IndicatorSeries, IndicatorStream } from "./types.js";

export interface SeriesOptions {
  readonly minLength?: number;
  readonly maxLength?: number;
}

/**
 * Positive prices as a random walk of daily returns between −15% and +15%, with flat days mixed
 * in so runs of equal prices (flat windows) occur too.
 */
export function priceSeries(options: SeriesOptions = {}): fc.Arbitrary<number[]> {
  const { minLength = 0, maxLength = 80 } = options;
  const dailyReturn = fc.oneof(fc.double({ min: -0.15, max: 0.15, noNaN: true }), fc.constant(0));
  return fc
    .tuple(
      fc.double({ min: 1, max: 500, noNaN: true }),
      fc.array(dailyReturn, { minLength: Math.max(0, minLength - 1), maxLength: maxLength - 1 }),
    )
    .map(([start, returns]) => {
      if (minLength === 0 && returns.length === 0) return [];
      const prices = [start];
      for (const dailyChange of returns) {
        prices.push((prices[prices.length - 1] as number) * (1 + dailyChange));
      }
      return prices;
    });
}

/** Bars around a random-walk close: high and low up to 5% away, high ≥ close ≥ low. */
export function barSeries(options: SeriesOptions = {}): fc.Arbitrary<HighLowClose[]> {
  return priceSeries(options).chain((closes) =>
    fc
      .array(
        fc.tuple(
          fc.double({ min: 0, max: 0.05, noNaN: true }),
          fc.double({ min: 0, max: 0.05, noNaN: true }),
        ),
        {
          minLength: closes.length,
          maxLength: closes.length,
        },
      )
      .map((spreads) =>
        closes.map((close, index) => {
          const [up, down] = spreads[index] ?? [0, 0];
          return { high: close * (1 + up), low: close * (1 - down), close };
        }),
      ),
  );
}

/** Feeds every input to a fresh stream, oldest first, collecting what `update` returns. */
export function runStream<Input, Value>(
  stream: IndicatorStream<Input, Value>,
  inputs: readonly Input[],
): IndicatorSeries<Value> {
  return inputs.map((input) => stream.update(input));
}

/** Same length and every entry identical bit for bit (Object.is: 0 ≠ −0, null only with null). */
export function identicalSeries(
  left: IndicatorSeries<number>,
  right: IndicatorSeries<number>,
): boolean {
  return (
    left.length === right.length && left.every((value, index) => Object.is(value, right[index]))
  );
}
