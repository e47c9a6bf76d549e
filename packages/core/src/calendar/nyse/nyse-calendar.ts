/**
 * The NYSE trading calendar: which New York dates are sessions, when each opens and closes in
 * UTC (America/New_York with its daylight-saving history, through luxon and the runtime's time
 * zone data), which close early at 13:00, and why a date is closed. Rules live in
 * ./holidays.ts and ./early-closes.ts, one-off events in data tables; the stepping and counting
 * come from `calendarFromPredicate`. The rules and sources are in docs/calendar.md.
 */
import { DateTime } from "luxon";
import { parseIsoInstant, toIsoUtc } from "../../ports/clock.js";
import {
  calendarFromPredicate,
  dateOfEpochDay,
  dayOfWeek,
  epochDay,
  type TradingCalendar,
} from "../trading-calendar.js";
import {
  earlyCloseRuleOf,
  NYSE_EARLY_CLOSE_EXCEPTIONS,
  type NyseEarlyCloseException,
} from "./early-closes.js";
import { holidayLabel, nyseHolidaysOf } from "./holidays.js";
import { NYSE_SPECIAL_CLOSURES, type NyseSpecialClosure } from "./special-closures.js";

/**
 * The dates this calendar answers for. Before 2000 the exchange's early-close and holiday
 * practice differed (and is not modelled); after 2035 the rules are an untested forecast.
 */
export const NYSE_CALENDAR_RANGE = { from: "2000-01-01", to: "2035-12-31" } as const;
export const NYSE_TIME_ZONE = "America/New_York";
/** Regular hours, New York wall-clock time. */
export const NYSE_HOURS = { open: "09:30", close: "16:00", earlyClose: "13:00" } as const;

export interface NyseSession {
  readonly date: string;
  /** ISO-8601 UTC instant of the 09:30 New York open. */
  readonly openUtc: string;
  /** ISO-8601 UTC instant of the 16:00 (or 13:00 on an early close) New York close. */
  readonly closeUtc: string;
  readonly earlyClose: boolean;
}

export interface NyseCalendar extends TradingCalendar {
  /** The open (09:30 New York) as an ISO-8601 UTC instant; a RangeError when not a session. */
  sessionOpen(date: string): string;
  /** The close (16:00, or 13:00 on early closes, New York) as ISO-8601 UTC; RangeError when not a session. */
  sessionClose(date: string): string;
  /** True on a session that closes at 13:00; false on other sessions and on closed days. */
  isEarlyClose(date: string): boolean;
  /** Why a session closes early, e.g. "Day after Thanksgiving"; null on full sessions and closed days. */
  earlyCloseReason(date: string): string | null;
  /** Every session from `from` to `to`, both inclusive, in date order. */
  sessions(from: string, to: string): NyseSession[];
  /** "weekend", the holiday's name (e.g. "Thanksgiving Day") or the closure's reason; null on a session. */
  closedReason(date: string): string | null;
  /** The New York calendar date of an ISO-8601 instant (which need not be a session). */
  tradingDateOf(instantIso: string): string;
}

export interface NyseCalendarTables {
  readonly specialClosures: readonly NyseSpecialClosure[];
  readonly earlyCloseExceptions: readonly NyseEarlyCloseException[];
}

const DEFAULT_TABLES: NyseCalendarTables = {
  specialClosures: NYSE_SPECIAL_CLOSURES,
  earlyCloseExceptions: NYSE_EARLY_CLOSE_EXCEPTIONS,
};

const isWeekend = (date: string): boolean => {
  const weekday = dayOfWeek(date);
  return weekday === 0 || weekday === 6;
};

const inRange = (date: string): boolean =>
  date >= NYSE_CALENDAR_RANGE.from && date <= NYSE_CALENDAR_RANGE.to;

/** Weekday closures by rule and by table, each with its reason; refuses inconsistent tables. */
function closedWeekdays(specialClosures: readonly NyseSpecialClosure[]): Map<string, string> {
  const closed = new Map<string, string>();
  const firstYear = Number(NYSE_CALENDAR_RANGE.from.slice(0, 4));
  const lastYear = Number(NYSE_CALENDAR_RANGE.to.slice(0, 4));
  for (let year = firstYear; year <= lastYear; year++) {
    for (const holiday of nyseHolidaysOf(year)) closed.set(holiday.date, holidayLabel(holiday));
  }
  for (const { date, reason } of specialClosures) {
    const row = `NYSE special closure ${date} ("${reason}")`;
    epochDay(date);
    if (!inRange(date)) {
      throw new RangeError(
        `${row} is outside the covered range ${NYSE_CALENDAR_RANGE.from} to ${NYSE_CALENDAR_RANGE.to}`,
      );
    }
    if (isWeekend(date)) throw new RangeError(`${row} falls on a weekend; list weekdays only`);
    const already = closed.get(date);
    if (already !== undefined) {
      throw new RangeError(`${row} is already closed (${already}); list each date once`);
    }
    if (reason.trim() === "") throw new RangeError(`${row} needs a reason`);
    closed.set(date, reason);
  }
  return closed;
}

