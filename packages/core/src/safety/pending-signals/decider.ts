import { z } from "zod";
import type { TradingCalendar } from "../../calendar/trading-calendar.js";
import { accept, type Decider, type Refusal, refuse } from "../../decider/decider.js";
import {
  type PendingSignalCommand,
  type PendingSignalRefusalCode,
  pendingSignalCommandSchema,
} from "./commands.js";
import { type PendingSignalsConfigInput, parsePendingSignalsConfig } from "./config.js";
import type { PendingSignalEvent } from "./events.js";
import {
  evolvePendingSignals,
  INITIAL_PENDING_SIGNALS_STATE,
  type PendingSignalsState,
  pendingSignal,
  signalsToExpire,
} from "./state.js";

export type PendingSignalRefusal = Refusal<PendingSignalRefusalCode>;
export type PendingSignalsDecider = Decider<
  PendingSignalCommand,
  PendingSignalEvent,
  PendingSignalsState,
  PendingSignalRefusal
>;
type PendingSignalsDecision = ReturnType<PendingSignalsDecider["decide"]>;

export interface PendingSignalsOptions {
  /** The decay window counts sessions of this calendar, never calendar days. */
  readonly calendar: TradingCalendar;
  readonly config?: PendingSignalsConfigInput;
}

/**
 * Pending signals (SPEC §9) as one decider over the collection. A signal deferred on session S
 * is re-evaluated on the sessions after S up to `calendar.addSessions(S, decayDays)` and expires
 * at the first run after that, unless a re-evaluation executed it.
 */
export function createPendingSignals(options: PendingSignalsOptions): PendingSignalsDecider {
  const { calendar } = options;
  const { decayDays } = parsePendingSignalsConfig(options.config);

  const decide = (
    command: PendingSignalCommand,
    state: PendingSignalsState,
  ): PendingSignalsDecision => {
    const parsed = pendingSignalCommandSchema.safeParse(command);
    if (!parsed.success) {
      return refuse("invalid_command", z.prettifyError(parsed.error), {
        issues: parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`),
      });
    }
    const valid = parsed.data;
    const { at, session } = valid;
    if (session < calendar.covers.from || session > calendar.covers.to) {
      return refuse(
        "outside_calendar",
        `${session} is outside the trading calendar (${calendar.covers.from} to ${calendar.covers.to})`,
      );
    }
    if (!calendar.isSession(session)) {
      return refuse("not_a_session", `${session} is not a trading session`);
    }

    if (valid.type === "ExpirePendingSignals") {
      return accept(
        ...signalsToExpire(state, session).map(
          (signal): PendingSignalEvent => ({
            type: "PendingSignalExpired",
            data: {
              at,
              session,
              signalId: signal.signalId,
              reevaluateUntil: signal.reevaluateUntil,
            },
          }),
        ),
      );
    }

    const existing = pendingSignal(state, valid.signalId);
    if (valid.type === "DeferSignal") {
      if (existing) {
        return refuse(
          "already_tracked",
          `signal ${valid.signalId} is already tracked (${existing.status} since ${existing.deferredOn})`,
          { status: existing.status },
        );
      }
      return accept<PendingSignalEvent>({
        type: "PendingSignalDeferred",
        data: {
          at,
          session,
          signalId: valid.signalId,
          strategy: valid.strategy,
          symbol: valid.symbol,
          stage: valid.stage,
          reason: valid.reason,
          detail: valid.detail ?? {},
          reevaluateUntil: calendar.addSessions(session, decayDays),
        },
      });
    }

    if (!existing) return refuse("unknown_signal", `no pending signal ${valid.signalId}`);
    if (existing.status !== "PENDING") {
      return refuse(
        "signal_closed",
        `signal ${valid.signalId} is ${existing.status} since ${existing.closedOn}; it cannot change`,
        { status: existing.status },
      );
    }
    if (session <= existing.deferredOn) {
      return refuse(
        "not_yet_due",
        `signal ${valid.signalId} was deferred on ${existing.deferredOn}; it is re-evaluated from the next session`,
      );
    }
    if (session > existing.reevaluateUntil) {
      return refuse(
        "reevaluation_window_over",
        `signal ${valid.signalId} was re-evaluated until ${existing.reevaluateUntil}; it can only expire now`,
        { reevaluateUntil: existing.reevaluateUntil },
      );
    }
    const { outcome } = valid;
    return accept<PendingSignalEvent>(
      outcome.verdict === "executed"
        ? { type: "PendingSignalExecuted", data: { at, session, signalId: valid.signalId } }
        : {
            type: "PendingSignalStillBlocked",
            data: {
              at,
              session,
              signalId: valid.signalId,
              stage: outcome.stage,
              reason: outcome.reason,
            },
          },
    );
  };

  return { initialState: INITIAL_PENDING_SIGNALS_STATE, decide, evolve: evolvePendingSignals };
}
