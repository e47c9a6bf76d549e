import { describe, expect, it } from "vitest";
import { weekdayCalendar } from "../../calendar/trading-calendar.js";
import { fold, runCommands } from "../../decider/decider.js";
import { createEventRegistry } from "../../events/registry.js";
import { fixedClock } from "../../ports/clock.js";
import { seededIds } from "../../ports/ids.js";
import { scenario } from "../../testing/scenario.js";
import type { GovernorCommand } from "./commands.js";
import { DEFAULT_GOVERNOR_CONFIG, parseGovernorConfig } from "./config.js";
import { createGovernor } from "./decider.js";
import { describeGovernor } from "./describe.js";
import { GOVERNOR_EVENTS, type GovernorEvent, type HealthCheckResult } from "./events.js";
import { governorAllowsEntries, healthChecksDue, sizingMultiplier } from "./state.js";
import { decisionTimeOf as at, healthInputsFor } from "./testing.js";

// Plain weekdays: 2026-11-12 (Thu) + 10 sessions = 2026-11-26, as in the spec's example.
const calendar = weekdayCalendar();
const governor = createGovernor({ calendar });

const observe = (
  session: string,
  equity: number,
  positions: { symbol: string; quantity: number }[] = [],
): GovernorCommand => ({ type: "ObserveEquity", at: at(session), session, equity, positions });

const observed = (session: string, equity: number, peak: number, drawdown: number) =>
  ({
    type: "GovernorEquityObserved",
    data: { at: at(session), session, equity, peak, drawdown },
  }) satisfies GovernorEvent;

const ALL_PASS = {
  reconciliation_passed: true,
  market_data_fresh: true,
  no_recent_duplicate_intents: true,
  strategy_enabled: true,
} as const;

const healthChecks = (
  session: string,
  passing: Partial<Record<keyof typeof ALL_PASS, boolean>> = {},
): GovernorCommand => ({
  type: "RunHealthChecks",
  at: at(session),
  session,
  health: healthInputsFor(at(session), { ...ALL_PASS, ...passing }),
});

const passedChecks: HealthCheckResult[] = [
  { name: "reconciliation_passed", passed: true, detail: "last reconciliation PASS" },
  {
    name: "market_data_fresh",
    passed: true,
    detail: "market data updated 1.0 h ago (limit 72 h)",
  },
  { name: "no_recent_duplicate_intents", passed: true, detail: "no duplicate intent recorded" },
  { name: "strategy_enabled", passed: true, detail: "2 strategies enabled" },
];

/** The events of running these commands: a history produced by the governor itself. */
const historyOf = (...commands: GovernorCommand[]) => {
  const run = runCommands(governor, commands);
  expect(run.refusals).toEqual([]);
  return run.events;
};

// $1,000 at the peak on 2026-11-11, $920 on 2026-11-12: the runbook's scenario 1.
const HALT_ON_NOV_12 = [observe("2026-11-11", 100_000), observe("2026-11-12", 92_000)];
const haltedOnNov12 = () => historyOf(...HALT_ON_NOV_12);

describe("drawdown governor: the high-water mark and drawdown", () => {
  it("takes the first observation as the peak and raises it on a new high", () => {
    scenario(governor)
      .when(observe("2026-11-10", 100_000))
      .thenEvents([observed("2026-11-10", 100_000, 100_000, 0)]);
    const { state } = scenario(governor)
      .given(historyOf(observe("2026-11-10", 100_000)))
      .when(observe("2026-11-11", 105_000))
      .thenEvents([observed("2026-11-11", 105_000, 105_000, 0)]);
    expect(state.peak).toBe(105_000);
  });

  it("measures drawdown from the peak, not from the last observation", () => {
    const { state } = scenario(governor)
      .given(historyOf(observe("2026-11-09", 100_000), observe("2026-11-10", 95_000)))
      .when(observe("2026-11-11", 96_000))
      .thenEvents([observed("2026-11-11", 96_000, 100_000, 0.04)]);
    expect(state.status).toBe("NORMAL");
  });
});

