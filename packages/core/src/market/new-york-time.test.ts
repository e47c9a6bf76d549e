import { describe, expect, it } from "vitest";
import {
  hoursBetween,
  newYorkDate,
  newYorkInstant,
  newYorkOffsetMinutes,
  regularSessionClose,
  usDaylightSavingDates,
} from "./new-york-time.js";

describe("US daylight-saving dates", () => {
  it("follows the 2007 rule: second Sunday of March to first Sunday of November", () => {
    expect(usDaylightSavingDates(2026)).toEqual({ starts: "2026-03-08", ends: "2026-11-01" });
    expect(usDaylightSavingDates(2007)).toEqual({ starts: "2007-03-11", ends: "2007-11-04" });
  });

  it("follows the 1987–2006 rule: first Sunday of April to last Sunday of October", () => {
    expect(usDaylightSavingDates(2006)).toEqual({ starts: "2006-04-02", ends: "2006-10-29" });
    expect(usDaylightSavingDates(1987)).toEqual({ starts: "1987-04-05", ends: "1987-10-25" });
  });

  it("knows the earlier rules and the 1974–75 exceptions, and refuses years before 1967", () => {
    expect(usDaylightSavingDates(1986)).toEqual({ starts: "1986-04-27", ends: "1986-10-26" });
    expect(usDaylightSavingDates(1974).starts).toBe("1974-01-06");
    expect(usDaylightSavingDates(1975).starts).toBe("1975-02-23");
    expect(() => usDaylightSavingDates(1966)).toThrow(/1966 is not supported/);
  });
});

describe("session close instants", () => {
  it("is 21:00 UTC in winter and 20:00 UTC in summer", () => {
    expect(regularSessionClose("2026-03-06")).toBe("2026-03-06T21:00:00.000Z");
    expect(regularSessionClose("2026-03-09")).toBe("2026-03-09T20:00:00.000Z");
    expect(regularSessionClose("2026-10-30")).toBe("2026-10-30T20:00:00.000Z");
    expect(regularSessionClose("2026-11-02")).toBe("2026-11-02T21:00:00.000Z");
    expect(regularSessionClose("2006-03-31")).toBe("2006-03-31T21:00:00.000Z");
    expect(regularSessionClose("2006-04-03")).toBe("2006-04-03T20:00:00.000Z");
  });

  it("handles an early close and refuses a malformed time", () => {
    expect(newYorkInstant("2026-11-27", "13:00")).toBe("2026-11-27T18:00:00.000Z");
    expect(() => newYorkInstant("2026-11-27", "1pm")).toThrow(/HH:MM/);
  });
});

describe("New York date and offset of an instant", () => {
  it("switches at 02:00 local time", () => {
    expect(newYorkOffsetMinutes("2026-03-08T06:59:59Z")).toBe(-300);
    expect(newYorkOffsetMinutes("2026-03-08T07:00:00Z")).toBe(-240);
    expect(newYorkOffsetMinutes("2026-11-01T05:59:59Z")).toBe(-240);
    expect(newYorkOffsetMinutes("2026-11-01T06:00:00Z")).toBe(-300);
  });

  it("gives the local date, which differs from the UTC date in the evening", () => {
    expect(newYorkDate("2026-03-10T03:30:00Z")).toBe("2026-03-09");
    expect(newYorkDate("2026-03-09T19:50:00Z")).toBe("2026-03-09");
  });

  it("measures hours and refuses instants without a zone", () => {
    expect(hoursBetween("2026-03-06T21:00:00Z", "2026-03-09T19:50:00Z")).toBeCloseTo(70 + 50 / 60);
    expect(() => newYorkDate("2026-03-09 19:50")).toThrow(/ISO-8601 with a zone/);
  });
});
