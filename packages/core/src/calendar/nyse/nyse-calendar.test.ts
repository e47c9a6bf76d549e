import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dateOfEpochDay, dayOfWeek, epochDay } from "../trading-calendar.js";
import { NYSE_EARLY_CLOSE_EXCEPTIONS } from "./early-closes.js";
import { createNyseCalendar, NYSE_CALENDAR_RANGE, nyseCalendar } from "./nyse-calendar.js";
import { NYSE_SPECIAL_CLOSURES } from "./special-closures.js";

const nyse = nyseCalendar();

const datesOf = (from: string, to: string): string[] => {
  const dates: string[] = [];
  for (let day = epochDay(from); day <= epochDay(to); day++) dates.push(dateOfEpochDay(day));
  return dates;
};
const isWeekday = (date: string) => dayOfWeek(date) !== 0 && dayOfWeek(date) !== 6;

/** The weekdays of a year the exchange was closed, each with the reason the calendar gives. */
const closedWeekdaysOf = (year: number): [string, string | null][] =>
  datesOf(`${year}-01-01`, `${year}-12-31`)
    .filter((date) => isWeekday(date) && !nyse.isSession(date))
    .map((date) => [date, nyse.closedReason(date)]);

const earlyClosesOf = (year: number): string[] =>
  nyse
    .sessions(`${year}-01-01`, `${year}-12-31`)
    .filter((session) => session.earlyClose)
    .map((session) => session.date);