describe("drawdown governor: HALT and PANIC", () => {
  it("$1,000 → $920 triggers HALT: entries blocked, sizing 0, cooldown ends 10 sessions later", () => {
    const { state } = scenario(governor)
      .given(historyOf(observe("2026-11-11", 100_000)))
      .when(observe("2026-11-12", 92_000))
      .thenEvents([
        observed("2026-11-12", 92_000, 100_000, 0.08),
        {
          type: "GovernorHalted",
          data: {
            at: at("2026-11-12"),
            session: "2026-11-12",
            drawdown: 0.08,
            peak: 100_000,
            equity: 92_000,
            previousStatus: "NORMAL",
            cooldownEndsOn: "2026-11-26",
          },
        },
      ]);
    expect(state.status).toBe("HALT");
    expect(governorAllowsEntries(state)).toBe(false);
    expect(sizingMultiplier(state)).toBe(0);
    expect(describeGovernor(state)).toBe(
      "HALT since 2026-11-12: drawdown 8%; cooldown ends 2026-11-26",
    );
  });

  it("$1,000 → $920.01 (just under 8%) stays NORMAL", () => {
    const { state } = scenario(governor)
      .given(historyOf(observe("2026-11-11", 100_000)))
      .when(observe("2026-11-12", 92_001))
      .thenEvents([observed("2026-11-12", 92_001, 100_000, 0.07999)]);
    expect(sizingMultiplier(state)).toBe(1);
  });

  it("$1,000 → $900 goes straight to PANIC (PANIC wins) and flattens every position held", () => {
    const when = { at: at("2026-11-12"), session: "2026-11-12" };
    const { state } = scenario(governor)
      .given(historyOf(observe("2026-11-11", 100_000)))
      .when(
        observe("2026-11-12", 90_000, [
          { symbol: "SPY", quantity: 3 },
          { symbol: "TLT", quantity: 0 },
          { symbol: "QQQ", quantity: -2 },
        ]),
      )
      .thenEvents([
        observed("2026-11-12", 90_000, 100_000, 0.1),
        {
          type: "GovernorPanicked",
          data: {
            ...when,
            drawdown: 0.1,
            peak: 100_000,
            equity: 90_000,
            previousStatus: "NORMAL",
            cooldownEndsOn: "2026-12-10",
          },
        },
        { type: "GovernorFlattenRequested", data: { ...when, symbol: "SPY", quantity: 3 } },
        { type: "GovernorFlattenRequested", data: { ...when, symbol: "QQQ", quantity: -2 } },
      ]);
    expect(state.status).toBe("PANIC");
    expect(governorAllowsEntries(state)).toBe(false);
    expect(sizingMultiplier(state)).toBe(0);
  });

  it("with flatten-on-panic off, PANIC requests no flatten", () => {
    const quiet = createGovernor({ calendar, config: { flattenOnPanic: false } });
    const run = runCommands(quiet, [
      observe("2026-11-11", 100_000),
      observe("2026-11-12", 89_000, [{ symbol: "SPY", quantity: 3 }]),
    ]);
    expect(run.events.map((event) => event.type)).toEqual([
      "GovernorEquityObserved",
      "GovernorEquityObserved",
      "GovernorPanicked",
    ]);
  });

  it("HALT deepening to 10% becomes PANIC, the cooldown restarting at 20 sessions from then", () => {
    const { state } = scenario(governor)
      .given(haltedOnNov12())
      .when(observe("2026-11-17", 89_500, [{ symbol: "SPY", quantity: 1 }]))
      .thenEvents([
        observed("2026-11-17", 89_500, 100_000, 0.105),
        {
          type: "GovernorPanicked",
          data: {
            at: at("2026-11-17"),
            session: "2026-11-17",
            drawdown: 0.105,
            peak: 100_000,
            equity: 89_500,
            previousStatus: "HALT",
            cooldownEndsOn: "2026-12-15",
          },
        },
        {
          type: "GovernorFlattenRequested",
          data: { at: at("2026-11-17"), session: "2026-11-17", symbol: "SPY", quantity: 1 },
        },
      ]);
    expect(describeGovernor(state)).toBe(
      "PANIC since 2026-11-17: drawdown 10.5%; cooldown ends 2026-12-15",
    );
  });

  it("a HALT that recovers stays HALT, and a PANIC that deepens stays PANIC (no second flatten)", () => {
    scenario(governor)
      .given(haltedOnNov12())
      .when(observe("2026-11-13", 99_000))
      .thenEvents([observed("2026-11-13", 99_000, 100_000, 0.01)]);
    scenario(governor)
      .given(historyOf(observe("2026-11-11", 100_000), observe("2026-11-12", 90_000)))
      .when(observe("2026-11-13", 80_000, [{ symbol: "SPY", quantity: 1 }]))
      .thenEvents([observed("2026-11-13", 80_000, 100_000, 0.2)]);
  });
});

