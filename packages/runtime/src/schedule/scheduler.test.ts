import { type Clock, nyseCalendar, parseIsoInstant, toIsoUtc } from "@trader/core";
import { beforeAll, describe, expect, it } from "vitest";
import type { ScheduledActivity, ScheduledRunRequest } from "./agenda.js";
import {
  createScheduler,
  runDueSteps,
  type ScheduleActions,
  type ScheduledRun,
} from "./scheduler.js";
import { virtualTime } from "./virtual-time.js";

const nyse = nyseCalendar();

interface Call extends ScheduledRunRequest {
  /** The clock's reading when the action was called. */
  readonly calledAt: string;
}

/** Actions that record each call with the clock's reading; `behaviour` may throw or move time. */
function recordingActions(
  clock: Clock,
  steps: readonly ScheduledActivity[],
  behaviour: (run: ScheduledRunRequest) => void = () => {},
) {
  const calls: Call[] = [];
  const actions: Record<string, (run: ScheduledRunRequest) => Promise<string>> = {};
  for (const step of steps) {
    actions[step] = async (run) => {
      calls.push({ ...run, calledAt: toIsoUtc(clock.now()) });
      behaviour(run);
      return `${run.key} done`;
    };
  }
  return { calls, actions: actions as unknown as ScheduleActions };
}

/** Thursday 2026-11-19's validation is in the store (else a Friday start catches it up). */
const THURSDAY_VALIDATED: ReadonlySet<string> = new Set(["2026-11-19:validation"]);
const SESSION_STEPS = ["preflight", "decision", "orders", "validation"] as const;
const ALL = [...SESSION_STEPS, "monitor", "health"] as const;
const isSessionStep = (run: { step: ScheduledActivity }) =>
  (SESSION_STEPS as readonly string[]).includes(run.step);

/** New York wall-clock time of an instant, from the time zone database (not the host's zone). */
const newYorkTime = (iso: string) =>
  new Intl.DateTimeFormat("en-GB", {
    timeZone: "America/New_York",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  }).format(parseIsoInstant(iso));