// The exchange's published holiday and early-close lists (nyse.com "Holidays & Trading Hours"
// and its year-end announcements), year by year.
const KNOWN_YEARS: Record<number, { closed: [string, string][]; earlyCloses: string[] }> = {
  2001: {
    closed: [
      ["2001-01-01", "New Year's Day"],
      ["2001-01-15", "Martin Luther King, Jr. Day"],
      ["2001-02-19", "Washington's Birthday"],
      ["2001-04-13", "Good Friday"],
      ["2001-05-28", "Memorial Day"],
      ["2001-07-04", "Independence Day"],
      ["2001-09-03", "Labor Day"],
      ["2001-09-11", "September 11 attacks"],
      ["2001-09-12", "September 11 attacks"],
      ["2001-09-13", "September 11 attacks"],
      ["2001-09-14", "September 11 attacks"],
      ["2001-11-22", "Thanksgiving Day"],
      ["2001-12-25", "Christmas Day"],
    ],
    earlyCloses: ["2001-07-03", "2001-11-23", "2001-12-24"],
  },
  2002: {
    closed: [
      ["2002-01-01", "New Year's Day"],
      ["2002-01-21", "Martin Luther King, Jr. Day"],
      ["2002-02-18", "Washington's Birthday"],
      ["2002-03-29", "Good Friday"],
      ["2002-05-27", "Memorial Day"],
      ["2002-07-04", "Independence Day"],
      ["2002-09-02", "Labor Day"],
      ["2002-11-28", "Thanksgiving Day"],
      ["2002-12-25", "Christmas Day"],
    ],
    // A Thursday July 4 before 2013: the early close was Friday July 5, not Wednesday July 3.
    earlyCloses: ["2002-07-05", "2002-11-29", "2002-12-24"],
  },
  2003: {
    closed: [
      ["2003-01-01", "New Year's Day"],
      ["2003-01-20", "Martin Luther King, Jr. Day"],
      ["2003-02-17", "Washington's Birthday"],
      ["2003-04-18", "Good Friday"],
      ["2003-05-26", "Memorial Day"],
      ["2003-07-04", "Independence Day"],
      ["2003-09-01", "Labor Day"],
      ["2003-11-27", "Thanksgiving Day"],
      ["2003-12-25", "Christmas Day"],
    ],
    earlyCloses: ["2003-07-03", "2003-11-28", "2003-12-24", "2003-12-26"],
  },
  2004: {
    closed: [
      ["2004-01-01", "New Year's Day"],
      ["2004-01-19", "Martin Luther King, Jr. Day"],
      ["2004-02-16", "Washington's Birthday"],
      ["2004-04-09", "Good Friday"],
      ["2004-05-31", "Memorial Day"],
      ["2004-06-11", "National Day of Mourning for President Ronald Reagan"],
      ["2004-07-05", "Independence Day (observed)"],
      ["2004-09-06", "Labor Day"],
      ["2004-11-25", "Thanksgiving Day"],
      ["2004-12-24", "Christmas Day (observed)"],
    ],
    earlyCloses: ["2004-11-26"],
  },
  2007: {
    closed: [
      ["2007-01-01", "New Year's Day"],
      ["2007-01-02", "National Day of Mourning for President Gerald R. Ford"],
      ["2007-01-15", "Martin Luther King, Jr. Day"],
      ["2007-02-19", "Washington's Birthday"],
      ["2007-04-06", "Good Friday"],
      ["2007-05-28", "Memorial Day"],
      ["2007-07-04", "Independence Day"],
      ["2007-09-03", "Labor Day"],
      ["2007-11-22", "Thanksgiving Day"],
      ["2007-12-25", "Christmas Day"],
    ],
    earlyCloses: ["2007-07-03", "2007-11-23", "2007-12-24"],
  },
  2012: {
    closed: [
      ["2012-01-02", "New Year's Day (observed)"],
      ["2012-01-16", "Martin Luther King, Jr. Day"],
      ["2012-02-20", "Washington's Birthday"],
      ["2012-04-06", "Good Friday"],
      ["2012-05-28", "Memorial Day"],
      ["2012-07-04", "Independence Day"],
      ["2012-09-03", "Labor Day"],
      ["2012-10-29", "Hurricane Sandy"],
      ["2012-10-30", "Hurricane Sandy"],
      ["2012-11-22", "Thanksgiving Day"],
      ["2012-12-25", "Christmas Day"],
    ],
    earlyCloses: ["2012-07-03", "2012-11-23", "2012-12-24"],
  },
  2018: {
    closed: [
      ["2018-01-01", "New Year's Day"],
      ["2018-01-15", "Martin Luther King, Jr. Day"],
      ["2018-02-19", "Washington's Birthday"],
      ["2018-03-30", "Good Friday"],
      ["2018-05-28", "Memorial Day"],
      ["2018-07-04", "Independence Day"],
      ["2018-09-03", "Labor Day"],
      ["2018-11-22", "Thanksgiving Day"],
      ["2018-12-05", "National Day of Mourning for President George H. W. Bush"],
      ["2018-12-25", "Christmas Day"],
    ],
    earlyCloses: ["2018-07-03", "2018-11-23", "2018-12-24"],
  },
  2019: {
    closed: [
      ["2019-01-01", "New Year's Day"],
      ["2019-01-21", "Martin Luther King, Jr. Day"],
      ["2019-02-18", "Washington's Birthday"],
      ["2019-04-19", "Good Friday"],
      ["2019-05-27", "Memorial Day"],
      ["2019-07-04", "Independence Day"],
      ["2019-09-02", "Labor Day"],
      ["2019-11-28", "Thanksgiving Day"],
      ["2019-12-25", "Christmas Day"],
    ],
    earlyCloses: ["2019-07-03", "2019-11-29", "2019-12-24"],
  },
  2020: {
    closed: [
      ["2020-01-01", "New Year's Day"],
      ["2020-01-20", "Martin Luther King, Jr. Day"],
      ["2020-02-17", "Washington's Birthday"],
      ["2020-04-10", "Good Friday"],
      ["2020-05-25", "Memorial Day"],
      ["2020-07-03", "Independence Day (observed)"],
      ["2020-09-07", "Labor Day"],
      ["2020-11-26", "Thanksgiving Day"],
      ["2020-12-25", "Christmas Day"],
    ],
    earlyCloses: ["2020-11-27", "2020-12-24"],
  },
  2021: {
    closed: [
      ["2021-01-01", "New Year's Day"],
      ["2021-01-18", "Martin Luther King, Jr. Day"],
      ["2021-02-15", "Washington's Birthday"],
      ["2021-04-02", "Good Friday"],
      ["2021-05-31", "Memorial Day"],
      ["2021-07-05", "Independence Day (observed)"],
      ["2021-09-06", "Labor Day"],
      ["2021-11-25", "Thanksgiving Day"],
      ["2021-12-24", "Christmas Day (observed)"],
    ],
    earlyCloses: ["2021-11-26"],
  },
  2022: {
    closed: [
      ["2022-01-17", "Martin Luther King, Jr. Day"],
      ["2022-02-21", "Washington's Birthday"],
      ["2022-04-15", "Good Friday"],
      ["2022-05-30", "Memorial Day"],
      ["2022-06-20", "Juneteenth National Independence Day (observed)"],
      ["2022-07-04", "Independence Day"],
      ["2022-09-05", "Labor Day"],
      ["2022-11-24", "Thanksgiving Day"],
      ["2022-12-26", "Christmas Day (observed)"],
    ],
    earlyCloses: ["2022-11-25"],
  },
  2023: {
    closed: [
      ["2023-01-02", "New Year's Day (observed)"],
      ["2023-01-16", "Martin Luther King, Jr. Day"],
      ["2023-02-20", "Washington's Birthday"],
      ["2023-04-07", "Good Friday"],
      ["2023-05-29", "Memorial Day"],
      ["2023-06-19", "Juneteenth National Independence Day"],
      ["2023-07-04", "Independence Day"],
      ["2023-09-04", "Labor Day"],
      ["2023-11-23", "Thanksgiving Day"],
      ["2023-12-25", "Christmas Day"],
    ],
    earlyCloses: ["2023-07-03", "2023-11-24"],
  },
  2024: {
    closed: [
      ["2024-01-01", "New Year's Day"],
      ["2024-01-15", "Martin Luther King, Jr. Day"],
      ["2024-02-19", "Washington's Birthday"],
      ["2024-03-29", "Good Friday"],
      ["2024-05-27", "Memorial Day"],
      ["2024-06-19", "Juneteenth National Independence Day"],
      ["2024-07-04", "Independence Day"],
      ["2024-09-02", "Labor Day"],
      ["2024-11-28", "Thanksgiving Day"],
      ["2024-12-25", "Christmas Day"],
    ],
    earlyCloses: ["2024-07-03", "2024-11-29", "2024-12-24"],
  },
  2025: {
    closed: [
      ["2025-01-01", "New Year's Day"],
      ["2025-01-09", "National Day of Mourning for President Jimmy Carter"],
      ["2025-01-20", "Martin Luther King, Jr. Day"],
      ["2025-02-17", "Washington's Birthday"],
      ["2025-04-18", "Good Friday"],
      ["2025-05-26", "Memorial Day"],
      ["2025-06-19", "Juneteenth National Independence Day"],
      ["2025-07-04", "Independence Day"],
      ["2025-09-01", "Labor Day"],
      ["2025-11-27", "Thanksgiving Day"],
      ["2025-12-25", "Christmas Day"],
    ],
    earlyCloses: ["2025-07-03", "2025-11-28", "2025-12-24"],
  },
  2026: {
    closed: [
      ["2026-01-01", "New Year's Day"],
      ["2026-01-19", "Martin Luther King, Jr. Day"],
      ["2026-02-16", "Washington's Birthday"],
      ["2026-04-03", "Good Friday"],
      ["2026-05-25", "Memorial Day"],
      ["2026-06-19", "Juneteenth National Independence Day"],
      ["2026-07-03", "Independence Day (observed)"],
      ["2026-09-07", "Labor Day"],
      ["2026-11-26", "Thanksgiving Day"],
      ["2026-12-25", "Christmas Day"],
    ],
    earlyCloses: ["2026-11-27", "2026-12-24"],
  },
  2027: {
    closed: [
      ["2027-01-01", "New Year's Day"],
      ["2027-01-18", "Martin Luther King, Jr. Day"],
      ["2027-02-15", "Washington's Birthday"],
      ["2027-03-26", "Good Friday"],
      ["2027-05-31", "Memorial Day"],
      ["2027-06-18", "Juneteenth National Independence Day (observed)"],
      ["2027-07-05", "Independence Day (observed)"],
      ["2027-09-06", "Labor Day"],
      ["2027-11-25", "Thanksgiving Day"],
      ["2027-12-24", "Christmas Day (observed)"],
    ],
    earlyCloses: ["2027-11-26"],
  },
};