describe("drawdown governor: cooldown end and health checks", () => {
  it("refuses health checks before the cooldown ends, and outside HALT/PANIC", () => {
    scenario(governor)
      .given(haltedOnNov12())
      .when(healthChecks("2026-11-25"))
      .thenRefused("cooldown_not_over", "2026-11-26");
    scenario(governor)
      .given(historyOf(observe("2026-11-11", 100_000)))
      .when(healthChecks("2026-11-12"))
      .thenRefused("not_cooling_down");
  });

  it("a halt that spans a holiday counts sessions: Thanksgiving moves the end to 2026-12-07", () => {
    const thanksgiving = weekdayCalendar(["2026-11-26"]);
    const holidayGovernor = createGovernor({ calendar: thanksgiving });
    const halted = runCommands(holidayGovernor, [
      observe("2026-11-19", 100_000),
      observe("2026-11-20", 91_600),
    ]);
    expect(halted.state.cooldown?.endsOn).toBe("2026-12-07");
    expect(healthChecksDue(halted.state, "2026-12-04")).toBe(false);
    expect(healthChecksDue(halted.state, "2026-12-07")).toBe(true);
    scenario(holidayGovernor)
      .given(halted.events)
      .when(healthChecks("2026-12-04"))
      .thenRefused("cooldown_not_over");
    const { state } = scenario(holidayGovernor)
      .given(halted.events)
      .when(healthChecks("2026-12-07"))
      .thenEvents([
        {
          type: "GovernorHealthChecksPassed",
          data: { at: at("2026-12-07"), session: "2026-12-07", checks: passedChecks },
        },
        {
          type: "GovernorPeakRebased",
          data: {
            at: at("2026-12-07"),
            session: "2026-12-07",
            previousPeak: 100_000,
            peak: 91_600,
          },
        },
        {
          type: "GovernorRampUpStarted",
          data: {
            at: at("2026-12-07"),
            session: "2026-12-07",
            sizing: 0.5,
            endsOn: "2026-12-14",
            cause: "health_checks_passed",
          },
        },
      ]);
    expect(state.status).toBe("RAMPUP");
  });

  it("all checks pass at cooldown end: RAMPUP at 0.5 sizing with the high-water mark re-based", () => {
    const when = { at: at("2026-11-26"), session: "2026-11-26" };
    const { state } = scenario(governor)
      .given(haltedOnNov12())
      .when(healthChecks("2026-11-26"))
      .thenEvents([
        { type: "GovernorHealthChecksPassed", data: { ...when, checks: passedChecks } },
        {
          type: "GovernorPeakRebased",
          data: { ...when, previousPeak: 100_000, peak: 92_000 },
        },
        {
          type: "GovernorRampUpStarted",
          data: { ...when, sizing: 0.5, endsOn: "2026-12-03", cause: "health_checks_passed" },
        },
      ]);
    expect(state.status).toBe("RAMPUP");
    expect(state.peak).toBe(92_000);
    expect(state.drawdown).toBe(0);
    expect(sizingMultiplier(state)).toBe(0.5);
    expect(governorAllowsEntries(state)).toBe(true);
    expect(describeGovernor(state)).toBe(
      "RAMPUP since 2026-11-26: sizing × 0.5; NORMAL from 2026-12-03",
    );
  });

  it("a failed health check extends the cooldown by 5 sessions and names the failed checks", () => {
    const when = { at: at("2026-11-26"), session: "2026-11-26" };
    const { state } = scenario(governor)
      .given(haltedOnNov12())
      .when(healthChecks("2026-11-26", { reconciliation_passed: false, strategy_enabled: false }))
      .thenEvents([
        {
          type: "GovernorCooldownExtended",
          data: {
            ...when,
            checks: [
              { name: "reconciliation_passed", passed: false, detail: "last reconciliation FAIL" },
              passedChecks[1] as HealthCheckResult,
              passedChecks[2] as HealthCheckResult,
              { name: "strategy_enabled", passed: false, detail: "0 strategies enabled" },
            ],
            failedChecks: ["reconciliation_passed", "strategy_enabled"],
            previousEndsOn: "2026-11-26",
            cooldownEndsOn: "2026-12-03",
          },
        },
      ]);
    expect(state.status).toBe("HALT");
    expect(describeGovernor(state)).toBe(
      "HALT since 2026-11-12: drawdown 8%; cooldown ends 2026-12-03 (extended 1× after failed health checks: reconciliation_passed, strategy_enabled)",
    );
    // Checks again at the new end, not before.
    const extended = historyOf(
      ...HALT_ON_NOV_12,
      healthChecks("2026-11-26", { reconciliation_passed: false }),
    );
    scenario(governor)
      .given(extended)
      .when(healthChecks("2026-12-02"))
      .thenRefused("cooldown_not_over");
    const resumed = scenario(governor)
      .given(extended)
      .when(healthChecks("2026-12-03"))
      .thenEvents([
        {
          type: "GovernorHealthChecksPassed",
          data: { at: at("2026-12-03"), session: "2026-12-03", checks: passedChecks },
        },
        {
          type: "GovernorPeakRebased",
          data: {
            at: at("2026-12-03"),
            session: "2026-12-03",
            previousPeak: 100_000,
            peak: 92_000,
          },
        },
        {
          type: "GovernorRampUpStarted",
          data: {
            at: at("2026-12-03"),
            session: "2026-12-03",
            sizing: 0.5,
            endsOn: "2026-12-10",
            cause: "health_checks_passed",
          },
        },
      ]);
    expect(resumed.state.status).toBe("RAMPUP");
  });

  it("judges market data by the 72 h limit and duplicates by the 24 h window", () => {
    const session = "2026-11-26";
    const judged = (health: {
      marketDataUpdatedAt: string | null;
      lastDuplicateIntentAt: string | null;
    }) => {
      const result = runCommands(
        governor,
        [
          {
            type: "RunHealthChecks",
            at: at(session),
            session,
            health: { lastReconciliation: "PASS", enabledStrategies: 1, ...health },
          },
        ],
        fold(governor, haltedOnNov12()),
      );
      return result.events[0]?.type === "GovernorCooldownExtended"
        ? result.events[0].data.failedChecks
        : [];
    };
    // at(session) is 2026-11-26T20:50Z: 72 h before is 2026-11-23T20:50Z.
    expect(
      judged({ marketDataUpdatedAt: "2026-11-23T20:50:00Z", lastDuplicateIntentAt: null }),
    ).toEqual([]);
    expect(
      judged({ marketDataUpdatedAt: "2026-11-23T20:49:59Z", lastDuplicateIntentAt: null }),
    ).toEqual(["market_data_fresh"]);
    expect(judged({ marketDataUpdatedAt: null, lastDuplicateIntentAt: null })).toEqual([
      "market_data_fresh",
    ]);
    expect(
      judged({
        marketDataUpdatedAt: "2026-11-26T20:00:00Z",
        lastDuplicateIntentAt: "2026-11-25T21:00:00Z",
      }),
    ).toEqual(["no_recent_duplicate_intents"]);
    expect(
      judged({
        marketDataUpdatedAt: "2026-11-26T20:00:00Z",
        lastDuplicateIntentAt: "2026-11-25T20:50:00Z",
      }),
    ).toEqual([]);
  });
});

