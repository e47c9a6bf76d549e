/**
 * NYSE early closes (13:00 New York time). The standing rules, as the exchange has applied them
 * since 2013, and the historical exceptions inside the covered range as data.
 *
 * Rules (each applies only when the day is a session):
 * - the day before Independence Day: July 3 when it is a Monday to Thursday (so July 4 is a
 *   weekday holiday). No early close when July 3 is itself the observed holiday (a Saturday
 *   July 4, e.g. 2020, 2026) or a weekend day (a Sunday or Monday July 4, e.g. 2021, 2022);
 * - the day after Thanksgiving (always a Friday);
 * - Christmas Eve when it is a Monday to Thursday (a Friday Dec 24 is the observed Christmas
 *   holiday when Christmas is a Saturday, e.g. 2021, 2027).
 */
import { dateOfEpochDay, dayOfWeek, epochDay } from "../trading-calendar.js";
import { thanksgivingOf } from "./holidays.js";

export interface NyseEarlyCloseException {
  readonly date: string;
  /** true: a 13:00 close the rules do not give; false: a rule's early close that did not happen. */
  readonly earlyClose: boolean;
  readonly reason: string;
}

/**
 * Where history departs from the rules above. Sources: the NYSE's history of market closings
 * (as transcribed in pandas_market_calendars' holidays_nyse.py) and the exchange's
 * announcements for those years. Before 2013, a Thursday July 4 moved the early close to Friday
 * July 5; 2002 is the only such year in the covered range.
 */
export const NYSE_EARLY_CLOSE_EXCEPTIONS: readonly NyseEarlyCloseException[] = [
  {
    date: "2002-07-03",
    earlyClose: false,
    reason: "Before 2013 a Thursday Independence Day moved the early close to Friday July 5",
  },
  {
    date: "2002-07-05",
    earlyClose: true,
    reason: "Day after Independence Day (pre-2013 practice for a Thursday July 4)",
  },
  { date: "2003-12-26", earlyClose: true, reason: "Day after Christmas (a one-off in 2003)" },
];

const MONDAY = 1;
const THURSDAY = 4;

/**
 * The standing rule that makes `date` an early close, or null. Says nothing about whether the
 * date is a session; the calendar checks that.
 */
export function earlyCloseRuleOf(date: string): string | null {
  const monthDay = date.slice(5);
  const weekday = dayOfWeek(date);
  const mondayToThursday = weekday >= MONDAY && weekday <= THURSDAY;
  if (monthDay === "07-03" && mondayToThursday) return "Day before Independence Day";
  if (monthDay === "12-24" && mondayToThursday) return "Christmas Eve";
  const year = Number(date.slice(0, 4));
  if (monthDay.startsWith("11-") && date === dateOfEpochDay(epochDay(thanksgivingOf(year)) + 1)) {
    return "Day after Thanksgiving";
  }
  return null;
}