describe("the long-running scheduler over a simulated fortnight (2026-11-16 .. 2026-11-27)", () => {
  // Monday 00:00 New York (EST) to Saturday 00:00 after the early close. Friday 11-13's
  // validation is already in the store.
  const time = virtualTime("2026-11-16T05:00:00Z");
  const { calls, actions } = recordingActions(time.clock, ALL);
  const runs: ScheduledRun[] = [];
  beforeAll(async () => {
    const scheduler = createScheduler({
      clock: time.clock,
      calendar: nyse,
      actions,
      scheduler: time.scheduler,
      done: new Set(["2026-11-13:validation"]),
    });
    scheduler.events$.subscribe((run) => runs.push(run));
    await time.advanceTo("2026-11-28T05:00:00Z");
    await scheduler.stop();
  });

  const stepCalls = () => calls.filter(isSessionStep);
  const normalDay = (date: string, utc = ["20:49:30", "20:50:00", "20:55:00", "21:15:00"]) =>
    SESSION_STEPS.map((step, i) => [`${date}:${step}`, `${date}T${utc[i]}.000Z`]);

  it("fires every step at its instant: 15:49:30 / 15:50 / 15:55 / 16:15, 12:49:30 / 12:50 / 12:55 / 13:15 on the early close", () => {
    expect(stepCalls().map((call) => [call.key, call.at])).toEqual([
      ...["2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20"].flatMap((d) =>
        normalDay(d),
      ),
      ...["2026-11-23", "2026-11-24", "2026-11-25"].flatMap((d) => normalDay(d)),
      ...normalDay("2026-11-27", ["17:49:30", "17:50:00", "17:55:00", "18:15:00"]),
    ]);
    for (const call of stepCalls()) expect(call.calledAt).toBe(call.at);
    expect(
      stepCalls()
        .filter((call) => call.date === "2026-11-20")
        .map((call) => newYorkTime(call.at)),
    ).toEqual(["15:49:30", "15:50:00", "15:55:00", "16:15:00"]);
    expect(
      stepCalls()
        .filter((call) => call.date === "2026-11-27")
        .map((call) => newYorkTime(call.at)),
    ).toEqual(["12:49:30", "12:50:00", "12:55:00", "13:15:00"]);
  });

  it("does nothing but the health check on the weekend and on Thanksgiving", () => {
    const quiet = calls.filter((call) =>
      ["2026-11-21", "2026-11-22", "2026-11-26"].includes(call.date),
    );
    expect(quiet.filter((call) => call.step !== "health")).toEqual([]);
    expect(quiet.length).toBeGreaterThan(0);
  });

  it("ticks the monitor every minute from the 09:30 open up to the 15:50 decision (12:50 on the early close)", () => {
    const ticks = calls.filter((call) => call.step === "monitor");
    const perDay = new Map<string, Call[]>();
    for (const tick of ticks) perDay.set(tick.date, [...(perDay.get(tick.date) ?? []), tick]);
    expect([...perDay.keys()]).toEqual([
      "2026-11-16",
      "2026-11-17",
      "2026-11-18",
      "2026-11-19",
      "2026-11-20",
      "2026-11-23",
      "2026-11-24",
      "2026-11-25",
      "2026-11-27",
    ]);
    for (const [date, dayTicks] of perDay) {
      const early = date === "2026-11-27";
      expect(dayTicks).toHaveLength(early ? 200 : 380);
      expect(newYorkTime(dayTicks[0]?.at ?? "")).toBe("09:30:00");
      expect(newYorkTime(dayTicks.at(-1)?.at ?? "")).toBe(early ? "12:49:00" : "15:49:00");
      dayTicks.forEach((tick, i) => {
        expect(tick.calledAt).toBe(tick.at);
        if (i > 0)
          expect(parseIsoInstant(tick.at) - parseIsoInstant(dayTicks[i - 1]?.at ?? "")).toBe(
            60_000,
          );
      });
    }
  });

  it("checks health every 6 hours, the current slot at once on start", () => {
    const checks = calls.filter((call) => call.step === "health");
    expect(checks[0]).toMatchObject({
      at: "2026-11-16T00:00:00.000Z",
      calledAt: "2026-11-16T05:00:00.000Z",
    });
    const later = checks.slice(1);
    expect(later[0]?.at).toBe("2026-11-16T06:00:00.000Z");
    expect(later.at(-1)?.at).toBe("2026-11-28T00:00:00.000Z");
    expect(later).toHaveLength(48);
    later.forEach((check, i) => {
      expect(check.calledAt).toBe(check.at);
      if (i > 0)
        expect(parseIsoInstant(check.at) - parseIsoInstant(later[i - 1]?.at ?? "")).toBe(
          6 * 3_600_000,
        );
    });
  });

  it("emits one run per call, each ok with the action's answer", () => {
    expect(runs.map((run) => run.key)).toEqual(calls.map((call) => call.key));
    expect(runs.every((run) => run.status === "ok")).toBe(true);
    expect(runs.find((run) => run.key === "2026-11-27:orders")?.result).toBe(
      "2026-11-27:orders done",
    );
  });
});

