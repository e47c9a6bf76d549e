import { describe, expect, it } from "vitest";
import { dayOfWeek, weekdayCalendar } from "./trading-calendar.js";

// 2026-11-26 is Thanksgiving (a Thursday).
const calendar = weekdayCalendar(["2026-11-26"]);

describe("weekday calendar", () => {
  it("knows weekends and holidays", () => {
    expect(dayOfWeek("2026-11-22")).toBe(0);
    expect(calendar.isSession("2026-11-20")).toBe(true);
    expect(calendar.isSession("2026-11-21")).toBe(false);
    expect(calendar.isSession("2026-11-26")).toBe(false);
  });

  it("steps over weekends and holidays", () => {
    expect(calendar.nextSession("2026-11-20")).toBe("2026-11-23");
    expect(calendar.nextSession("2026-11-25")).toBe("2026-11-27");
    expect(calendar.previousSession("2026-11-23")).toBe("2026-11-20");
  });

  it("counts sessions, not calendar days: 10 sessions from a Friday across Thanksgiving", () => {
    expect(calendar.addSessions("2026-11-20", 10)).toBe("2026-12-07");
    expect(calendar.sessionsBetween("2026-11-20", "2026-12-07")).toBe(10);
    expect(calendar.sessionsBetween("2026-11-20", "2026-11-20")).toBe(0);
  });

  it("refuses malformed dates, impossible dates and dates outside its range", () => {
    expect(() => calendar.isSession("2026-2-1")).toThrow(/must be written YYYY-MM-DD/);
    expect(() => calendar.isSession("2026-02-30")).toThrow(/does not exist/);
    expect(() =>
      weekdayCalendar([], { from: "2020-01-01", to: "2020-12-31" }).isSession("2021-01-04"),
    ).toThrow(/outside the trading calendar's covered range 2020-01-01 to 2020-12-31/);
    expect(() => calendar.addSessions("2026-11-20", 0)).toThrow(/≥ 1/);
  });
});
