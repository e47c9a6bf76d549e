import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { weekdayCalendar } from "../../calendar/trading-calendar.js";
import { fold, runCommands } from "../../decider/decider.js";
import { transitionViolation } from "../../decider/transition-table.js";
import { createEventRegistry } from "../../events/registry.js";
import { fixedClock } from "../../ports/clock.js";
import { seededIds } from "../../ports/ids.js";
import { deepEqual } from "../../testing/deep-equal.js";
import { assertDeciderProperties } from "../../testing/properties.js";
import { scenario } from "../../testing/scenario.js";
import type { PendingSignalCommand } from "./commands.js";
import { DEFAULT_PENDING_SIGNALS_CONFIG, parsePendingSignalsConfig } from "./config.js";
import { createPendingSignals } from "./decider.js";
import { PENDING_SIGNAL_EVENTS, type PendingSignalEvent } from "./events.js";
import {
  type PendingSignalsState,
  pendingSignal,
  signalsDueForReevaluation,
  signalsToExpire,
} from "./state.js";
import { PENDING_SIGNALS_TABLE } from "./table.js";
import { pendingSignalCommand, pendingSignalCommands } from "./testing.js";

// 2026-01-19 (Monday) is Martin Luther King Jr. Day: the exchange is closed.
const calendar = weekdayCalendar(["2026-01-19"]);
const pending = createPendingSignals({ calendar });
const at = (session: string) => `${session}T20:50:00Z`;

const FRIDAY = "2026-01-16";

const defer = (
  session: string,
  signalId = "sig-1",
  stop: { stage: "CORRELATION" | "RISK"; reason: string } = {
    stage: "CORRELATION",
    reason: "high_correlation",
  },
): PendingSignalCommand => ({
  type: "DeferSignal",
  at: at(session),
  session,
  signalId,
  strategy: "trend",
  symbol: "QQQ",
  ...stop,
  detail: { correlationWith: "SPY", rho: 0.86 },
});

const reevaluate = (
  session: string,
  outcome: { verdict: "executed" } | { verdict: "blocked"; stage: string; reason: string },
  signalId = "sig-1",
): PendingSignalCommand => ({
  type: "ReevaluateSignal",
  at: at(session),
  session,
  signalId,
  outcome,
});

const expire = (session: string): PendingSignalCommand => ({
  type: "ExpirePendingSignals",
  at: at(session),
  session,
});

const historyOf = (...commands: PendingSignalCommand[]) => {
  const run = runCommands(pending, commands);
  expect(run.refusals).toEqual([]);
  return run.events;
};

const deferredOnFriday = () => historyOf(defer(FRIDAY));

describe("pending signals: created Friday, Monday a holiday", () => {
  it("a signal stopped by correlation becomes PENDING with its stage and reason, for 3 sessions", () => {
    const { state } = scenario(pending)
      .when(defer(FRIDAY))
      .thenEvents([
        {
          type: "PendingSignalDeferred",
          data: {
            at: at(FRIDAY),
            session: FRIDAY,
            signalId: "sig-1",
            strategy: "trend",
            symbol: "QQQ",
            stage: "CORRELATION",
            reason: "high_correlation",
            detail: { correlationWith: "SPY", rho: 0.86 },
            reevaluateUntil: "2026-01-22",
          },
        },
      ]);
    expect(pendingSignal(state, "sig-1")).toMatchObject({
      status: "PENDING",
      stoppedBy: { stage: "CORRELATION", reason: "high_correlation" },
      deferredOn: FRIDAY,
      reevaluateUntil: "2026-01-22",
    });
  });

  it("is due Tuesday, Wednesday and Thursday (the third session), not on Friday itself or after", () => {
    const state = fold(pending, deferredOnFriday());
    const due = (session: string) =>
      signalsDueForReevaluation(state, session).map((s) => s.signalId);
    expect(due(FRIDAY)).toEqual([]);
    expect(due("2026-01-20")).toEqual(["sig-1"]);
    expect(due("2026-01-21")).toEqual(["sig-1"]);
    expect(due("2026-01-22")).toEqual(["sig-1"]);
    expect(due("2026-01-23")).toEqual([]);
  });

  it("still pending through the third session, expired after", () => {
    scenario(pending).given(deferredOnFriday()).when(expire("2026-01-22")).thenEvents([]);
    const { state } = scenario(pending)
      .given(deferredOnFriday())
      .when(expire("2026-01-23"))
      .thenEvents([
        {
          type: "PendingSignalExpired",
          data: {
            at: at("2026-01-23"),
            session: "2026-01-23",
            signalId: "sig-1",
            reevaluateUntil: "2026-01-22",
          },
        },
      ]);
    expect(pendingSignal(state, "sig-1")?.status).toBe("EXPIRED");
    expect(pendingSignal(state, "sig-1")?.closedOn).toBe("2026-01-23");
  });

  it("re-evaluated and stopped again stays PENDING, keeping the original stop", () => {
    const { state } = scenario(pending)
      .given(deferredOnFriday())
      .when(
        reevaluate("2026-01-20", {
          verdict: "blocked",
          stage: "RISK",
          reason: "insufficient_cash",
        }),
      )
      .thenEvents([
        {
          type: "PendingSignalStillBlocked",
          data: {
            at: at("2026-01-20"),
            session: "2026-01-20",
            signalId: "sig-1",
            stage: "RISK",
            reason: "insufficient_cash",
          },
        },
      ]);
    expect(pendingSignal(state, "sig-1")).toMatchObject({
      status: "PENDING",
      stoppedBy: { stage: "CORRELATION", reason: "high_correlation" },
      lastBlockedBy: { stage: "RISK", reason: "insufficient_cash", session: "2026-01-20" },
      reevaluations: 1,
    });
  });

  it("EXECUTED when a later run lets it through; then final: no expiry, no second verdict", () => {
    const { state } = scenario(pending)
      .given(deferredOnFriday())
      .when(reevaluate("2026-01-22", { verdict: "executed" }))
      .thenEvents([
        {
          type: "PendingSignalExecuted",
          data: { at: at("2026-01-22"), session: "2026-01-22", signalId: "sig-1" },
        },
      ]);
    expect(pendingSignal(state, "sig-1")?.status).toBe("EXECUTED");
    const executed = historyOf(defer(FRIDAY), reevaluate("2026-01-22", { verdict: "executed" }));
    scenario(pending).given(executed).when(expire("2026-01-26")).thenEvents([]);
    scenario(pending)
      .given(executed)
      .when(reevaluate("2026-01-22", { verdict: "executed" }))
      .thenRefused("signal_closed");
  });
});

