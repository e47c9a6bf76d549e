import type { IndicatorSeries, IndicatorStream } from "./types.js";
import { requirePeriod, requirePositivePrice } from "./validate.js";
import { RingWindow, windowPearson } from "./window-math.js";

const NAME = "returnCorrelation";
const NEEDS_RETURN = "a return divides by it";

/** The simple return from one price to the next: pₜ / pₜ₋₁ − 1. */
export function simpleReturn(previous: number, current: number): number {
  return current / previous - 1;
}

/**
 * Pearson correlation of the last `window` simple daily returns of two aligned price series
 * (same dates at the same index). `window` leading nulls (the first value needs window + 1
 * prices). In [−1, 1]; 0 when either series' returns do not vary over the window.
 */
export function returnCorrelation(
  pricesA: readonly number[],
  pricesB: readonly number[],
  window: number,
): IndicatorSeries {
  requirePeriod(NAME, "window", window, 2);
  if (pricesA.length !== pricesB.length) {
    throw new RangeError(
      `${NAME}: the two series must be aligned (same length), got ${pricesA.length} and ${pricesB.length} prices`,
    );
  }
  for (let index = 0; index < pricesA.length; index++) {
    requirePositivePrice(NAME, `pricesA[${index}]`, pricesA[index] as number, NEEDS_RETURN);
    requirePositivePrice(NAME, `pricesB[${index}]`, pricesB[index] as number, NEEDS_RETURN);
  }
  const returnsA: number[] = [];
  const returnsB: number[] = [];
  for (let index = 1; index < pricesA.length; index++) {
    returnsA.push(simpleReturn(pricesA[index - 1] as number, pricesA[index] as number));
    returnsB.push(simpleReturn(pricesB[index - 1] as number, pricesB[index] as number));
  }
  const output: IndicatorSeries = [];
  for (let index = 0; index < pricesA.length; index++) {
    output.push(index < window ? null : windowPearson(returnsA, returnsB, index - window, window));
  }
  return output;
}

/** Streaming form: `update([priceA, priceB])` with the two series' prices for the same date. */
export function returnCorrelationStream(
  window: number,
): IndicatorStream<readonly [number, number]> {
  requirePeriod(NAME, "window", window, 2);
  const returnsA = new RingWindow(window);
  const returnsB = new RingWindow(window);
  let previous: readonly [number, number] | null = null;
  let count = 0;
  return {
    update(prices) {
      const [priceA, priceB] = prices;
      requirePositivePrice(NAME, `price A #${count + 1}`, priceA, NEEDS_RETURN);
      requirePositivePrice(NAME, `price B #${count + 1}`, priceB, NEEDS_RETURN);
      count++;
      if (previous !== null) {
        returnsA.push(simpleReturn(previous[0], priceA));
        returnsB.push(simpleReturn(previous[1], priceB));
      }
      previous = [priceA, priceB];
      if (!returnsA.full) return null;
      return windowPearson(returnsA.values, returnsB.values, returnsA.oldest, window);
    },
  };
}
