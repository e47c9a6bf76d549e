import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nyseCalendar } from "../calendar/nyse/nyse-calendar.js";
import { parseIsoInstant } from "../ports/clock.js";
import {
  monitorInstants,
  nextScheduledStep,
  SCHEDULE_STEPS,
  sessionSchedule,
  stepsDue,
} from "./session-schedule.js";

const nyse = nyseCalendar();
const instantsOf = (date: string) => sessionSchedule(nyse, date).map((step) => step.at);
const dueAt = (now: string, done: readonly string[] = []) =>
  stepsDue(nyse, now, new Set(done)).map((step) => step.key);

describe("the session schedule (SPEC §12)", () => {
  it("is data: pre-flight, decision, orders, validation at close − 10.5, − 10, − 5, + 15 min", () => {
    expect(SCHEDULE_STEPS.map(({ step, offsetMinutes }) => [step, offsetMinutes])).toEqual([
      ["preflight", -10.5],
      ["decision", -10],
      ["orders", -5],
      ["validation", 15],
    ]);
  });

  it("places a normal day at 15:49:30 / 15:50 / 15:55 / 16:15 New York (EST = UTC−5)", () => {
    expect(sessionSchedule(nyse, "2026-11-20")).toEqual([
      {
        key: "2026-11-20:preflight",
        date: "2026-11-20",
        step: "preflight",
        at: "2026-11-20T20:49:30.000Z",
        dueUntil: "2026-11-20T21:00:00.000Z",
      },
      {
        key: "2026-11-20:decision",
        date: "2026-11-20",
        step: "decision",
        at: "2026-11-20T20:50:00.000Z",
        dueUntil: "2026-11-20T21:00:00.000Z",
      },
      {
        key: "2026-11-20:orders",
        date: "2026-11-20",
        step: "orders",
        at: "2026-11-20T20:55:00.000Z",
        dueUntil: "2026-11-20T21:00:00.000Z",
      },
      {
        key: "2026-11-20:validation",
        date: "2026-11-20",
        step: "validation",
        // Validation stays due until Monday's pre-flight.
        at: "2026-11-20T21:15:00.000Z",
        dueUntil: "2026-11-23T20:49:30.000Z",
      },
    ]);
  });

  it("shifts everything on an early close (the day after Thanksgiving closes at 13:00)", () => {
    expect(instantsOf("2026-11-27")).toEqual([
      "2026-11-27T17:49:30.000Z",
      "2026-11-27T17:50:00.000Z",
      "2026-11-27T17:55:00.000Z",
      "2026-11-27T18:15:00.000Z",
    ]);
  });

  it("keeps New York times across the daylight-saving switch (Sunday 2026-11-01)", () => {
    // Friday before: EDT (UTC−4); Monday after: EST (UTC−5). Same 15:50 on the wall clock.
    expect(instantsOf("2026-10-30")[1]).toBe("2026-10-30T19:50:00.000Z");
    expect(instantsOf("2026-11-02")[1]).toBe("2026-11-02T20:50:00.000Z");
  });

  it("is empty on a holiday and on a weekend", () => {
    expect(sessionSchedule(nyse, "2026-11-26")).toEqual([]);
    expect(sessionSchedule(nyse, "2026-11-21")).toEqual([]);
    expect(monitorInstants(nyse, "2026-11-26", 1)).toEqual([]);
  });

  it("refuses a malformed date, naming it", () => {
    expect(() => sessionSchedule(nyse, "2026-11-31")).toThrow(/2026-11-31/);
  });
});

describe("monitorInstants (SPEC §17)", () => {
  it("ticks every minute from the 09:30 open up to, not including, the 15:50 decision", () => {
    const ticks = monitorInstants(nyse, "2026-11-20", 1);
    expect(ticks).toHaveLength(380);
    expect(ticks[0]).toBe("2026-11-20T14:30:00.000Z");
    expect(ticks.at(-1)).toBe("2026-11-20T20:49:00.000Z");
  });

  it("stops at 12:50 on an early close, and follows the interval", () => {
    expect(monitorInstants(nyse, "2026-11-27", 1)).toHaveLength(200);
    const everyFive = monitorInstants(nyse, "2026-11-27", 5);
    expect(everyFive).toHaveLength(40);
    expect(everyFive.at(-1)).toBe("2026-11-27T17:45:00.000Z");
  });

  it("refuses an interval that is not a positive whole number of seconds", () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 0.001]) {
      expect(() => monitorInstants(nyse, "2026-11-20", bad)).toThrow(
        /intervalMinutes must be a positive whole number of seconds/,
      );
    }
  });
});