describe("pending signals: refusals", () => {
  it("re-evaluation outside the window: the deferral session, or after the third session", () => {
    scenario(pending)
      .given(deferredOnFriday())
      .when(reevaluate(FRIDAY, { verdict: "executed" }))
      .thenRefused("not_yet_due");
    scenario(pending)
      .given(deferredOnFriday())
      .when(reevaluate("2026-01-23", { verdict: "executed" }))
      .thenRefused("reevaluation_window_over", "2026-01-22");
  });

  it("an id already tracked, an unknown id, a holiday, a stage that does not defer", () => {
    scenario(pending)
      .given(deferredOnFriday())
      .when(defer("2026-01-20"))
      .thenRefused("already_tracked");
    scenario(pending)
      .given(historyOf(defer(FRIDAY), expire("2026-01-23")))
      .when(defer("2026-01-26"))
      .thenRefused("already_tracked", "EXPIRED");
    scenario(pending)
      .when(reevaluate("2026-01-20", { verdict: "executed" }, "nobody"))
      .thenRefused("unknown_signal");
    scenario(pending).when(defer("2026-01-19")).thenRefused("not_a_session");
    scenario(pending)
      .when({ ...defer(FRIDAY), stage: "REGIME" } as unknown as PendingSignalCommand)
      .thenRefused("invalid_command", "stage");
  });

  it("ids are data: a signal called __proto__ or constructor is an ordinary signal", () => {
    const run = runCommands(pending, [defer(FRIDAY, "__proto__"), defer(FRIDAY, "constructor")]);
    expect(run.refusals).toEqual([]);
    expect(signalsDueForReevaluation(run.state, "2026-01-20").map((s) => s.signalId)).toEqual([
      "__proto__",
      "constructor",
    ]);
    scenario(pending)
      .when(reevaluate("2026-01-20", { verdict: "executed" }, "toString"))
      .thenRefused("unknown_signal");
  });
});

describe("pending signals: config, ordering, events", () => {
  it("defaults to 3 trading days and counts the configured number", () => {
    expect(DEFAULT_PENDING_SIGNALS_CONFIG).toEqual({ decayDays: 3 });
    expect(() => parsePendingSignalsConfig({ decayDays: 0 })).toThrow(/decayDays/);
    const patient = createPendingSignals({ calendar, config: { decayDays: 5 } });
    const { state } = runCommands(patient, [defer(FRIDAY)]);
    expect(pendingSignal(state, "sig-1")?.reevaluateUntil).toBe("2026-01-26");
  });

  it("lists due and expiring signals oldest deferral first, then by id", () => {
    const { state } = runCommands(pending, [
      defer("2026-01-14", "b"),
      defer("2026-01-15", "a"),
      defer("2026-01-14", "c"),
    ]);
    expect(signalsDueForReevaluation(state, "2026-01-16").map((s) => s.signalId)).toEqual([
      "b",
      "c",
      "a",
    ]);
    expect(signalsToExpire(state, "2026-01-21").map((s) => s.signalId)).toEqual(["b", "c"]);
  });

  it("emits only events its registry accepts", () => {
    const registry = createEventRegistry(PENDING_SIGNAL_EVENTS);
    const events = historyOf(
      defer(FRIDAY, "a"),
      defer(FRIDAY, "b", { stage: "RISK", reason: "portfolio_heat_exceeded" }),
      reevaluate("2026-01-20", { verdict: "blocked", stage: "RISK", reason: "var_limit" }, "a"),
      reevaluate("2026-01-21", { verdict: "executed" }, "a"),
      expire("2026-01-23"),
    );
    expect(new Set(events.map((event) => event.type))).toEqual(new Set(registry.types));
    const stamped = registry.stamp(events, {
      clock: fixedClock("2026-01-23T21:00:00Z"),
      ids: seededIds("pending"),
      runId: "live:acct:2026-01-23:close",
      mode: "live",
    });
    expect(stamped.map((event) => event.data)).toEqual(events.map((event) => event.data));
  });
});