describe("NYSE calendar: whole years against the exchange's published lists", () => {
  for (const [year, known] of Object.entries(KNOWN_YEARS)) {
    it(`${year}: closed weekdays with their reasons, and the 13:00 early closes`, () => {
      expect(closedWeekdaysOf(Number(year))).toEqual(known.closed);
      expect(earlyClosesOf(Number(year))).toEqual(known.earlyCloses);
    });
  }

  it("counts the sessions of a year as the exchange did (252 in 2019, 253 in 2020, 251 in 2022)", () => {
    expect(nyse.sessionsBetween("2018-12-31", "2019-12-31")).toBe(252);
    expect(nyse.sessionsBetween("2019-12-31", "2020-12-31")).toBe(253);
    expect(nyse.sessionsBetween("2021-12-31", "2022-12-30")).toBe(251);
  });
});

describe("NYSE calendar: weekends and holiday observance", () => {
  it("is closed at weekends, with the reason 'weekend'", () => {
    expect(nyse.isSession("2026-11-21")).toBe(false);
    expect(nyse.closedReason("2026-11-21")).toBe("weekend");
    expect(nyse.closedReason("2026-11-22")).toBe("weekend");
    expect(nyse.closedReason("2026-11-20")).toBeNull();
  });

  it("moves a Sunday holiday to Monday: July 4 2021 → Monday July 5; Christmas 2022 → Dec 26", () => {
    expect(nyse.isSession("2021-07-05")).toBe(false);
    expect(nyse.closedReason("2021-07-04")).toBe("weekend");
    expect(nyse.isSession("2021-07-02")).toBe(true);
    expect(nyse.isEarlyClose("2021-07-02")).toBe(false);
    expect(nyse.closedReason("2022-12-26")).toBe("Christmas Day (observed)");
    expect(nyse.isEarlyClose("2022-12-23")).toBe(false);
  });

  it("moves a Saturday holiday to Friday: July 4 2020 → Friday July 3, with no early close on July 2", () => {
    expect(nyse.closedReason("2020-07-03")).toBe("Independence Day (observed)");
    expect(nyse.isSession("2020-07-02")).toBe(true);
    expect(nyse.sessionClose("2020-07-02")).toBe("2020-07-02T20:00:00.000Z");
    expect(nyse.sessionClose("2026-07-02")).toBe("2026-07-02T20:00:00.000Z");
  });

  it("does not close the Friday before a Saturday New Year's Day (2021-12-31 traded)", () => {
    expect(nyse.isSession("2021-12-31")).toBe(true);
    expect(nyse.isEarlyClose("2021-12-31")).toBe(false);
    expect(nyse.nextSession("2021-12-31")).toBe("2022-01-03");
    expect(nyse.isSession("2010-12-31")).toBe(true);
    expect(nyse.isSession("2004-12-31")).toBe(true);
  });

  it("moves a Sunday New Year's Day to Monday (2017-01-02, 2023-01-02)", () => {
    expect(nyse.closedReason("2017-01-02")).toBe("New Year's Day (observed)");
    expect(nyse.closedReason("2023-01-02")).toBe("New Year's Day (observed)");
  });

  it("trades on Juneteenth before 2022 and closes for it from 2022", () => {
    expect(nyse.isSession("2021-06-18")).toBe(true);
    expect(nyse.closedReason("2022-06-20")).toBe("Juneteenth National Independence Day (observed)");
    expect(nyse.closedReason("2026-06-19")).toBe("Juneteenth National Independence Day");
  });
});