describe("stepsDue", () => {
  it("at 15:52 New York: pre-flight and decision, not yet orders; nothing again once done", () => {
    expect(dueAt("2026-11-20T20:52:00Z")).toEqual(["2026-11-20:preflight", "2026-11-20:decision"]);
    expect(dueAt("2026-11-20T20:52:00Z", ["2026-11-20:preflight", "2026-11-20:decision"])).toEqual(
      [],
    );
  });

  it("is nothing before the pre-flight, and exactly the pre-flight at its instant", () => {
    expect(dueAt("2026-11-20T20:49:29.999Z", ["2026-11-19:validation"])).toEqual([]);
    expect(dueAt("2026-11-20T20:49:30Z")).toEqual(["2026-11-20:preflight"]);
  });

  it("catches up every trading step until the close, and none after it", () => {
    expect(dueAt("2026-11-20T20:59:59.999Z")).toEqual([
      "2026-11-20:preflight",
      "2026-11-20:decision",
      "2026-11-20:orders",
    ]);
    expect(dueAt("2026-11-20T21:00:00Z")).toEqual([]);
    expect(dueAt("2026-11-20T21:15:00Z")).toEqual(["2026-11-20:validation"]);
  });

  it("keeps a missed validation due over the weekend and the holiday, until the next pre-flight", () => {
    expect(dueAt("2026-11-23T14:00:00Z")).toEqual(["2026-11-20:validation"]);
    expect(dueAt("2026-11-26T17:00:00Z")).toEqual(["2026-11-25:validation"]);
    // Friday's pre-flight begins the next schedule: Wednesday's validation is not replayed.
    expect(dueAt("2026-11-27T17:49:30Z")).toEqual(["2026-11-27:preflight"]);
  });

  it("uses the early close as the trading steps' deadline", () => {
    expect(dueAt("2026-11-27T17:59:00Z")).toEqual([
      "2026-11-27:preflight",
      "2026-11-27:decision",
      "2026-11-27:orders",
    ]);
    expect(dueAt("2026-11-27T18:00:00Z")).toEqual([]);
  });

  it("only ever returns steps whose instant has come and whose window is open, in order", () => {
    const from = parseIsoInstant("2026-01-01T00:00:00Z");
    const to = parseIsoInstant("2026-12-31T00:00:00Z");
    fc.assert(
      fc.property(fc.integer({ min: from, max: to }), (nowMs) => {
        const due = stepsDue(nyse, nowMs, new Set());
        const order = SCHEDULE_STEPS.map((definition) => definition.step);
        expect(new Set(due.map((step) => step.date)).size).toBeLessThanOrEqual(1);
        for (const step of due) {
          expect(parseIsoInstant(step.at)).toBeLessThanOrEqual(nowMs);
          expect(parseIsoInstant(step.dueUntil)).toBeGreaterThan(nowMs);
        }
        const positions = due.map((step) => order.indexOf(step.step));
        expect(positions).toEqual([...positions].sort((a, b) => a - b));
        const next = nextScheduledStep(nyse, nowMs);
        expect(parseIsoInstant(next.at)).toBeGreaterThan(nowMs);
        // No step of this calendar year waits more than five days (Easter, Thanksgiving).
        expect(parseIsoInstant(next.at) - nowMs).toBeLessThan(5 * 86_400_000);
      }),
      { numRuns: 200 },
    );
  });
});

describe("nextScheduledStep", () => {
  it("looks past the holiday to the early close's pre-flight", () => {
    const next = nextScheduledStep(nyse, "2026-11-25T22:00:00Z");
    expect([next.key, next.at]).toEqual(["2026-11-27:preflight", "2026-11-27T17:49:30.000Z"]);
    expect(nextScheduledStep(nyse, parseIsoInstant(next.at)).step).toBe("decision");
  });
});
