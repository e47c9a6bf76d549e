import type { Bar } from "./bars.js";

const PRICE_FIELDS = ["open", "high", "low", "close"] as const;

/**
 * Checks a symbol's bars are usable as a series: dates written YYYY-MM-DD, strictly ascending
 * (so unique), prices finite and > 0, adjusted close (when present) finite and > 0. Throws a
 * RangeError naming the symbol, the bar and the rule. Cheap on purpose (no schema parse): it
 * runs on every symbol of every run. Bars from a loader are already schema-validated; this
 * guards the maths against hand-built or corrupted input.
 */
export function assertBarSeries(symbol: string, bars: readonly Bar[]): void {
  let previousDate = "";
  for (let index = 0; index < bars.length; index++) {
    const bar = bars[index] as Bar;
    const date = bar.date;
    if (!isDateShaped(date)) {
      throw new RangeError(`${where(symbol, index, bar)}: date must be written YYYY-MM-DD`);
    }
    if (date <= previousDate) {
      throw new RangeError(
        `${where(symbol, index, bar)}: dates must ascend with no repeats, but ${date} follows ${previousDate}`,
      );
    }
    previousDate = date;
    if (!(isPrice(bar.open) && isPrice(bar.high) && isPrice(bar.low) && isPrice(bar.close))) {
      const field = PRICE_FIELDS.find(
        (name) => !isPrice(bar[name]),
      ) as (typeof PRICE_FIELDS)[number];
      throw new RangeError(
        `${where(symbol, index, bar)}: ${field} must be a finite price > 0, got ${bar[field]}`,
      );
    }
    if (bar.adjClose !== undefined && !isPrice(bar.adjClose)) {
      throw new RangeError(
        `${where(symbol, index, bar)}: adjClose must be a finite price > 0, got ${bar.adjClose}`,
      );
    }
  }
}

// Messages are built only on failure: the loop above runs over every bar of every symbol.
const where = (symbol: string, index: number, bar: Bar): string =>
  `${symbol} bar ${index} (${String(bar.date)})`;

const DIGIT_0 = 48;
const DIGIT_9 = 57;
const DASH = 45;

/** YYYY-MM-DD shape, checked by character codes (a regex here costs more than the rest of the loop). */
function isDateShaped(date: unknown): boolean {
  if (typeof date !== "string" || date.length !== 10) return false;
  for (let position = 0; position < 10; position++) {
    const code = date.charCodeAt(position);
    const ok =
      position === 4 || position === 7 ? code === DASH : code >= DIGIT_0 && code <= DIGIT_9;
    if (!ok) return false;
  }
  return true;
}

const isPrice = (value: number): boolean => Number.isFinite(value) && value > 0;