describe("NYSE calendar: early closes at 13:00 New York", () => {
  it("closes at 13:00 EST = 18:00Z the day after Thanksgiving 2026 and on Christmas Eve 2026", () => {
    expect(nyse.isEarlyClose("2026-11-27")).toBe(true);
    expect(nyse.earlyCloseReason("2026-11-27")).toBe("Day after Thanksgiving");
    expect(nyse.sessionOpen("2026-11-27")).toBe("2026-11-27T14:30:00.000Z");
    expect(nyse.sessionClose("2026-11-27")).toBe("2026-11-27T18:00:00.000Z");
    expect(nyse.sessionClose("2026-12-24")).toBe("2026-12-24T18:00:00.000Z");
    expect(nyse.earlyCloseReason("2026-12-24")).toBe("Christmas Eve");
  });

  it("closes at 13:00 EDT = 17:00Z the day before Independence Day (2019-07-03, 2025-07-03)", () => {
    expect(nyse.sessionClose("2019-07-03")).toBe("2019-07-03T17:00:00.000Z");
    expect(nyse.sessionClose("2025-07-03")).toBe("2025-07-03T17:00:00.000Z");
    expect(nyse.earlyCloseReason("2025-07-03")).toBe("Day before Independence Day");
  });

  it("has no early close on a closed day or on a full session", () => {
    expect(nyse.isEarlyClose("2026-11-26")).toBe(false);
    expect(nyse.isEarlyClose("2021-12-24")).toBe(false);
    expect(nyse.isEarlyClose("2026-11-25")).toBe(false);
    expect(nyse.earlyCloseReason("2026-11-25")).toBeNull();
  });

  it("takes the historical exceptions from the data table", () => {
    expect(nyse.isEarlyClose("2002-07-03")).toBe(false);
    expect(nyse.sessionClose("2002-07-03")).toBe("2002-07-03T20:00:00.000Z");
    expect(nyse.sessionClose("2002-07-05")).toBe("2002-07-05T17:00:00.000Z");
    expect(nyse.sessionClose("2003-12-26")).toBe("2003-12-26T18:00:00.000Z");
    for (const exception of NYSE_EARLY_CLOSE_EXCEPTIONS) {
      expect(nyse.isEarlyClose(exception.date)).toBe(exception.earlyClose);
    }
  });
});

