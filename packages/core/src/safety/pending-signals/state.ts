import type { PendingSignalEvent } from "./events.js";
import type { DeferrableStage, PendingSignalStatus } from "./status.js";

export interface PendingSignal {
  readonly signalId: string;
  readonly strategy: string;
  readonly symbol: string;
  readonly status: PendingSignalStatus;
  /** The stage and reason that first stopped it. */
  readonly stoppedBy: {
    readonly stage: DeferrableStage;
    readonly reason: string;
    readonly detail: Readonly<Record<string, unknown>>;
  };
  /** The latest re-evaluation that stopped it again, if any. */
  readonly lastBlockedBy: {
    readonly stage: string;
    readonly reason: string;
    readonly session: string;
  } | null;
  readonly deferredOn: string;
  readonly deferredAt: string;
  /** The last session on which it is re-evaluated. */
  readonly reevaluateUntil: string;
  readonly reevaluations: number;
  /** The session it was executed or expired on. */
  readonly closedOn: string | null;
}

/** Every signal ever deferred, by id (closed ones stay, so an id is never reused). */
export interface PendingSignalsState {
  readonly signals: Readonly<Record<string, PendingSignal>>;
}

export const INITIAL_PENDING_SIGNALS_STATE: PendingSignalsState = { signals: {} };

/** The signal with this id, reading own properties only (ids are data, never prototype keys). */
export function pendingSignal(state: PendingSignalsState, signalId: string): PendingSignal | null {
  return Object.hasOwn(state.signals, signalId) ? (state.signals[signalId] ?? null) : null;
}

function withSignal(state: PendingSignalsState, signal: PendingSignal): PendingSignalsState {
  return { signals: { ...state.signals, [signal.signalId]: signal } };
}

/** Total and pure: an event for an unknown signal (a malformed history) changes nothing. */
export function evolvePendingSignals(
  state: PendingSignalsState,
  event: PendingSignalEvent,
): PendingSignalsState {
  const { data } = event;
  if (event.type === "PendingSignalDeferred") {
    const { signalId, strategy, symbol, stage, reason, detail } = event.data;
    return withSignal(state, {
      signalId,
      strategy,
      symbol,
      status: "PENDING",
      stoppedBy: { stage, reason, detail },
      lastBlockedBy: null,
      deferredOn: event.data.session,
      deferredAt: event.data.at,
      reevaluateUntil: event.data.reevaluateUntil,
      reevaluations: 0,
      closedOn: null,
    });
  }
  const signal = pendingSignal(state, data.signalId);
  if (!signal) return state;
  switch (event.type) {
    case "PendingSignalStillBlocked":
      return withSignal(state, {
        ...signal,
        reevaluations: signal.reevaluations + 1,
        lastBlockedBy: {
          stage: event.data.stage,
          reason: event.data.reason,
          session: data.session,
        },
      });
    case "PendingSignalExecuted":
      return withSignal(state, {
        ...signal,
        status: "EXECUTED",
        reevaluations: signal.reevaluations + 1,
        closedOn: data.session,
      });
    case "PendingSignalExpired":
      return withSignal(state, { ...signal, status: "EXPIRED", closedOn: data.session });
  }
}

const byDeferralThenId = (a: PendingSignal, b: PendingSignal) =>
  a.deferredOn === b.deferredOn
    ? a.signalId < b.signalId
      ? -1
      : 1
    : a.deferredOn < b.deferredOn
      ? -1
      : 1;

/**
 * The pending signals a run on `session` re-evaluates: those deferred on an earlier session whose
 * window reaches `session`. Oldest deferral first, then by id, so runs are reproducible.
 */
export function signalsDueForReevaluation(
  state: PendingSignalsState,
  session: string,
): PendingSignal[] {
  return Object.values(state.signals)
    .filter(
      (signal) =>
        signal.status === "PENDING" &&
        signal.deferredOn < session &&
        session <= signal.reevaluateUntil,
    )
    .sort(byDeferralThenId);
}

/** The pending signals whose window ended before `session`: a run on `session` expires them. */
export function signalsToExpire(state: PendingSignalsState, session: string): PendingSignal[] {
  return Object.values(state.signals)
    .filter((signal) => signal.status === "PENDING" && signal.reevaluateUntil < session)
    .sort(byDeferralThenId);
}