/** Early-close exceptions by date; each must be a session and must change what the rules say. */
function exceptionsByDate(
  exceptions: readonly NyseEarlyCloseException[],
  isSessionDay: (date: string) => boolean,
): Map<string, NyseEarlyCloseException> {
  const byDate = new Map<string, NyseEarlyCloseException>();
  for (const exception of exceptions) {
    const { date, earlyClose, reason } = exception;
    const row = `NYSE early-close exception ${date} ("${reason}")`;
    epochDay(date);
    if (!inRange(date)) {
      throw new RangeError(
        `${row} is outside the covered range ${NYSE_CALENDAR_RANGE.from} to ${NYSE_CALENDAR_RANGE.to}`,
      );
    }
    if (!isSessionDay(date)) throw new RangeError(`${row} is not a session`);
    if (byDate.has(date)) throw new RangeError(`${row} is listed twice`);
    const rule = earlyCloseRuleOf(date);
    if (earlyClose && rule !== null) {
      throw new RangeError(`${row} is already an early close by rule (${rule})`);
    }
    if (!earlyClose && rule === null) {
      throw new RangeError(`${row} cancels an early close no rule gives`);
    }
    byDate.set(date, exception);
  }
  return byDate;
}

/** The UTC instant of a New York wall-clock time on a date. */
function newYorkTimeToUtc(date: string, time: string): string {
  const local = DateTime.fromISO(`${date}T${time}`, { zone: NYSE_TIME_ZONE });
  if (!local.isValid) {
    throw new RangeError(
      `cannot place ${date} ${time} in ${NYSE_TIME_ZONE}: ${local.invalidExplanation ?? local.invalidReason}`,
    );
  }
  return toIsoUtc(local.toMillis());
}

/**
 * An NYSE calendar over NYSE_CALENDAR_RANGE from the given tables (the shipped ones by
 * default). Use `nyseCalendar()` for the shared instance; pass tables to add a closure the
 * exchange announced after this release. Throws a RangeError naming any inconsistent row.
 */
export function createNyseCalendar(tables: NyseCalendarTables = DEFAULT_TABLES): NyseCalendar {
  const closed = closedWeekdays(tables.specialClosures);
  const isSessionDay = (date: string): boolean => !isWeekend(date) && !closed.has(date);
  const exceptions = exceptionsByDate(tables.earlyCloseExceptions, isSessionDay);
  const base = calendarFromPredicate(NYSE_CALENDAR_RANGE, isSessionDay);

  /** Validates format and range (through the base calendar) and answers for a date. */
  const closedReason = (date: string): string | null => {
    if (base.isSession(date)) return null;
    return isWeekend(date) ? "weekend" : (closed.get(date) ?? "closed");
  };
  const earlyCloseReason = (date: string): string | null => {
    if (!base.isSession(date)) return null;
    const exception = exceptions.get(date);
    if (exception) return exception.earlyClose ? exception.reason : null;
    return earlyCloseRuleOf(date);
  };
  const requireSession = (method: string, date: string): void => {
    const reason = closedReason(date);
    if (reason !== null) {
      throw new RangeError(`${method}: ${date} is not an NYSE session (closed: ${reason})`);
    }
  };
  const closeTimeOf = (date: string): string =>
    earlyCloseReason(date) === null ? NYSE_HOURS.close : NYSE_HOURS.earlyClose;

  return {
    ...base,
    sessionOpen(date) {
      requireSession("sessionOpen", date);
      return newYorkTimeToUtc(date, NYSE_HOURS.open);
    },
    sessionClose(date) {
      requireSession("sessionClose", date);
      return newYorkTimeToUtc(date, closeTimeOf(date));
    },
    isEarlyClose: (date) => earlyCloseReason(date) !== null,
    earlyCloseReason,
    sessions(from, to) {
      const first = epochDay(from);
      const last = epochDay(to);
      base.isSession(from);
      base.isSession(to);
      if (first > last) throw new RangeError(`sessions: from ${from} is after to ${to}`);
      const sessions: NyseSession[] = [];
      for (let day = first; day <= last; day++) {
        const date = dateOfEpochDay(day);
        if (!isSessionDay(date)) continue;
        const earlyClose = earlyCloseReason(date) !== null;
        sessions.push({
          date,
          openUtc: newYorkTimeToUtc(date, NYSE_HOURS.open),
          closeUtc: newYorkTimeToUtc(date, earlyClose ? NYSE_HOURS.earlyClose : NYSE_HOURS.close),
          earlyClose,
        });
      }
      return sessions;
    },
    closedReason,
    tradingDateOf(instantIso) {
      const local = DateTime.fromMillis(parseIsoInstant(instantIso), { zone: NYSE_TIME_ZONE });
      const date = local.toISODate();
      if (date === null) {
        throw new RangeError(`tradingDateOf: cannot place ${instantIso} in ${NYSE_TIME_ZONE}`);
      }
      if (!inRange(date)) {
        throw new RangeError(
          `tradingDateOf: ${instantIso} falls on ${date} in New York, outside the NYSE calendar's covered range ${NYSE_CALENDAR_RANGE.from} to ${NYSE_CALENDAR_RANGE.to}`,
        );
      }
      return date;
    },
  };
}

let shared: NyseCalendar | undefined;

/** The NYSE calendar from the shipped tables, built once on first use. */
export function nyseCalendar(): NyseCalendar {
  shared ??= createNyseCalendar();
  return shared;
}