describe("NYSE calendar: special closures", () => {
  it("closes every date of the table, with its reason", () => {
    for (const { date, reason } of NYSE_SPECIAL_CLOSURES) {
      expect(nyse.isSession(date)).toBe(false);
      expect(nyse.closedReason(date)).toBe(reason);
    }
  });

  it("steps over them: after 2001-09-10 trading resumed on Monday 2001-09-17", () => {
    expect(nyse.nextSession("2001-09-10")).toBe("2001-09-17");
    expect(nyse.nextSession("2012-10-26")).toBe("2012-10-31");
    expect(nyse.previousSession("2025-01-10")).toBe("2025-01-08");
  });

  it("refuses inconsistent table rows, naming them", () => {
    const tables = {
      specialClosures: NYSE_SPECIAL_CLOSURES,
      earlyCloseExceptions: NYSE_EARLY_CLOSE_EXCEPTIONS,
    };
    const withClosure = (date: string) =>
      createNyseCalendar({ ...tables, specialClosures: [{ date, reason: "test" }] });
    expect(() => withClosure("2026-11-28")).toThrow(
      /special closure 2026-11-28 \("test"\) falls on a weekend/,
    );
    expect(() => withClosure("2026-11-26")).toThrow(/already closed \(Thanksgiving Day\)/);
    expect(() => withClosure("1999-12-31")).toThrow(/outside the covered range 2000-01-01/);
    expect(() => withClosure("2026-13-01")).toThrow(/does not exist/);
    const withException = (date: string, earlyClose: boolean) =>
      createNyseCalendar({ ...tables, earlyCloseExceptions: [{ date, earlyClose, reason: "t" }] });
    expect(() => withException("2026-11-27", true)).toThrow(/already an early close by rule/);
    expect(() => withException("2026-11-25", false)).toThrow(/cancels an early close no rule/);
    expect(() => withException("2026-11-26", true)).toThrow(/2026-11-26 \("t"\) is not a session/);
  });

  it("accepts a closure announced after release through its own tables", () => {
    const calendar = createNyseCalendar({
      specialClosures: [...NYSE_SPECIAL_CLOSURES, { date: "2030-03-14", reason: "Blizzard" }],
      earlyCloseExceptions: NYSE_EARLY_CLOSE_EXCEPTIONS,
    });
    expect(calendar.closedReason("2030-03-14")).toBe("Blizzard");
    expect(nyse.isSession("2030-03-14")).toBe(true);
  });
});

