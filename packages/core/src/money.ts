/**
 * Money is integer cents everywhere (chosen once, used everywhere): cash and P&L never
 * accumulate float error. A JavaScript number holds integer cents exactly up to ±$90 trillion.
 */
export type Cents = number;

/** Whole cents from a dollar amount, rounded half away from zero; refuses NaN and infinities. */
export function centsFromDollars(dollars: number): Cents {
  if (!Number.isFinite(dollars))
    throw new RangeError(`money: ${dollars} dollars is not a finite amount`);
  const cents = Math.sign(dollars) * Math.round(Math.abs(dollars) * 100);
  return assertCents(cents === 0 ? 0 : cents, "amount");
}

export function dollarsFromCents(cents: Cents): number {
  return assertCents(cents, "amount") / 100;
}

/** Throws a RangeError naming the field unless the value is a safe whole number of cents. */
export function assertCents(value: number, field: string): Cents {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`money: ${field} must be a whole number of cents, got ${value}`);
  }
  return value;
}

/** "$1,234.56" / "-$0.05": for people, never for arithmetic. */
export function formatCents(cents: Cents): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(assertCents(cents, "amount"));
  const dollars = Math.floor(abs / 100).toLocaleString("en-US");
  return `${sign}$${dollars}.${String(abs % 100).padStart(2, "0")}`;
}
