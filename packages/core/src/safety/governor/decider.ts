import { z } from "zod";
import type { TradingCalendar } from "../../calendar/trading-calendar.js";
import { accept, type Decider, type Refusal, refuse } from "../../decider/decider.js";
import { refuseUnattributed } from "../operator-action.js";
import {
  type GovernorCommand,
  type GovernorRefusalCode,
  governorCommandSchema,
} from "./commands.js";
import { type GovernorConfig, type GovernorConfigInput, parseGovernorConfig } from "./config.js";
import type { GovernorEvent } from "./events.js";
import { evaluateHealthChecks } from "./health-checks.js";
import { drawdownOf, evolveGovernor, type GovernorState, INITIAL_GOVERNOR_STATE } from "./state.js";

export type GovernorRefusal = Refusal<GovernorRefusalCode>;
export type GovernorDecider = Decider<
  GovernorCommand,
  GovernorEvent,
  GovernorState,
  GovernorRefusal
>;
type GovernorDecision = ReturnType<GovernorDecider["decide"]>;

export interface GovernorOptions {
  /** Cooldowns and ramp-up count sessions of this calendar, never calendar days. */
  readonly calendar: TradingCalendar;
  readonly config?: GovernorConfigInput;
}

/** When and on which session a decision was taken; stamped on every event. */
interface When {
  readonly at: string;
  readonly session: string;
}

/**
 * The drawdown governor (SPEC §2) as a decider. Cooldowns are counted from the session the state
 * was entered: HALT entered on session S blocks entries on S and the next 9 sessions and the
 * health checks may run from `calendar.addSessions(S, 10)`; RAMPUP started on S runs at reduced
 * sizing on S and the next 4 sessions, NORMAL resumes on `addSessions(S, 5)`.
 */