describe("drawdown governor: RAMPUP", () => {
  const rampingUp = () => historyOf(...HALT_ON_NOV_12, healthChecks("2026-11-26"));

  it("lasts 5 sessions at 0.5 sizing, then NORMAL at 1.0", () => {
    let state = fold(governor, rampingUp());
    for (const session of ["2026-11-27", "2026-11-30", "2026-12-01", "2026-12-02"]) {
      state = runCommands(governor, [observe(session, 92_500)], state).state;
      expect([session, state.status, sizingMultiplier(state)]).toEqual([session, "RAMPUP", 0.5]);
    }
    const { state: normal } = scenario(governor)
      .given(rampingUp())
      .when(observe("2026-12-03", 92_500))
      .thenEvents([
        observed("2026-12-03", 92_500, 92_500, 0),
        {
          type: "GovernorNormalResumed",
          data: { at: at("2026-12-03"), session: "2026-12-03", cause: "rampup_completed" },
        },
      ]);
    expect(normal.status).toBe("NORMAL");
    expect(sizingMultiplier(normal)).toBe(1);
  });

  it("re-based high-water mark: a flattened account at $880 resumes and is measured from $880", () => {
    const flattened = historyOf(
      observe("2026-11-11", 100_000),
      observe("2026-11-12", 88_000, [{ symbol: "SPY", quantity: 2 }]),
      observe("2026-12-10", 88_000),
      healthChecks("2026-12-10"),
    );
    const state = fold(governor, flattened);
    expect(state.status).toBe("RAMPUP");
    expect(state.peak).toBe(88_000);
    // Without the re-base, $880 against the old $1,000 peak (12%) would panic again at once.
    scenario(governor)
      .given(flattened)
      .when(observe("2026-12-11", 88_000))
      .thenEvents([observed("2026-12-11", 88_000, 88_000, 0)]);
  });

  it("a breach during RAMPUP halts again, measured from the re-based mark", () => {
    const { state } = scenario(governor)
      .given(rampingUp())
      .when(observe("2026-11-30", 84_640))
      .thenEvents([
        observed("2026-11-30", 84_640, 92_000, 0.08),
        {
          type: "GovernorHalted",
          data: {
            at: at("2026-11-30"),
            session: "2026-11-30",
            drawdown: 0.08,
            peak: 92_000,
            equity: 84_640,
            previousStatus: "RAMPUP",
            cooldownEndsOn: "2026-12-14",
          },
        },
      ]);
    expect(sizingMultiplier(state)).toBe(0);
  });

  it("a breach on the session the ramp-up would end halts rather than resuming NORMAL", () => {
    const { state } = scenario(governor)
      .given(rampingUp())
      .when(observe("2026-12-03", 80_000))
      .thenEvents([
        observed("2026-12-03", 80_000, 92_000, 12_000 / 92_000),
        {
          type: "GovernorPanicked",
          data: {
            at: at("2026-12-03"),
            session: "2026-12-03",
            drawdown: 12_000 / 92_000,
            peak: 92_000,
            equity: 80_000,
            previousStatus: "RAMPUP",
            cooldownEndsOn: "2026-12-31",
          },
        },
      ]);
    expect(state.status).toBe("PANIC");
  });
});

