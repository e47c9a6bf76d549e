import type { IndicatorSeries, IndicatorStream } from "./types.js";
import { requireAllFinite, requireFinite, requirePeriod } from "./validate.js";

const NAME = "ema";

/** The smoothing factor α = 2 / (period + 1). */
export function emaAlpha(period: number): number {
  return 2 / (period + 1);
}

/**
 * Exponential moving average, seeded like TA-Lib: the first value (index `period − 1`) is the
 * simple mean of the first `period` values, then EMAₜ = EMAₜ₋₁ + α·(xₜ − EMAₜ₋₁), α = 2/(period+1).
 * `period − 1` leading nulls.
 */
export function ema(values: readonly number[], period: number): IndicatorSeries {
  requirePeriod(NAME, "period", period);
  requireAllFinite(NAME, "values", values);
  const alpha = emaAlpha(period);
  const output: IndicatorSeries = [];
  let seedSum = 0;
  let average = 0;
  for (let index = 0; index < values.length; index++) {
    const value = values[index] as number;
    if (index < period) {
      seedSum += value;
      if (index < period - 1) {
        output.push(null);
        continue;
      }
      average = seedSum / period;
    } else {
      average = average + alpha * (value - average);
    }
    output.push(average);
  }
  return output;
}

export function emaStream(period: number): IndicatorStream {
  requirePeriod(NAME, "period", period);
  const alpha = emaAlpha(period);
  let count = 0;
  let seedSum = 0;
  let average = 0;
  return {
    update(value) {
      requireFinite(NAME, `value #${count + 1}`, value);
      count++;
      if (count < period) {
        seedSum += value;
        return null;
      }
      if (count === period) {
        seedSum += value;
        average = seedSum / period;
      } else {
        average = average + alpha * (value - average);
      }
      return average;
    },
  };
}
