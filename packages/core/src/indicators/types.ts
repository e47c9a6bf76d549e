/**
 * A batch indicator's output: one entry per input, aligned by index. `null` marks a warm-up
 * position (not enough input yet); a value is never NaN.
 */
export type IndicatorSeries<Value = number> = (Value | null)[];

/**
 * The streaming form: feed inputs oldest first; `update` returns the indicator's value after that
 * input, or null during warm-up. It gives exactly (bit for bit) the batch form's values.
 */
export interface IndicatorStream<Input = number, Value = number> {
  update(input: Input): Value | null;
}

/** Which divisor a standard deviation uses: n (population) or n − 1 (sample). */
export type DeviationEstimator = "population" | "sample";