describe("drawdown governor: manual override", () => {
  const override = (
    type: "ForceResume" | "ResetGovernor",
    session: string,
    operator: string,
    reason: string,
  ): GovernorCommand => ({ type, at: at(session), session, operator, reason });

  it("is refused without an operator name or a reason", () => {
    scenario(governor)
      .given(haltedOnNov12())
      .when(override("ForceResume", "2026-11-13", "", "market recovered"))
      .thenRefused("missing_operator", "operator");
    scenario(governor)
      .given(haltedOnNov12())
      .when(override("ResetGovernor", "2026-11-13", "alice", "   "))
      .thenRefused("missing_reason");
  });

  it("force resume moves HALT or PANIC to RAMPUP, recording who and why", () => {
    const when = { at: at("2026-11-13"), session: "2026-11-13" };
    const { state } = scenario(governor)
      .given(historyOf(observe("2026-11-11", 100_000), observe("2026-11-12", 89_000)))
      .when(override("ForceResume", "2026-11-13", " alice ", "broker glitch, equity misreported"))
      .thenEvents([
        {
          type: "GovernorOverridden",
          data: {
            ...when,
            action: "force_resume",
            operator: "alice",
            reason: "broker glitch, equity misreported",
            previousStatus: "PANIC",
          },
        },
        { type: "GovernorPeakRebased", data: { ...when, previousPeak: 100_000, peak: 89_000 } },
        {
          type: "GovernorRampUpStarted",
          data: { ...when, sizing: 0.5, endsOn: "2026-11-20", cause: "operator_force_resume" },
        },
      ]);
    expect(state.status).toBe("RAMPUP");
    expect(state.lastOverride).toEqual({
      action: "force_resume",
      operator: "alice",
      reason: "broker glitch, equity misreported",
      at: when.at,
    });
  });

  it("force resume outside HALT/PANIC is refused", () => {
    scenario(governor)
      .given(historyOf(observe("2026-11-11", 100_000)))
      .when(override("ForceResume", "2026-11-12", "alice", "why not"))
      .thenRefused("not_halted");
  });

  it("reset returns to NORMAL from HALT; in NORMAL it only re-bases the mark", () => {
    const when = { at: at("2026-11-13"), session: "2026-11-13" };
    const { state } = scenario(governor)
      .given(haltedOnNov12())
      .when(override("ResetGovernor", "2026-11-13", "bob", "withdrew $80"))
      .thenEvents([
        {
          type: "GovernorOverridden",
          data: {
            ...when,
            action: "reset",
            operator: "bob",
            reason: "withdrew $80",
            previousStatus: "HALT",
          },
        },
        { type: "GovernorPeakRebased", data: { ...when, previousPeak: 100_000, peak: 92_000 } },
        { type: "GovernorNormalResumed", data: { ...when, cause: "operator_reset" } },
      ]);
    expect(state.status).toBe("NORMAL");
    expect(sizingMultiplier(state)).toBe(1);
    scenario(governor)
      .given(historyOf(observe("2026-11-12", 100_000), observe("2026-11-13", 95_000)))
      .when(override("ResetGovernor", "2026-11-13", "bob", "withdrew $50"))
      .thenEvents([
        {
          type: "GovernorOverridden",
          data: {
            ...when,
            action: "reset",
            operator: "bob",
            reason: "withdrew $50",
            previousStatus: "NORMAL",
          },
        },
        { type: "GovernorPeakRebased", data: { ...when, previousPeak: 100_000, peak: 95_000 } },
      ]);
  });
});

