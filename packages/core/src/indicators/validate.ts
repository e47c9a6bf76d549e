/**
 * Input rules shared by the indicators. Bad input is a programming or data error, not an expected
 * outcome, so it throws a RangeError that names the indicator, the input and the rule: a NaN
 * must never flow on into a decision.
 */

/** A window length or smoothing period: an integer ≥ `minimum`. */
export function requirePeriod(indicator: string, name: string, value: number, minimum = 1): void {
  if (!Number.isInteger(value) || value < minimum) {
    throw new RangeError(`${indicator}: ${name} must be an integer ≥ ${minimum}, got ${value}`);
  }
}

/** `what` names the input, e.g. "values[3]" in a batch or "value #4" in a stream. */
export function requireFinite(indicator: string, what: string, value: number): void {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new RangeError(`${indicator}: ${what} must be a finite number, got ${String(value)}`);
  }
}

/** A price the indicator divides by or takes the log of. */
export function requirePositivePrice(
  indicator: string,
  what: string,
  value: number,
  because: string,
): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(
      `${indicator}: ${what} must be a finite price > 0 (${because}), got ${String(value)}`,
    );
  }
}

export function requireAllFinite(indicator: string, name: string, values: readonly number[]): void {
  for (let index = 0; index < values.length; index++) {
    requireFinite(indicator, `${name}[${index}]`, values[index] as number);
  }
}

export function requireAllPositivePrices(
  indicator: string,
  name: string,
  values: readonly number[],
  because: string,
): void {
  for (let index = 0; index < values.length; index++) {
    requirePositivePrice(indicator, `${name}[${index}]`, values[index] as number, because);
  }
}