describe("the long-running scheduler", () => {
  it("keeps New York times across the daylight-saving switch (Sunday 2026-11-01)", async () => {
    const time = virtualTime("2026-10-26T04:00:00Z");
    const { calls, actions } = recordingActions(time.clock, SESSION_STEPS);
    const scheduler = createScheduler({
      clock: time.clock,
      calendar: nyse,
      actions,
      scheduler: time.scheduler,
      done: new Set(["2026-10-23:validation"]),
    });
    scheduler.events$.subscribe();
    await time.advanceTo("2026-11-07T05:00:00Z");
    await scheduler.stop();
    expect(calls).toHaveLength(10 * 4);
    for (const call of calls) expect(call.calledAt).toBe(call.at);
    const decisions = calls.filter((call) => call.step === "decision");
    expect(new Set(decisions.map((call) => newYorkTime(call.at)))).toEqual(new Set(["15:50:00"]));
    expect(decisions.find((call) => call.date === "2026-10-30")?.at).toBe(
      "2026-10-30T19:50:00.000Z",
    );
    expect(decisions.find((call) => call.date === "2026-11-02")?.at).toBe(
      "2026-11-02T20:50:00.000Z",
    );
    expect(
      new Set(calls.filter((call) => call.step === "validation").map((c) => newYorkTime(c.at))),
    ).toEqual(new Set(["16:15:00"]));
  });

  it("catches up on start: started at 15:52 it runs pre-flight and decision at once, orders at 15:55", async () => {
    const time = virtualTime("2026-11-20T20:52:00Z");
    const { calls, actions } = recordingActions(time.clock, SESSION_STEPS);
    const scheduler = createScheduler({
      clock: time.clock,
      calendar: nyse,
      actions,
      scheduler: time.scheduler,
    });
    scheduler.events$.subscribe();
    await time.advanceTo("2026-11-20T21:00:00Z");
    await scheduler.stop();
    expect(calls.map((call) => [call.key, call.calledAt])).toEqual([
      ["2026-11-20:preflight", "2026-11-20T20:52:00.000Z"],
      ["2026-11-20:decision", "2026-11-20T20:52:00.000Z"],
      ["2026-11-20:orders", "2026-11-20T20:55:00.000Z"],
    ]);
  });

  it("skips a step whose window closed while an earlier one ran, rather than trade after the close", async () => {
    const time = virtualTime("2026-11-20T20:00:00Z");
    let lateBy = 0;
    const clock: Clock = { now: () => time.clock.now() + lateBy };
    const { calls, actions } = recordingActions(clock, SESSION_STEPS, (run) => {
      if (run.step === "decision") lateBy = 11 * 60_000; // the decision took 11 minutes
    });
    const scheduler = createScheduler({
      clock,
      calendar: nyse,
      actions,
      scheduler: time.scheduler,
      done: THURSDAY_VALIDATED,
    });
    const runs: ScheduledRun[] = [];
    scheduler.events$.subscribe((run) => runs.push(run));
    await time.advanceTo("2026-11-20T21:30:00Z");
    await scheduler.stop();
    expect(runs.map((run) => [run.step, run.status])).toEqual([
      ["preflight", "ok"],
      ["decision", "ok"],
      ["orders", "skipped"],
      ["validation", "ok"],
    ]);
    expect(runs[2]?.detail).toMatch(/after its window closed at 2026-11-20T21:00:00.000Z/);
    expect(calls.map((call) => call.step)).toEqual(["preflight", "decision", "validation"]);
  });

  it("does not trade after a failed step: orders are skipped, validation still runs", async () => {
    const time = virtualTime("2026-11-20T20:00:00Z");
    const { actions } = recordingActions(time.clock, SESSION_STEPS, (run) => {
      if (run.step === "preflight") throw new Error("broker auth refused");
    });
    const scheduler = createScheduler({
      clock: time.clock,
      calendar: nyse,
      actions,
      scheduler: time.scheduler,
      done: THURSDAY_VALIDATED,
    });
    const runs: ScheduledRun[] = [];
    scheduler.events$.subscribe((run) => runs.push(run));
    await time.advanceTo("2026-11-20T21:30:00Z");
    await scheduler.stop();
    expect(runs.map((run) => [run.step, run.status, run.detail])).toEqual([
      ["preflight", "failed", "broker auth refused"],
      [
        "decision",
        "skipped",
        "the preflight step of 2026-11-20 failed: no trade after a failed step",
      ],
      [
        "orders",
        "skipped",
        "the preflight step of 2026-11-20 failed: no trade after a failed step",
      ],
      ["validation", "ok", undefined],
    ]);
  });

  it("stops: nothing runs after stop(), and the stream completes", async () => {
    const time = virtualTime("2026-11-20T20:00:00Z");
    const { calls, actions } = recordingActions(time.clock, SESSION_STEPS);
    const scheduler = createScheduler({
      clock: time.clock,
      calendar: nyse,
      actions,
      scheduler: time.scheduler,
      done: THURSDAY_VALIDATED,
    });
    let completed = false;
    scheduler.events$.subscribe({ complete: () => (completed = true) });
    await time.advanceTo("2026-11-20T20:50:00Z");
    await scheduler.stop();
    await time.advanceTo("2026-11-21T00:00:00Z");
    expect(calls.map((call) => call.step)).toEqual(["preflight", "decision"]);
    expect(completed).toBe(true);
    // A late subscriber does not start it again.
    scheduler.events$.subscribe();
    await time.advanceTo("2026-11-24T00:00:00Z");
    expect(calls).toHaveLength(2);
  });

  it("refuses bad options, naming them", () => {
    const clock = { now: () => parseIsoInstant("2026-11-20T20:00:00Z") };
    const { actions } = recordingActions(clock, ALL);
    expect(() =>
      createScheduler({ clock, calendar: nyse, actions, monitorIntervalMinutes: 0 }),
    ).toThrow(/monitor intervalMinutes must be a positive whole number of seconds.*got 0/);
    expect(() =>
      createScheduler({ clock, calendar: nyse, actions, healthIntervalHours: -6 }),
    ).toThrow(/healthIntervalHours must be more than 0 and at most 168, got -6/);
    const { decision: _, ...withoutDecision } = actions;
    expect(() =>
      createScheduler({ clock, calendar: nyse, actions: withoutDecision as ScheduleActions }),
    ).toThrow(/actions.decision must be a function/);
  });
});

