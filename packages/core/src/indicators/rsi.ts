import type { IndicatorSeries, IndicatorStream } from "./types.js";
import { requireAllFinite, requireFinite, requirePeriod } from "./validate.js";

const NAME = "rsi";

/** RSI from Wilder's average gain and loss: 100 − 100 / (1 + gain/loss), 100 when loss is 0. */
export function rsiFromAverages(averageGain: number, averageLoss: number): number {
  return averageLoss === 0 ? 100 : 100 - 100 / (1 + averageGain / averageLoss);
}

/**
 * Relative strength index, Wilder: changes start at the second value; the first average gain and
 * loss, at index `period`, are simple means over the first `period` changes; then
 * avgₜ = (avgₜ₋₁·(period − 1) + currentₜ) / period. `period` leading nulls. 100 whenever the
 * average loss is 0 (a flat window included).
 */
export function rsi(values: readonly number[], period: number): IndicatorSeries {
  requirePeriod(NAME, "period", period);
  requireAllFinite(NAME, "values", values);
  const output: IndicatorSeries = [];
  let gainSum = 0;
  let lossSum = 0;
  let averageGain = 0;
  let averageLoss = 0;
  for (let index = 0; index < values.length; index++) {
    if (index === 0) {
      output.push(null);
      continue;
    }
    const change = (values[index] as number) - (values[index - 1] as number);
    const gain = Math.max(change, 0);
    const loss = Math.max(-change, 0);
    if (index < period) {
      gainSum += gain;
      lossSum += loss;
      output.push(null);
      continue;
    }
    if (index === period) {
      gainSum += gain;
      lossSum += loss;
      averageGain = gainSum / period;
      averageLoss = lossSum / period;
    } else {
      averageGain = (averageGain * (period - 1) + gain) / period;
      averageLoss = (averageLoss * (period - 1) + loss) / period;
    }
    output.push(rsiFromAverages(averageGain, averageLoss));
  }
  return output;
}

export function rsiStream(period: number): IndicatorStream {
  requirePeriod(NAME, "period", period);
  let previous: number | null = null;
  let count = 0;
  let changes = 0;
  let gainSum = 0;
  let lossSum = 0;
  let averageGain = 0;
  let averageLoss = 0;
  return {
    update(value) {
      requireFinite(NAME, `value #${count + 1}`, value);
      count++;
      if (previous === null) {
        previous = value;
        return null;
      }
      const change = value - previous;
      previous = value;
      changes++;
      const gain = Math.max(change, 0);
      const loss = Math.max(-change, 0);
      if (changes < period) {
        gainSum += gain;
        lossSum += loss;
        return null;
      }
      if (changes === period) {
        gainSum += gain;
        lossSum += loss;
        averageGain = gainSum / period;
        averageLoss = lossSum / period;
      } else {
        averageGain = (averageGain * (period - 1) + gain) / period;
        averageLoss = (averageLoss * (period - 1) + loss) / period;
      }
      return rsiFromAverages(averageGain, averageLoss);
    },
  };
}