describe("drawdown governor: refusals and validation", () => {
  it("refuses a weekend or holiday, an earlier session, a date outside the calendar", () => {
    scenario(governor).when(observe("2026-11-14", 100_000)).thenRefused("not_a_session");
    scenario(governor)
      .given(historyOf(observe("2026-11-12", 100_000)))
      .when(observe("2026-11-11", 100_000))
      .thenRefused("session_in_the_past", "2026-11-12");
    scenario(governor)
      .given(historyOf(observe("2026-11-12", 100_000)))
      .when(observe("2026-11-12", 100_500))
      .thenEvents([observed("2026-11-12", 100_500, 100_500, 0)]);
    scenario(
      createGovernor({ calendar: weekdayCalendar([], { from: "2026-01-01", to: "2026-12-31" }) }),
    )
      .when(observe("2027-01-04", 100_000))
      .thenRefused("outside_calendar");
  });

  it("refuses malformed commands: fractional or negative cents, a non-UTC time, repeated symbols", () => {
    scenario(governor)
      .when(observe("2026-11-12", 100_000.5))
      .thenRefused("invalid_command", "equity");
    scenario(governor).when(observe("2026-11-12", -1)).thenRefused("invalid_command");
    scenario(governor)
      .when({
        type: "ObserveEquity",
        at: "2026-11-12T15:50:00-05:00",
        session: "2026-11-12",
        equity: 1,
        positions: [],
      })
      .thenRefused("invalid_command", "at");
    scenario(governor)
      .when(
        observe("2026-11-12", 100_000, [
          { symbol: "SPY", quantity: 1 },
          { symbol: "SPY", quantity: 2 },
        ]),
      )
      .thenRefused("invalid_command", "once");
  });
});

