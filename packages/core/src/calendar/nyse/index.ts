export {
  earlyCloseRuleOf,
  NYSE_EARLY_CLOSE_EXCEPTIONS,
  type NyseEarlyCloseException,
} from "./early-closes.js";
export {
  easterSunday,
  NYSE_HOLIDAY_NAMES,
  NYSE_JUNETEENTH_FROM_YEAR,
  NYSE_MLK_DAY_FROM_YEAR,
  type NyseHoliday,
  type NyseHolidayName,
  nyseHolidaysOf,
} from "./holidays.js";
export {
  createNyseCalendar,
  NYSE_CALENDAR_RANGE,
  NYSE_HOURS,
  NYSE_TIME_ZONE,
  type NyseCalendar,
  type NyseCalendarTables,
  type NyseSession,
  nyseCalendar,
} from "./nyse-calendar.js";
export { NYSE_SPECIAL_CLOSURES, type NyseSpecialClosure } from "./special-closures.js";
