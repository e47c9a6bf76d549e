/**
 * The trading calendar port: which dates are exchange sessions. Dates are exchange-local
 * calendar dates written YYYY-MM-DD. Cooldowns and decays count sessions through this port,
 * never calendar days. The NYSE implementation lives in its own module; `weekdayCalendar`
 * (weekends plus a holiday list) serves tests and simple markets.
 */
export interface TradingCalendar {
  /** Inclusive range of dates this calendar can answer for; outside it every method throws. */
  readonly covers: { readonly from: string; readonly to: string };
  isSession(date: string): boolean;
  /** The first session strictly after `date`. */
  nextSession(date: string): string;
  /** The last session strictly before `date`. */
  previousSession(date: string): string;
  /** The session `count` sessions after `date` (count ≥ 1); `date` itself need not be a session. */
  addSessions(date: string, count: number): string;
  /** Sessions after `from` up to and including `to`: how many trading days have passed. */
  sessionsBetween(from: string, to: string): number;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Days since 1970-01-01 for a valid YYYY-MM-DD; throws a RangeError naming the input otherwise. */
export function epochDay(date: string): number {
  const parts = DATE.exec(date);
  if (!parts) throw new RangeError(`date "${date}" must be written YYYY-MM-DD`);
  const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day
  ) {
    throw new RangeError(`date "${date}" does not exist`);
  }
  return ms / DAY_MS;
}

export function dateOfEpochDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Day of week of a YYYY-MM-DD date: 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: string): number {
  return (((epochDay(date) + 4) % 7) + 7) % 7;
}

/**
 * Builds a calendar from a session predicate over a covered range. Implementations only say
 * which dates are sessions; the stepping and counting live here once.
 */
export function calendarFromPredicate(
  covers: { from: string; to: string },
  isSessionDay: (date: string) => boolean,
): TradingCalendar {
  const first = epochDay(covers.from);
  const last = epochDay(covers.to);
  const inRange = (date: string): number => {
    const day = epochDay(date);
    if (day < first || day > last) {
      throw new RangeError(
        `date ${date} is outside the trading calendar's covered range ${covers.from} to ${covers.to}`,
      );
    }
    return day;
  };
  const step = (date: string, direction: 1 | -1): string => {
    for (let day = inRange(date) + direction; day >= first && day <= last; day += direction) {
      const candidate = dateOfEpochDay(day);
      if (isSessionDay(candidate)) return candidate;
    }
    throw new RangeError(
      `no session ${direction > 0 ? "after" : "before"} ${date} within the covered range ${covers.from} to ${covers.to}`,
    );
  };
  const calendar: TradingCalendar = {
    covers,
    isSession: (date) => {
      inRange(date);
      return isSessionDay(date);
    },
    nextSession: (date) => step(date, 1),
    previousSession: (date) => step(date, -1),
    addSessions(date, count) {
      if (!Number.isInteger(count) || count < 1) {
        throw new RangeError(`addSessions: count must be a whole number ≥ 1, got ${count}`);
      }
      let current = date;
      for (let i = 0; i < count; i++) current = step(current, 1);
      return current;
    },
    sessionsBetween(from, to) {
      const start = inRange(from);
      const end = inRange(to);
      let sessions = 0;
      for (let day = start + 1; day <= end; day++)
        if (isSessionDay(dateOfEpochDay(day))) sessions++;
      return sessions;
    },
  };
  return calendar;
}

/** Monday to Friday except the given holidays. For tests and as a stand-in before the NYSE calendar. */
export function weekdayCalendar(
  holidays: readonly string[] = [],
  covers = { from: "1990-01-01", to: "2100-12-31" },
): TradingCalendar {
  for (const holiday of holidays) epochDay(holiday);
  const closed = new Set(holidays);
  return calendarFromPredicate(covers, (date) => {
    const weekday = dayOfWeek(date);
    return weekday !== 0 && weekday !== 6 && !closed.has(date);
  });
}