describe("drawdown governor: config and events", () => {
  it("defaults to the spec's numbers", () => {
    expect(DEFAULT_GOVERNOR_CONFIG).toEqual({
      haltDrawdown: 0.08,
      panicDrawdown: 0.1,
      haltCooldownSessions: 10,
      panicCooldownSessions: 20,
      healthCheckExtensionSessions: 5,
      rampUpSessions: 5,
      rampUpSizing: 0.5,
      flattenOnPanic: true,
      marketDataMaxAgeHours: 72,
      duplicateIntentWindowHours: 24,
    });
  });

  it("refuses a halt threshold at or above the panic threshold, naming the field", () => {
    expect(() => parseGovernorConfig({ haltDrawdown: 0.1, panicDrawdown: 0.1 })).toThrow(
      /haltDrawdown[\s\S]*must be below panicDrawdown/,
    );
    expect(() => createGovernor({ calendar, config: { haltCooldownSessions: 0 } })).toThrow(
      /haltCooldownSessions/,
    );
  });

  it("counts with the configured numbers", () => {
    const strict = createGovernor({
      calendar,
      config: { haltDrawdown: 0.05, haltCooldownSessions: 3 },
    });
    const run = runCommands(strict, [
      observe("2026-11-11", 100_000),
      observe("2026-11-12", 95_000),
    ]);
    expect(run.state.cooldown?.endsOn).toBe("2026-11-17");
  });

  it("emits only events its registry accepts", () => {
    const registry = createEventRegistry(GOVERNOR_EVENTS);
    const panicEnd = calendar.addSessions("2026-11-30", 20);
    const rampUpEnd = calendar.addSessions(panicEnd, 5);
    const events = historyOf(
      observe("2026-11-11", 100_000),
      observe("2026-11-12", 92_000),
      healthChecks("2026-11-26", { market_data_fresh: false }),
      {
        type: "ForceResume",
        at: at("2026-11-27"),
        session: "2026-11-27",
        operator: "alice",
        reason: "checked",
      },
      observe("2026-11-30", 82_000, [{ symbol: "SPY", quantity: 4 }]),
      healthChecks(panicEnd),
      observe(rampUpEnd, 83_000),
      {
        type: "ResetGovernor",
        at: at(rampUpEnd),
        session: rampUpEnd,
        operator: "alice",
        reason: "checked",
      },
    );
    expect(new Set(events.map((event) => event.type))).toEqual(new Set(registry.types));
    const stamped = registry.stamp(events, {
      clock: fixedClock("2026-12-08T21:00:00Z"),
      ids: seededIds("governor"),
      runId: "live:acct:2026-12-08:close",
      mode: "live",
    });
    expect(stamped.map((event) => event.data)).toEqual(events.map((event) => event.data));
  });
});
