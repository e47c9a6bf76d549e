import { describe, expect, it } from "vitest";
import { earlyCloseRuleOf } from "./early-closes.js";
import {
  easterSunday,
  lastWeekdayOfMonth,
  nthWeekdayOfMonth,
  nyseHolidaysOf,
  thanksgivingOf,
} from "./holidays.js";

describe("date rules behind the NYSE holidays", () => {
  it("finds Western Easter Sunday, including the earliest and latest in the range", () => {
    expect(easterSunday(2000)).toBe("2000-04-23");
    expect(easterSunday(2008)).toBe("2008-03-23");
    expect(easterSunday(2011)).toBe("2011-04-24");
    expect(easterSunday(2024)).toBe("2024-03-31");
    expect(easterSunday(2025)).toBe("2025-04-20");
    expect(easterSunday(2026)).toBe("2026-04-05");
    expect(easterSunday(2027)).toBe("2027-03-28");
    expect(easterSunday(2035)).toBe("2035-03-25");
    expect(() => easterSunday(1500)).toThrow(
      /year must be a whole Gregorian year ≥ 1583, got 1500/,
    );
  });

  it("finds the nth and the last weekday of a month", () => {
    expect(nthWeekdayOfMonth(2026, 1, 1, 3)).toBe("2026-01-19"); // MLK Day
    expect(nthWeekdayOfMonth(2026, 9, 1, 1)).toBe("2026-09-07"); // Labor Day
    expect(thanksgivingOf(2026)).toBe("2026-11-26");
    expect(thanksgivingOf(2024)).toBe("2024-11-28");
    expect(lastWeekdayOfMonth(2026, 5, 1)).toBe("2026-05-25"); // Memorial Day
    expect(lastWeekdayOfMonth(2027, 5, 1)).toBe("2027-05-31");
    expect(lastWeekdayOfMonth(2026, 12, 4)).toBe("2026-12-31");
  });

  it("lists a year's holidays with the weekend observance marked", () => {
    expect(nyseHolidaysOf(2027).map((h) => [h.date, h.name, h.observed])).toEqual([
      ["2027-01-01", "New Year's Day", false],
      ["2027-01-18", "Martin Luther King, Jr. Day", false],
      ["2027-02-15", "Washington's Birthday", false],
      ["2027-03-26", "Good Friday", false],
      ["2027-05-31", "Memorial Day", false],
      ["2027-06-18", "Juneteenth National Independence Day", true],
      ["2027-07-05", "Independence Day", true],
      ["2027-09-06", "Labor Day", false],
      ["2027-11-25", "Thanksgiving Day", false],
      ["2027-12-24", "Christmas Day", true],
    ]);
  });

  it("has no MLK Day before 1998 and no Juneteenth before 2022", () => {
    const names = (year: number) => nyseHolidaysOf(year).map((h) => h.name);
    expect(names(1997)).not.toContain("Martin Luther King, Jr. Day");
    expect(names(1998)).toContain("Martin Luther King, Jr. Day");
    expect(names(2021)).not.toContain("Juneteenth National Independence Day");
    expect(nyseHolidaysOf(2022).find((h) => h.name.startsWith("Juneteenth"))?.date).toBe(
      "2022-06-20",
    );
  });

  it("closes nothing for a Saturday New Year's Day", () => {
    for (const year of [2005, 2011, 2022, 2028, 2033]) {
      expect(nyseHolidaysOf(year).map((h) => h.name)).not.toContain("New Year's Day");
    }
  });

  it("gives the standing early-close rules without judging whether the day is a session", () => {
    expect(earlyCloseRuleOf("2023-07-03")).toBe("Day before Independence Day"); // Monday
    expect(earlyCloseRuleOf("2019-07-03")).toBe("Day before Independence Day"); // Wednesday
    expect(earlyCloseRuleOf("2026-07-03")).toBeNull(); // Friday: the observed holiday
    expect(earlyCloseRuleOf("2026-11-27")).toBe("Day after Thanksgiving");
    expect(earlyCloseRuleOf("2026-11-20")).toBeNull();
    expect(earlyCloseRuleOf("2026-12-24")).toBe("Christmas Eve"); // Thursday
    expect(earlyCloseRuleOf("2021-12-24")).toBeNull(); // Friday: the observed Christmas
  });
});
