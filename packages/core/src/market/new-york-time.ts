import { dateOfEpochDay, dayOfWeek, epochDay } from "../calendar/trading-calendar.js";

/**
 * America/New_York wall time without a time-zone library, by the US daylight-saving rules
 * (Uniform Time Act and its amendments), exactly for 1967 onwards:
 * - 2007 on: second Sunday of March to first Sunday of November;
 * - 1987–2006: first Sunday of April to last Sunday of October;
 * - 1976–1986 and 1967–1973: last Sunday of April to last Sunday of October;
 * - 1974: 6 January, 1975: 23 February (the energy-crisis years) to last Sunday of October.
 * Clocks change at 02:00 local time. Earlier years are refused rather than guessed.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const EST_OFFSET_MINUTES = -300;
const EDT_OFFSET_MINUTES = -240;
const FIRST_SUPPORTED_YEAR = 1967;

const pad = (value: number): string => String(value).padStart(2, "0");

/** The n-th (1-based) Sunday of a month, or the last one when n is "last". */
function sundayOf(year: number, month: number, n: number | "last"): string {
  const first = `${year}-${pad(month)}-01`;
  if (n === "last") {
    const nextMonthFirst =
      month === 12 ? epochDay(`${year + 1}-01-01`) : epochDay(`${year}-${pad(month + 1)}-01`);
    const lastDay = nextMonthFirst - 1;
    const back = dayOfWeek(dateOfEpochDay(lastDay));
    return dateOfEpochDay(lastDay - back);
  }
  const firstDay = epochDay(first);
  const toSunday = (7 - dayOfWeek(first)) % 7;
  return dateOfEpochDay(firstDay + toSunday + (n - 1) * 7);
}

interface DaylightSavingDates {
  readonly starts: string;
  readonly ends: string;
}

// The rule is a fixed function of the year; remembering it keeps per-symbol checks cheap.
const dstCache = new Map<number, DaylightSavingDates>();

/** The local dates on which daylight-saving time starts and ends in a year. */
export function usDaylightSavingDates(year: number): DaylightSavingDates {
  let dates = dstCache.get(year);
  if (!dates) {
    dates = computeDaylightSavingDates(year);
    dstCache.set(year, dates);
  }
  return dates;
}

function computeDaylightSavingDates(year: number): DaylightSavingDates {
  if (!Number.isInteger(year) || year < FIRST_SUPPORTED_YEAR) {
    throw new RangeError(
      `New York time: year ${year} is not supported (US daylight-saving rules are implemented from ${FIRST_SUPPORTED_YEAR})`,
    );
  }
  if (year >= 2007) return { starts: sundayOf(year, 3, 2), ends: sundayOf(year, 11, 1) };
  if (year >= 1987) return { starts: sundayOf(year, 4, 1), ends: sundayOf(year, 10, "last") };
  if (year === 1974) return { starts: "1974-01-06", ends: sundayOf(year, 10, "last") };
  if (year === 1975) return { starts: "1975-02-23", ends: sundayOf(year, 10, "last") };
  return { starts: sundayOf(year, 4, "last"), ends: sundayOf(year, 10, "last") };
}

/** Milliseconds of a local wall-clock reading, counted as if it were UTC. */
function wallClockMs(date: string, minutes: number): number {
  return epochDay(date) * DAY_MS + minutes * 60_000;
}

/**
 * Whether a local wall-clock reading is daylight time. The skipped hour (02:00–03:00 on the
 * start day) counts as daylight; the repeated hour (01:00–02:00 on the end day) as its first,
 * daylight, occurrence.
 */
function isDaylightWallClock(date: string, minutes: number): boolean {
  const { starts, ends } = usDaylightSavingDates(Number(date.slice(0, 4)));
  const local = wallClockMs(date, minutes);
  return local >= wallClockMs(starts, 120) && local < wallClockMs(ends, 120);
}

const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;

function minutesOfClock(time: string): number {
  const parts = CLOCK.exec(time);
  if (!parts) throw new RangeError(`New York time: "${time}" must be a 24-hour time written HH:MM`);
  return Number(parts[1]) * 60 + Number(parts[2]);
}

/** The UTC instant (ISO-8601) of a New York wall-clock time on a date, e.g. ("2026-03-09", "16:00") → "2026-03-09T20:00:00.000Z". */
export function newYorkInstant(date: string, time: string): string {
  const minutes = minutesOfClock(time);
  const offset = isDaylightWallClock(date, minutes) ? EDT_OFFSET_MINUTES : EST_OFFSET_MINUTES;
  return new Date(wallClockMs(date, minutes) - offset * 60_000).toISOString();
}

/** The regular NYSE session close (16:00 New York) of a date as a UTC instant. */
export function regularSessionClose(date: string): string {
  return newYorkInstant(date, "16:00");
}

/** New York's offset from UTC in minutes at an instant: −240 in daylight time, −300 otherwise. */
export function newYorkOffsetMinutes(instant: string): number {
  const ms = parseInstant(instant);
  const year = new Date(ms + EST_OFFSET_MINUTES * 60_000).getUTCFullYear();
  const { starts, ends } = usDaylightSavingDates(year);
  // 02:00 EST on the start day and 02:00 EDT (= 01:00 EST) on the end day, in UTC.
  const startMs = wallClockMs(starts, 120) - EST_OFFSET_MINUTES * 60_000;
  const endMs = wallClockMs(ends, 120) - EDT_OFFSET_MINUTES * 60_000;
  return ms >= startMs && ms < endMs ? EDT_OFFSET_MINUTES : EST_OFFSET_MINUTES;
}

/** The New York calendar date (YYYY-MM-DD) of a UTC instant. */
export function newYorkDate(instant: string): string {
  const ms = parseInstant(instant);
  return new Date(ms + newYorkOffsetMinutes(instant) * 60_000).toISOString().slice(0, 10);
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Epoch milliseconds of an ISO-8601 instant with an explicit zone; refuses anything else. */
export function parseInstant(instant: string): number {
  const ms = ISO_INSTANT.test(instant) ? Date.parse(instant) : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new RangeError(
      `instant "${instant}" must be ISO-8601 with a zone, e.g. 2026-03-09T19:50:00Z`,
    );
  }
  return ms;
}

/** Hours from one instant to a later one (negative when `to` is earlier). */
export function hoursBetween(from: string, to: string): number {
  return (parseInstant(to) - parseInstant(from)) / HOUR_MS;
}
