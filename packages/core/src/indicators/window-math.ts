import type { DeviationEstimator } from "./types.js";

/**
 * Window arithmetic shared by the batch forms (a slice of the input array) and the streaming
 * forms (a ring buffer). Each window is summed afresh, oldest value first, so a value depends
 * only on its window's contents (no drift from a running sum) and both forms perform the same
 * floating-point operations in the same order: identical results, bit for bit.
 *
 * `start` is the index of the oldest value; indices past the end wrap to the front (a ring
 * buffer). A batch window never wraps.
 */

/**
 * A standard deviation at most this fraction of the window's mean magnitude is rounding noise of
 * a flat window (e.g. 0.1 + 0.1 + 0.1 ≠ 0.3), and is reported as exactly 0.
 */
export const FLAT_WINDOW_TOLERANCE = 1e-12;

function wrap(index: number, capacity: number): number {
  return index >= capacity ? index - capacity : index;
}

export function windowSum(values: ArrayLike<number>, start: number, length: number): number {
  let total = 0;
  for (let offset = 0; offset < length; offset++) {
    total += values[wrap(start + offset, values.length)] as number;
  }
  return total;
}

export interface WindowMoments {
  readonly mean: number;
  /** Standard deviation under the chosen estimator; exactly 0 for a flat window. */
  readonly std: number;
}

/** Mean and standard deviation by the two-pass formula (mean first, then squared deviations). */
export function windowMoments(
  values: ArrayLike<number>,
  start: number,
  length: number,
  estimator: DeviationEstimator,
): WindowMoments {
  const mean = windowSum(values, start, length) / length;
  let squaredDeviations = 0;
  for (let offset = 0; offset < length; offset++) {
    const deviation = (values[wrap(start + offset, values.length)] as number) - mean;
    squaredDeviations += deviation * deviation;
  }
  const divisor = estimator === "population" ? length : length - 1;
  const std = Math.sqrt(squaredDeviations / divisor);
  return { mean, std: isFlat(std, mean) ? 0 : std };
}

function isFlat(std: number, mean: number): boolean {
  return std <= FLAT_WINDOW_TOLERANCE * Math.abs(mean);
}

/**
 * Pearson correlation of two equally long windows (same start, same length). A window with no
 * variation has no defined correlation; it is reported as 0 (no co-movement), so a flat series
 * never looks correlated.
 */
export function windowPearson(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  start: number,
  length: number,
): number {
  const meanX = windowSum(xs, start, length) / length;
  const meanY = windowSum(ys, start, length) / length;
  let sumXY = 0;
  let sumXX = 0;
  let sumYY = 0;
  for (let offset = 0; offset < length; offset++) {
    const index = wrap(start + offset, xs.length);
    const dx = (xs[index] as number) - meanX;
    const dy = (ys[index] as number) - meanY;
    sumXY += dx * dy;
    sumXX += dx * dx;
    sumYY += dy * dy;
  }
  if (isFlat(Math.sqrt(sumXX / length), meanX) || isFlat(Math.sqrt(sumYY / length), meanY)) {
    return 0;
  }
  const correlation = sumXY / (Math.sqrt(sumXX) * Math.sqrt(sumYY));
  // Rounding can push a perfect correlation a hair past ±1.
  return Math.min(1, Math.max(-1, correlation));
}

/** The last `capacity` values fed in, for the streaming forms. */
export class RingWindow {
  readonly values: Float64Array;
  private next = 0;
  private filled = 0;

  constructor(readonly capacity: number) {
    this.values = new Float64Array(capacity);
  }

  push(value: number): void {
    this.values[this.next] = value;
    this.next = wrap(this.next + 1, this.capacity);
    if (this.filled < this.capacity) this.filled++;
  }

  get full(): boolean {
    return this.filled === this.capacity;
  }

  /** Index of the oldest value once full (the next slot to be overwritten). */
  get oldest(): number {
    return this.full ? this.next : 0;
  }
}