export function createGovernor(options: GovernorOptions): GovernorDecider {
  const { calendar } = options;
  const config = parseGovernorConfig(options.config);

  const decide = (command: GovernorCommand, state: GovernorState): GovernorDecision => {
    const parsed = governorCommandSchema.safeParse(command);
    if (!parsed.success) {
      return refuse("invalid_command", z.prettifyError(parsed.error), {
        issues: parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`),
      });
    }
    const valid = parsed.data;
    const { session } = valid;
    if (session < calendar.covers.from || session > calendar.covers.to) {
      return refuse(
        "outside_calendar",
        `${session} is outside the trading calendar (${calendar.covers.from} to ${calendar.covers.to})`,
      );
    }
    if (!calendar.isSession(session)) {
      return refuse("not_a_session", `${session} is not a trading session`);
    }
    if (state.lastSession !== null && session < state.lastSession) {
      return refuse(
        "session_in_the_past",
        `${session} is before ${state.lastSession}, the latest session the governor decided on`,
        { lastSession: state.lastSession },
      );
    }
    const when: When = { at: valid.at, session };
    switch (valid.type) {
      case "ObserveEquity":
        return observeEquity(valid, when, state, config, calendar);
      case "RunHealthChecks":
        return runHealthChecks(valid, when, state, config, calendar);
      case "ForceResume":
      case "ResetGovernor":
        return override(valid, when, state, config, calendar);
    }
  };

  return { initialState: INITIAL_GOVERNOR_STATE, decide, evolve: evolveGovernor };
}

function observeEquity(
  command: Extract<GovernorCommand, { type: "ObserveEquity" }>,
  when: When,
  state: GovernorState,
  config: GovernorConfig,
  calendar: TradingCalendar,
): GovernorDecision {
  const { equity } = command;
  const peak = state.peak === null ? equity : Math.max(state.peak, equity);
  const drawdown = drawdownOf(peak, equity);
  const observed: GovernorEvent = {
    type: "GovernorEquityObserved",
    data: { ...when, equity, peak, drawdown },
  };
  const breach = {
    ...when,
    drawdown,
    peak,
    equity,
    previousStatus: state.status,
  };
  const panic = (): GovernorEvent[] => [
    {
      type: "GovernorPanicked",
      data: {
        ...breach,
        cooldownEndsOn: calendar.addSessions(when.session, config.panicCooldownSessions),
      },
    },
    ...(config.flattenOnPanic
      ? command.positions
          .filter((position) => position.quantity !== 0)
          .map(
            (position): GovernorEvent => ({
              type: "GovernorFlattenRequested",
              data: { ...when, symbol: position.symbol, quantity: position.quantity },
            }),
          )
      : []),
  ];
  const panics = drawdown >= config.panicDrawdown;
  const halts = drawdown >= config.haltDrawdown;

  switch (state.status) {
    case "NORMAL":
    case "RAMPUP":
      if (panics) return accept<GovernorEvent>(observed, ...panic());
      if (halts) {
        return accept<GovernorEvent>(observed, {
          type: "GovernorHalted",
          data: {
            ...breach,
            cooldownEndsOn: calendar.addSessions(when.session, config.haltCooldownSessions),
          },
        });
      }
      if (state.rampUp && when.session >= state.rampUp.endsOn) {
        return accept<GovernorEvent>(observed, {
          type: "GovernorNormalResumed",
          data: { ...when, cause: "rampup_completed" },
        });
      }
      return accept<GovernorEvent>(observed);
    case "HALT":
      return panics ? accept<GovernorEvent>(observed, ...panic()) : accept<GovernorEvent>(observed);
    case "PANIC":
      return accept<GovernorEvent>(observed);
  }
}

function runHealthChecks(
  command: Extract<GovernorCommand, { type: "RunHealthChecks" }>,
  when: When,
  state: GovernorState,
  config: GovernorConfig,
  calendar: TradingCalendar,
): GovernorDecision {
  const { cooldown } = state;
  if (cooldown === null) {
    return refuse(
      "not_cooling_down",
      `health checks run at the end of a HALT or PANIC cooldown; the governor is ${state.status}`,
    );
  }
  if (when.session < cooldown.endsOn) {
    return refuse(
      "cooldown_not_over",
      `the ${state.status} cooldown ends on ${cooldown.endsOn}; health checks cannot run on ${when.session}`,
      { cooldownEndsOn: cooldown.endsOn },
    );
  }
  const checks = evaluateHealthChecks(command.health, when.at, config);
  const failedChecks = checks.filter((check) => !check.passed).map((check) => check.name);
  if (failedChecks.length > 0) {
    // Counted from the check's session, so a late check never yields an end already past.
    return accept({
      type: "GovernorCooldownExtended",
      data: {
        ...when,
        checks,
        failedChecks,
        previousEndsOn: cooldown.endsOn,
        cooldownEndsOn: calendar.addSessions(when.session, config.healthCheckExtensionSessions),
      },
    });
  }
  return accept<GovernorEvent>(
    { type: "GovernorHealthChecksPassed", data: { ...when, checks } },
    ...startRampUp(when, state, config, calendar, "health_checks_passed"),
  );
}

function override(
  command: Extract<GovernorCommand, { type: "ForceResume" | "ResetGovernor" }>,
  when: When,
  state: GovernorState,
  config: GovernorConfig,
  calendar: TradingCalendar,
): GovernorDecision {
  const unattributed = refuseUnattributed("a manual governor override", command);
  if (unattributed) return unattributed;
  const operator = command.operator.trim();
  const reason = command.reason.trim();
  const action = command.type === "ForceResume" ? "force_resume" : "reset";
  if (action === "force_resume" && state.cooldown === null) {
    return refuse(
      "not_halted",
      `force resume applies to HALT or PANIC; the governor is ${state.status}`,
    );
  }
  const overridden: GovernorEvent = {
    type: "GovernorOverridden",
    data: { ...when, action, operator, reason, previousStatus: state.status },
  };
  if (action === "force_resume") {
    return accept<GovernorEvent>(
      overridden,
      ...startRampUp(when, state, config, calendar, "operator_force_resume"),
    );
  }
  return accept<GovernorEvent>(
    overridden,
    ...rebasePeak(when, state),
    ...(state.status === "NORMAL"
      ? []
      : [
          {
            type: "GovernorNormalResumed",
            data: { ...when, cause: "operator_reset" },
          } satisfies GovernorEvent,
        ]),
  );
}

function startRampUp(
  when: When,
  state: GovernorState,
  config: GovernorConfig,
  calendar: TradingCalendar,
  cause: "health_checks_passed" | "operator_force_resume",
): GovernorEvent[] {
  return [
    ...rebasePeak(when, state),
    {
      type: "GovernorRampUpStarted",
      data: {
        ...when,
        sizing: config.rampUpSizing,
        endsOn: calendar.addSessions(when.session, config.rampUpSessions),
        cause,
      },
    },
  ];
}

/** Re-bases the high-water mark to the last observed equity (nothing to re-base before any). */
function rebasePeak(when: When, state: GovernorState): GovernorEvent[] {
  if (state.equity === null) return [];
  return [
    {
      type: "GovernorPeakRebased",
      data: { ...when, previousPeak: state.peak, peak: state.equity },
    },
  ];
}
