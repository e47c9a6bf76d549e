import type { IndicatorSeries, IndicatorStream } from "./types.js";
import { requireAllFinite, requireFinite, requirePeriod } from "./validate.js";
import { RingWindow, windowSum } from "./window-math.js";

const NAME = "sma";

/** Simple moving average: the mean of the last `period` values; `period − 1` leading nulls. */
export function sma(values: readonly number[], period: number): IndicatorSeries {
  requirePeriod(NAME, "period", period);
  requireAllFinite(NAME, "values", values);
  const output: IndicatorSeries = [];
  for (let index = 0; index < values.length; index++) {
    output.push(index < period - 1 ? null : windowSum(values, index - period + 1, period) / period);
  }
  return output;
}

export function smaStream(period: number): IndicatorStream {
  requirePeriod(NAME, "period", period);
  const window = new RingWindow(period);
  let count = 0;
  return {
    update(value) {
      requireFinite(NAME, `value #${count + 1}`, value);
      count++;
      window.push(value);
      return window.full ? windowSum(window.values, window.oldest, period) / period : null;
    },
  };
}