describe("runDueSteps (one-shot mode)", () => {
  const oneShot = (
    now: string,
    done: ReadonlySet<string>,
    steps: readonly ScheduledActivity[] = SESSION_STEPS,
  ) => {
    const clock = { now: () => parseIsoInstant(now) };
    const { calls, actions } = recordingActions(clock, steps);
    return runDueSteps({ clock, calendar: nyse, actions, done }).then((report) => ({
      report,
      calls,
    }));
  };
  const doneKeys = (runs: readonly ScheduledRun[]) =>
    runs.filter((run) => run.status === "ok").map((run) => run.key);

  it("at 15:52 New York runs pre-flight and decision, not orders; a second call runs nothing new", async () => {
    const first = await oneShot("2026-11-20T20:52:00Z", new Set());
    expect(first.report).toMatchObject({
      at: "2026-11-20T20:52:00.000Z",
      date: "2026-11-20",
      marketClosed: null,
    });
    expect(first.report.runs.map((run) => [run.key, run.status])).toEqual([
      ["2026-11-20:preflight", "ok"],
      ["2026-11-20:decision", "ok"],
    ]);
    // The store now knows both as done.
    const second = await oneShot("2026-11-20T20:52:30Z", new Set(doneKeys(first.report.runs)));
    expect(second.report.runs).toEqual([]);
    expect(second.calls).toEqual([]);
  });

  it("on Thanksgiving says the market is closed and only catches up Wednesday's validation", async () => {
    const { report } = await oneShot("2026-11-26T20:52:00Z", new Set());
    expect(report.marketClosed).toBe("Thanksgiving Day");
    expect(report.runs.map((run) => run.key)).toEqual(["2026-11-25:validation"]);
    const again = await oneShot("2026-11-26T20:52:00Z", new Set(["2026-11-25:validation"]));
    expect(again.report).toMatchObject({ marketClosed: "Thanksgiving Day", runs: [] });
  });

  it("on a weekend morning catches up Friday's validation, and on Monday's pre-flight no longer does", async () => {
    expect((await oneShot("2026-11-21T15:00:00Z", new Set())).report).toMatchObject({
      marketClosed: "weekend",
      runs: [{ key: "2026-11-20:validation", status: "ok" }],
    });
    const monday = await oneShot("2026-11-23T20:49:30Z", new Set());
    expect(monday.report.runs.map((run) => run.key)).toEqual(["2026-11-23:preflight"]);
  });

  it("runs the monitor tick due now, between the open and the decision", async () => {
    const { report } = await oneShot(
      "2026-11-20T15:07:42Z",
      new Set(["2026-11-19:validation"]),
      ALL,
    );
    expect(report.runs.map((run) => run.key)).toEqual([
      "2026-11-20:monitor:2026-11-20T15:07:00.000Z",
    ]);
  });
});
