/**
 * The NYSE's recurring full-day holidays (NYSE Rule 7.2), computed by rule for one year.
 * The names are the ones the exchange publishes. Weekend observance: a holiday on a Saturday
 * closes the preceding Friday, one on a Sunday the following Monday, except that a Saturday
 * New Year's Day closes nothing (the exchange stays open on the last trading day of the year,
 * e.g. 2021-12-31).
 */
import { dateOfEpochDay, dayOfWeek, epochDay } from "../trading-calendar.js";

export const NYSE_HOLIDAY_NAMES = [
  "New Year's Day",
  "Martin Luther King, Jr. Day",
  "Washington's Birthday",
  "Good Friday",
  "Memorial Day",
  "Juneteenth National Independence Day",
  "Independence Day",
  "Labor Day",
  "Thanksgiving Day",
  "Christmas Day",
] as const;
export type NyseHolidayName = (typeof NYSE_HOLIDAY_NAMES)[number];

export interface NyseHoliday {
  /** The weekday the exchange is closed for it (after weekend observance). */
  readonly date: string;
  readonly name: NyseHolidayName;
  /** True when the holiday itself fell on a weekend and this is the weekday observed instead. */
  readonly observed: boolean;
}

/** The first year the NYSE closed for Martin Luther King, Jr. Day. */
export const NYSE_MLK_DAY_FROM_YEAR = 1998;
/** The first year the NYSE closed for Juneteenth (2022-06-20, observed for a Sunday). */
export const NYSE_JUNETEENTH_FROM_YEAR = 2022;

const SUNDAY = 0;
const MONDAY = 1;
const THURSDAY = 4;
const SATURDAY = 6;

const pad = (value: number): string => String(value).padStart(2, "0");
const isoDate = (year: number, month: number, day: number): string =>
  `${String(year).padStart(4, "0")}-${pad(month)}-${pad(day)}`;
const addDays = (date: string, days: number): string => dateOfEpochDay(epochDay(date) + days);

/** The `nth` (1-based) given weekday (0 = Sunday) of a month, e.g. the 4th Thursday of November. */
export function nthWeekdayOfMonth(
  year: number,
  month: number,
  weekday: number,
  nth: number,
): string {
  const first = isoDate(year, month, 1);
  const offset = (weekday - dayOfWeek(first) + 7) % 7;
  return addDays(first, offset + 7 * (nth - 1));
}

/** The last given weekday (0 = Sunday) of a month, e.g. the last Monday of May. */
export function lastWeekdayOfMonth(year: number, month: number, weekday: number): string {
  const nextMonthFirst = month === 12 ? isoDate(year + 1, 1, 1) : isoDate(year, month + 1, 1);
  const last = addDays(nextMonthFirst, -1);
  return addDays(last, -((dayOfWeek(last) - weekday + 7) % 7));
}

/** Western (Gregorian) Easter Sunday: the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  if (!Number.isInteger(year) || year < 1583) {
    throw new RangeError(`easterSunday: year must be a whole Gregorian year ≥ 1583, got ${year}`);
  }
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return isoDate(year, month, day);
}

/** A fixed-date holiday moved off the weekend; null when a Saturday one closes nothing. */
function observedFixedDate(
  name: NyseHolidayName,
  date: string,
  saturdayClosesFriday: boolean,
): NyseHoliday | null {
  const weekday = dayOfWeek(date);
  if (weekday === SATURDAY) {
    return saturdayClosesFriday ? { date: addDays(date, -1), name, observed: true } : null;
  }
  if (weekday === SUNDAY) return { date: addDays(date, 1), name, observed: true };
  return { date, name, observed: false };
}

/**
 * The full-day holidays of one year by rule, in date order. Does not include one-off closures
 * (see NYSE_SPECIAL_CLOSURES). The rules are those in force since 1998 (MLK Day) and 2022
 * (Juneteenth); earlier practice differed in ways not modelled here, so callers keep to the
 * calendar's covered range.
 */
export function nyseHolidaysOf(year: number): NyseHoliday[] {
  if (!Number.isInteger(year)) {
    throw new RangeError(`nyseHolidaysOf: year must be a whole number, got ${year}`);
  }
  const onDay = (name: NyseHolidayName, date: string): NyseHoliday => ({
    date,
    name,
    observed: false,
  });
  const holidays: (NyseHoliday | null)[] = [
    observedFixedDate("New Year's Day", isoDate(year, 1, 1), false),
    year >= NYSE_MLK_DAY_FROM_YEAR
      ? onDay("Martin Luther King, Jr. Day", nthWeekdayOfMonth(year, 1, MONDAY, 3))
      : null,
    onDay("Washington's Birthday", nthWeekdayOfMonth(year, 2, MONDAY, 3)),
    onDay("Good Friday", addDays(easterSunday(year), -2)),
    onDay("Memorial Day", lastWeekdayOfMonth(year, 5, MONDAY)),
    year >= NYSE_JUNETEENTH_FROM_YEAR
      ? observedFixedDate("Juneteenth National Independence Day", isoDate(year, 6, 19), true)
      : null,
    observedFixedDate("Independence Day", isoDate(year, 7, 4), true),
    onDay("Labor Day", nthWeekdayOfMonth(year, 9, MONDAY, 1)),
    onDay("Thanksgiving Day", thanksgivingOf(year)),
    observedFixedDate("Christmas Day", isoDate(year, 12, 25), true),
  ];
  return holidays.filter((holiday): holiday is NyseHoliday => holiday !== null);
}

/** The label a closed day carries: the holiday's name, marked "(observed)" when moved. */
export function holidayLabel(holiday: NyseHoliday): string {
  return holiday.observed ? `${holiday.name} (observed)` : holiday.name;
}

/** Thanksgiving Day (the 4th Thursday of November) of a year. */
export function thanksgivingOf(year: number): string {
  return nthWeekdayOfMonth(year, 11, THURSDAY, 4);
}
