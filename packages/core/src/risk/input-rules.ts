/**
 * Checks on inputs that come from outside the risk maths (prices, weights, returns). A bad
 * input is a bug upstream, not an expected outcome, so it throws a RangeError that names the
 * input and the rule it broke; a NaN never flows on into a verdict.
 */

export function requireFinite(value: number, name: string): number {
  if (!Number.isFinite(value))
    throw new RangeError(`${name} must be a finite number, got ${value}`);
  return value;
}

/** A market price in dollars: finite and > 0. */
export function requirePrice(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a finite price > 0, got ${value}`);
  }
  return value;
}

export function requireWholeShares(value: number, name: string): number {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`${name} must be a whole number of shares, got ${value}`);
  }
  return value;
}

export function requireFraction(value: number, name: string, { max = 1 } = {}): number {
  if (!Number.isFinite(value) || value < 0 || value > max) {
    throw new RangeError(`${name} must be a fraction between 0 and ${max}, got ${value}`);
  }
  return value;
}

/** Looks a symbol up in a per-symbol map; an unknown symbol is an error naming the map. */
export function lookup<T>(map: Readonly<Record<string, T>>, symbol: string, name: string): T {
  if (!Object.hasOwn(map, symbol)) {
    throw new RangeError(`${name} has no entry for symbol ${symbol}`);
  }
  return map[symbol] as T;
}

/**
 * Compares after rounding away float noise (1e-10), so that a ratio that is mathematically on
 * a threshold (451.35 / 450 − 1 = 0.3%) is treated as on it, not a hair above.
 */
export function denoise(value: number): number {
  return Math.round(value * 1e10) / 1e10;
}