describe("NYSE calendar: New York time with daylight saving", () => {
  it("spring forward on Sunday 2026-03-08: close 21:00Z on Friday, 20:00Z on Monday", () => {
    expect(nyse.sessions("2026-03-06", "2026-03-09")).toEqual([
      {
        date: "2026-03-06",
        openUtc: "2026-03-06T14:30:00.000Z",
        closeUtc: "2026-03-06T21:00:00.000Z",
        earlyClose: false,
      },
      {
        date: "2026-03-09",
        openUtc: "2026-03-09T13:30:00.000Z",
        closeUtc: "2026-03-09T20:00:00.000Z",
        earlyClose: false,
      },
    ]);
  });

  it("fall back on Sunday 2026-11-01: close 20:00Z on Friday, 21:00Z on Monday", () => {
    expect(nyse.sessionClose("2026-10-30")).toBe("2026-10-30T20:00:00.000Z");
    expect(nyse.sessionOpen("2026-11-02")).toBe("2026-11-02T14:30:00.000Z");
    expect(nyse.sessionClose("2026-11-02")).toBe("2026-11-02T21:00:00.000Z");
  });

  it("follows the pre-2007 US rules: in 2006 daylight time began on April 2, not in March", () => {
    expect(nyse.sessionClose("2006-03-13")).toBe("2006-03-13T21:00:00.000Z");
    expect(nyse.sessionClose("2006-03-31")).toBe("2006-03-31T21:00:00.000Z");
    expect(nyse.sessionClose("2006-04-03")).toBe("2006-04-03T20:00:00.000Z");
    expect(nyse.sessionClose("2007-03-12")).toBe("2007-03-12T20:00:00.000Z");
  });

  it("gives the New York date of an instant, which need not be a session", () => {
    expect(nyse.tradingDateOf("2026-11-27T03:00:00Z")).toBe("2026-11-26");
    expect(nyse.tradingDateOf("2026-11-27T05:00:00.000Z")).toBe("2026-11-27");
    expect(nyse.tradingDateOf("2026-07-03T03:59:59Z")).toBe("2026-07-02");
    expect(nyse.tradingDateOf("2026-07-03T04:00:00Z")).toBe("2026-07-03");
    expect(nyse.tradingDateOf("2026-11-27T13:00:00-05:00")).toBe("2026-11-27");
    expect(() => nyse.tradingDateOf("2026-11-27T13:00:00")).toThrow(/has no UTC offset/);
  });
});

