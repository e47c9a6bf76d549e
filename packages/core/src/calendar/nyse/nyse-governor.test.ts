import { describe, expect, it } from "vitest";
import { runCommands } from "../../decider/decider.js";
import { parseIsoInstant, toIsoUtc } from "../../ports/clock.js";
import type { GovernorCommand } from "../../safety/governor/commands.js";
import { createGovernor } from "../../safety/governor/decider.js";
import { healthInputsFor } from "../../safety/governor/testing.js";
import { nyseCalendar } from "./nyse-calendar.js";

const nyse = nyseCalendar();
const governor = createGovernor({ calendar: nyse });

/** The decision time of SPEC §12: ten minutes before the session's (possibly early) close. */
const decisionAt = (session: string) =>
  toIsoUtc(parseIsoInstant(nyse.sessionClose(session)) - 600_000);

const observe = (session: string, equity: number): GovernorCommand => ({
  type: "ObserveEquity",
  at: decisionAt(session),
  session,
  equity,
  positions: [],
});

const healthChecks = (session: string): GovernorCommand => ({
  type: "RunHealthChecks",
  at: decisionAt(session),
  session,
  health: healthInputsFor(decisionAt(session), {
    reconciliation_passed: true,
    market_data_fresh: true,
    no_recent_duplicate_intents: true,
    strategy_enabled: true,
  }),
});

describe("the drawdown governor on the NYSE calendar", () => {
  // HALT on Friday 2026-11-13. The 10 sessions after it, counted by hand: Nov 16, 17, 18, 19,
  // 20, 23, 24, 25, (Thanksgiving Nov 26 closed) 27, 30. The health checks may run on Nov 30.
  it("counts the 10-session HALT cooldown across Thanksgiving 2026: it ends on 2026-11-30", () => {
    const halted = runCommands(governor, [
      observe("2026-11-12", 100_000),
      observe("2026-11-13", 92_000),
    ]);
    expect(halted.refusals).toEqual([]);
    const halt = halted.events.find((event) => event.type === "GovernorHalted");
    expect(halt?.data).toMatchObject({ session: "2026-11-13", cooldownEndsOn: "2026-11-30" });
    expect(nyse.sessionsBetween("2026-11-13", "2026-11-30")).toBe(10);

    const early = runCommands(governor, [healthChecks("2026-11-27")], halted.state);
    expect(early.refusals.map((refusal) => refusal.code)).toEqual(["cooldown_not_over"]);

    const due = runCommands(governor, [healthChecks("2026-11-30")], halted.state);
    expect(due.refusals).toEqual([]);
    expect(due.state.status).toBe("RAMPUP");
  });

  it("refuses a decision on Thanksgiving Day: not a session", () => {
    const run = runCommands(governor, [
      observe("2026-11-25", 100_000),
      {
        ...observe("2026-11-25", 100_000),
        session: "2026-11-26",
      },
    ]);
    expect(run.refusals.map((refusal) => refusal.code)).toEqual(["not_a_session"]);
  });

  it("decides at 12:50 New York on the day after Thanksgiving (early close)", () => {
    expect(decisionAt("2026-11-27")).toBe("2026-11-27T17:50:00.000Z");
  });
});
