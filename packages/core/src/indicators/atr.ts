import type { Bar } from "../market/bars.js";
import type { IndicatorSeries, IndicatorStream } from "./types.js";
import { requirePeriod, requirePositivePrice } from "./validate.js";

const NAME = "atr";

/** The part of a bar the true range reads. */
export type HighLowClose = Pick<Bar, "high" | "low" | "close">;

/** True range: the widest of high − low, |high − previous close| and |low − previous close|. */
export function trueRange(bar: HighLowClose, previousClose: number): number {
  return Math.max(
    bar.high - bar.low,
    Math.abs(bar.high - previousClose),
    Math.abs(bar.low - previousClose),
  );
}

function requireBar(what: string, bar: HighLowClose): void {
  requirePositivePrice(NAME, `${what}.high`, bar.high, "a bar's prices are positive");
  requirePositivePrice(NAME, `${what}.low`, bar.low, "a bar's prices are positive");
  requirePositivePrice(NAME, `${what}.close`, bar.close, "a bar's prices are positive");
  if (bar.high < bar.low) {
    throw new RangeError(`${NAME}: ${what} has high ${bar.high} below low ${bar.low}`);
  }
}

/**
 * Average true range, Wilder (TA-Lib convention): true ranges start at the second bar (they need
 * the previous close); the first ATR, at index `period`, is the mean of the first `period` true
 * ranges; then ATRₜ = (ATRₜ₋₁·(period − 1) + TRₜ) / period. `period` leading nulls.
 */
export function atr(bars: readonly HighLowClose[], period: number): IndicatorSeries {
  requirePeriod(NAME, "period", period);
  for (let index = 0; index < bars.length; index++) {
    requireBar(`bars[${index}]`, bars[index] as HighLowClose);
  }
  const output: IndicatorSeries = [];
  let rangeSum = 0;
  let average = 0;
  for (let index = 0; index < bars.length; index++) {
    if (index === 0) {
      output.push(null);
      continue;
    }
    const range = trueRange(bars[index] as HighLowClose, (bars[index - 1] as HighLowClose).close);
    if (index < period) {
      rangeSum += range;
      output.push(null);
      continue;
    }
    if (index === period) {
      rangeSum += range;
      average = rangeSum / period;
    } else {
      average = (average * (period - 1) + range) / period;
    }
    output.push(average);
  }
  return output;
}

export function atrStream(period: number): IndicatorStream<HighLowClose> {
  requirePeriod(NAME, "period", period);
  let previousClose: number | null = null;
  let count = 0;
  let ranges = 0;
  let rangeSum = 0;
  let average = 0;
  return {
    update(bar) {
      requireBar(`bar #${count + 1}`, bar);
      count++;
      if (previousClose === null) {
        previousClose = bar.close;
        return null;
      }
      const range = trueRange(bar, previousClose);
      previousClose = bar.close;
      ranges++;
      if (ranges < period) {
        rangeSum += range;
        return null;
      }
      if (ranges === period) {
        rangeSum += range;
        average = rangeSum / period;
      } else {
        average = (average * (period - 1) + range) / period;
      }
      return average;
    },
  };
}