describe("NYSE calendar: refusals", () => {
  it("refuses open and close times of a closed day, naming the date and why", () => {
    expect(() => nyse.sessionOpen("2026-11-26")).toThrow(
      "sessionOpen: 2026-11-26 is not an NYSE session (closed: Thanksgiving Day)",
    );
    expect(() => nyse.sessionClose("2012-10-29")).toThrow(
      "sessionClose: 2012-10-29 is not an NYSE session (closed: Hurricane Sandy)",
    );
    expect(() => nyse.sessionClose("2026-11-28")).toThrow(/closed: weekend/);
    expect(() => nyse.sessionOpen("2026-11-26")).toThrow(RangeError);
  });

  it("refuses dates outside the covered range, naming the date and the range", () => {
    const outside =
      /date (1999-12-31|2036-01-01) is outside the trading calendar's covered range 2000-01-01 to 2035-12-31/;
    expect(() => nyse.isSession("1999-12-31")).toThrow(outside);
    expect(() => nyse.closedReason("2036-01-01")).toThrow(outside);
    expect(() => nyse.isEarlyClose("2036-01-01")).toThrow(outside);
    expect(() => nyse.sessionOpen("1999-12-31")).toThrow(outside);
    expect(() => nyse.sessions("1999-12-31", "2000-01-31")).toThrow(outside);
    expect(() => nyse.nextSession("2035-12-31")).toThrow(/no session after 2035-12-31/);
    expect(() => nyse.tradingDateOf("2036-01-01T05:00:00Z")).toThrow(
      "tradingDateOf: 2036-01-01T05:00:00Z falls on 2036-01-01 in New York, outside the NYSE calendar's covered range 2000-01-01 to 2035-12-31",
    );
    expect(nyse.covers).toEqual(NYSE_CALENDAR_RANGE);
  });

  it("refuses malformed dates and a reversed range", () => {
    expect(() => nyse.isSession("2026-2-1")).toThrow(/must be written YYYY-MM-DD/);
    expect(() => nyse.sessionClose("2026-02-30")).toThrow(/does not exist/);
    expect(() => nyse.sessions("2026-12-01", "2026-11-01")).toThrow(
      "sessions: from 2026-12-01 is after to 2026-11-01",
    );
  });
});

describe("NYSE calendar: properties over the covered range", () => {
  const first = epochDay(NYSE_CALENDAR_RANGE.from);
  const last = epochDay(NYSE_CALENDAR_RANGE.to);
  // Leave room at both ends so stepping and adding stay inside the range.
  const dateArbitrary = fc.integer({ min: first + 10, max: last - 120 }).map(dateOfEpochDay);

  it("nextSession and previousSession are inverse on sessions", () => {
    fc.assert(
      fc.property(dateArbitrary, (date) => {
        const session = nyse.nextSession(date);
        expect(nyse.isSession(session)).toBe(true);
        expect(nyse.previousSession(nyse.nextSession(session))).toBe(session);
        expect(nyse.nextSession(nyse.previousSession(session))).toBe(session);
      }),
      { numRuns: 300 },
    );
  });

  it("sessionsBetween(a, addSessions(a, n)) is n", () => {
    fc.assert(
      fc.property(dateArbitrary, fc.integer({ min: 1, max: 60 }), (date, n) => {
        expect(nyse.sessionsBetween(date, nyse.addSessions(date, n))).toBe(n);
      }),
      { numRuns: 300 },
    );
  });

  it("every session lasts 6.5 h (3.5 h on an early close) and lies on its New York date", () => {
    fc.assert(
      fc.property(dateArbitrary, (date) => {
        const session = nyse.nextSession(date);
        const open = Date.parse(nyse.sessionOpen(session));
        const close = Date.parse(nyse.sessionClose(session));
        expect((close - open) / 3_600_000).toBe(nyse.isEarlyClose(session) ? 3.5 : 6.5);
        expect(nyse.tradingDateOf(nyse.sessionOpen(session))).toBe(session);
        expect(nyse.tradingDateOf(nyse.sessionClose(session))).toBe(session);
      }),
      { numRuns: 200 },
    );
  });

  it("every weekday in the range is a session or has a named reason, never both", () => {
    for (const date of datesOf(NYSE_CALENDAR_RANGE.from, NYSE_CALENDAR_RANGE.to)) {
      const reason = nyse.closedReason(date);
      if (nyse.isSession(date)) expect(reason).toBeNull();
      else expect(reason === "weekend").toBe(!isWeekday(date));
    }
  });
});
