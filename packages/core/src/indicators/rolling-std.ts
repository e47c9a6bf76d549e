import type { DeviationEstimator, IndicatorSeries, IndicatorStream } from "./types.js";
import { requireAllFinite, requireFinite, requirePeriod } from "./validate.js";
import { RingWindow, windowMoments } from "./window-math.js";

const NAME = "rollingStd";

/**
 * Rolling standard deviation of the last `period` values, population (divide by n) unless
 * `estimator` is "sample" (n − 1). `period − 1` leading nulls; a flat window gives exactly 0.
 */
export function rollingStd(
  values: readonly number[],
  period: number,
  estimator: DeviationEstimator = "population",
): IndicatorSeries {
  requirePeriod(NAME, "period", period, 2);
  requireAllFinite(NAME, "values", values);
  const output: IndicatorSeries = [];
  for (let index = 0; index < values.length; index++) {
    output.push(
      index < period - 1 ? null : windowMoments(values, index - period + 1, period, estimator).std,
    );
  }
  return output;
}

export function rollingStdStream(
  period: number,
  estimator: DeviationEstimator = "population",
): IndicatorStream {
  requirePeriod(NAME, "period", period, 2);
  const window = new RingWindow(period);
  let count = 0;
  return {
    update(value) {
      requireFinite(NAME, `value #${count + 1}`, value);
      count++;
      window.push(value);
      return window.full
        ? windowMoments(window.values, window.oldest, period, estimator).std
        : null;
    },
  };
}
