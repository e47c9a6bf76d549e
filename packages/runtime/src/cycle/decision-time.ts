import { parseIsoInstant, type TradingCalendar, toIsoUtc } from "@trader/core";

/** Minutes before the session's close at which the daily decision runs (SPEC §12). */
export const DECISION_MINUTES_BEFORE_CLOSE = 10;

interface WithSessionClose {
  sessionClose(date: string): string;
}

const hasSessionClose = (
  calendar: TradingCalendar,
): calendar is TradingCalendar & WithSessionClose =>
  typeof (calendar as Partial<WithSessionClose>).sessionClose === "function";

/**
 * The instant of a session's decision: close − 10 min on a calendar that knows its closes (the
 * NYSE calendar: 15:50 New York, 12:50 on early closes); 20:50 UTC on a plain calendar.
 */
export function decisionInstant(calendar: TradingCalendar, session: string): string {
  if (hasSessionClose(calendar)) {
    return toIsoUtc(
      parseIsoInstant(calendar.sessionClose(session)) - DECISION_MINUTES_BEFORE_CLOSE * 60_000,
    );
  }
  return `${session}T20:50:00.000Z`;
}
