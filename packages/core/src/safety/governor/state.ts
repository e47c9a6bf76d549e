import type { Cents } from "../../money.js";
import type { GovernorEvent } from "./events.js";
import type { GovernorStatus, HealthCheckName, OverrideAction } from "./status.js";

/** Set while HALT or PANIC: when it began, how deep, and when the health checks may run. */
export interface GovernorCooldown {
  /** The session HALT or PANIC was entered on. */
  readonly since: string;
  readonly drawdownAtTrigger: number;
  /** The first session on which the health checks may run. */
  readonly endsOn: string;
  readonly extensions: number;
  /** The checks that failed at the last extension (empty before any). */
  readonly failedChecks: readonly HealthCheckName[];
}

/** Set while RAMPUP. */
export interface GovernorRampUp {
  readonly since: string;
  /** The session on which NORMAL resumes. */
  readonly endsOn: string;
  readonly sizing: number;
}

export interface GovernorOverrideRecord {
  readonly action: OverrideAction;
  readonly operator: string;
  readonly reason: string;
  readonly at: string;
}

export interface GovernorState {
  readonly status: GovernorStatus;
  /** High-water mark of observed equity (re-based on entering RAMPUP), null before any observation. */
  readonly peak: Cents | null;
  readonly equity: Cents | null;
  readonly drawdown: number;
  /** The latest session the governor decided on; commands for earlier sessions are refused. */
  readonly lastSession: string | null;
  readonly cooldown: GovernorCooldown | null;
  readonly rampUp: GovernorRampUp | null;
  readonly lastOverride: GovernorOverrideRecord | null;
}

export const INITIAL_GOVERNOR_STATE: GovernorState = {
  status: "NORMAL",
  peak: null,
  equity: null,
  drawdown: 0,
  lastSession: null,
  cooldown: null,
  rampUp: null,
  lastOverride: null,
};

/** (peak − equity) / peak, 0 when there is no positive peak. */
export function drawdownOf(peak: Cents, equity: Cents): number {
  return peak > 0 ? Math.max(0, (peak - equity) / peak) : 0;
}

/** Total and pure: an event that does not fit the state (a malformed history) changes only the session. */
export function evolveGovernor(state: GovernorState, event: GovernorEvent): GovernorState {
  const next = { ...state, lastSession: event.data.session };
  switch (event.type) {
    case "GovernorEquityObserved":
      return {
        ...next,
        equity: event.data.equity,
        peak: event.data.peak,
        drawdown: event.data.drawdown,
      };
    case "GovernorHalted":
    case "GovernorPanicked":
      return {
        ...next,
        status: event.type === "GovernorHalted" ? "HALT" : "PANIC",
        cooldown: {
          since: event.data.session,
          drawdownAtTrigger: event.data.drawdown,
          endsOn: event.data.cooldownEndsOn,
          extensions: 0,
          failedChecks: [],
        },
        rampUp: null,
      };
    case "GovernorCooldownExtended":
      if (!state.cooldown) return next;
      return {
        ...next,
        cooldown: {
          ...state.cooldown,
          endsOn: event.data.cooldownEndsOn,
          extensions: state.cooldown.extensions + 1,
          failedChecks: event.data.failedChecks,
        },
      };
    case "GovernorPeakRebased":
      return {
        ...next,
        peak: event.data.peak,
        drawdown: state.equity === null ? 0 : drawdownOf(event.data.peak, state.equity),
      };
    case "GovernorRampUpStarted":
      return {
        ...next,
        status: "RAMPUP",
        cooldown: null,
        rampUp: { since: event.data.session, endsOn: event.data.endsOn, sizing: event.data.sizing },
      };
    case "GovernorNormalResumed":
      return { ...next, status: "NORMAL", cooldown: null, rampUp: null };
    case "GovernorOverridden":
      return {
        ...next,
        lastOverride: {
          action: event.data.action,
          operator: event.data.operator,
          reason: event.data.reason,
          at: event.data.at,
        },
      };
    case "GovernorFlattenRequested":
    case "GovernorHealthChecksPassed":
      return next;
  }
}

/** The factor applied to new position sizes: 0 in HALT/PANIC, the ramp-up sizing in RAMPUP, 1 in NORMAL. */
export function sizingMultiplier(state: GovernorState): number {
  switch (state.status) {
    case "NORMAL":
      return 1;
    case "RAMPUP":
      return state.rampUp?.sizing ?? 0;
    case "HALT":
    case "PANIC":
      return 0;
  }
}

/** New (risk-increasing) entries are allowed in NORMAL and RAMPUP only; exits always are. */
export function governorAllowsEntries(state: GovernorState): boolean {
  return state.status === "NORMAL" || state.status === "RAMPUP";
}

/** True when the state is HALT or PANIC and the cooldown has ended on or before `session`. */
export function healthChecksDue(state: GovernorState, session: string): boolean {
  return state.cooldown !== null && session >= state.cooldown.endsOn;
}