describe("pending signals: properties", () => {
  const statusOf = (state: PendingSignalsState, id: string) =>
    pendingSignal(state, id)?.status ?? "PENDING";

  it("each signal obeys the table; rebuild from events = live state", () => {
    for (const id of ["sig-1", "sig-2"]) {
      assertDeciderProperties({
        decider: pending,
        commands: pendingSignalCommand({ calendar, from: "2026-01-12", sessions: 10 }),
        table: PENDING_SIGNALS_TABLE,
        stateName: (state) => statusOf(state, id),
        commandName: (command) => command.type,
        invariants: [
          (state) =>
            Object.values(state.signals).every(
              (s) => calendar.sessionsBetween(s.deferredOn, s.reevaluateUntil) === 3,
            )
              ? null
              : "a window is not 3 sessions long",
        ],
        parameters: { numRuns: 150, seed: 3 },
      });
    }
  });

  it("over realistic runs: terminal signals never move, verdicts land inside or after the window", () => {
    let closed = 0;
    fc.assert(
      fc.property(pendingSignalCommands({ calendar, from: "2026-01-05" }), (commands) => {
        let state = pending.initialState;
        const emitted: PendingSignalEvent[] = [];
        for (const command of commands) {
          const decision = pending.decide(command, state);
          if (!decision.ok) continue;
          const next = fold(pending, decision.events, state);
          for (const before of Object.values(state.signals)) {
            const after = pendingSignal(next, before.signalId);
            if (before.status !== "PENDING") expect(after).toEqual(before);
            else if (after && after !== before) {
              expect(
                transitionViolation(PENDING_SIGNALS_TABLE, {
                  from: before.status,
                  on: command.type,
                  to: after.status,
                }),
              ).toBeNull();
            }
          }
          for (const event of decision.events) {
            const signal = pendingSignal(next, event.data.signalId);
            if (!signal) throw new Error(`event for an unknown signal: ${event.type}`);
            if (event.type === "PendingSignalExecuted") {
              expect(signal.deferredOn < command.session).toBe(true);
              expect(command.session <= signal.reevaluateUntil).toBe(true);
            }
            if (event.type === "PendingSignalExpired") {
              expect(command.session > signal.reevaluateUntil).toBe(true);
              closed++;
            }
          }
          emitted.push(...decision.events);
          state = next;
        }
        expect(deepEqual(fold(pending, emitted), state)).toBe(true);
      }),
      { numRuns: 150, seed: 5 },
    );
    expect(closed).toBeGreaterThan(0);
  });

  it("whatever the holidays, a signal is due on exactly 3 sessions and expires on the next", () => {
    const weekday = fc
      .integer({ min: 0, max: 120 })
      .map((offset) => new Date(Date.UTC(2026, 0, 5 + offset)).toISOString().slice(0, 10));
    fc.assert(
      fc.property(weekday, fc.uniqueArray(weekday, { maxLength: 12 }), (deferredOn, holidays) => {
        const holidayCalendar = weekdayCalendar(holidays.filter((day) => day !== deferredOn));
        fc.pre(holidayCalendar.isSession(deferredOn));
        const decider = createPendingSignals({ calendar: holidayCalendar });
        const { state } = runCommands(decider, [defer(deferredOn)]);
        const dueOn: string[] = [];
        let session = deferredOn;
        for (let i = 0; i < 4; i++) {
          session = holidayCalendar.nextSession(session);
          if (signalsDueForReevaluation(state, session).length > 0) dueOn.push(session);
        }
        expect(dueOn).toHaveLength(3);
        const expired = decider.decide(expire(session), state);
        expect(expired.ok && expired.events.map((event) => event.type)).toEqual([
          "PendingSignalExpired",
        ]);
      }),
      { numRuns: 200, seed: 9 },
    );
  });
});
