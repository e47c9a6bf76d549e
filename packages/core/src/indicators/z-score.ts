import type { IndicatorSeries, IndicatorStream } from "./types.js";
import { requireAllFinite, requireFinite, requirePeriod } from "./validate.js";
import { RingWindow, windowMoments } from "./window-math.js";

const NAME = "zScore";

/**
 * How many (population) standard deviations the latest value lies from the mean of the last
 * `period` values, the latest included: zₜ = (xₜ − mean) / std. `period − 1` leading nulls. A
 * flat window (std 0) gives 0: the value is not unusual against it.
 */
export function zScore(values: readonly number[], period: number): IndicatorSeries {
  requirePeriod(NAME, "period", period, 2);
  requireAllFinite(NAME, "values", values);
  const output: IndicatorSeries = [];
  for (let index = 0; index < values.length; index++) {
    if (index < period - 1) {
      output.push(null);
      continue;
    }
    const { mean, std } = windowMoments(values, index - period + 1, period, "population");
    output.push(standardize(values[index] as number, mean, std));
  }
  return output;
}

export function zScoreStream(period: number): IndicatorStream {
  requirePeriod(NAME, "period", period, 2);
  const window = new RingWindow(period);
  let count = 0;
  return {
    update(value) {
      requireFinite(NAME, `value #${count + 1}`, value);
      count++;
      window.push(value);
      if (!window.full) return null;
      const { mean, std } = windowMoments(window.values, window.oldest, period, "population");
      return standardize(value, mean, std);
    },
  };
}

function standardize(value: number, mean: number, std: number): number {
  return std === 0 ? 0 : (value - mean) / std;
}
