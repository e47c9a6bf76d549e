import { z } from "zod";
import {
  accept,
  type Decider,
  type Decision,
  type Refusal,
  refuse,
} from "../../decider/decider.js";
import { parseIsoInstant, toIsoUtc } from "../../ports/clock.js";
import {
  type BrokerBreakerConfig,
  type BrokerBreakerConfigInput,
  brokerBreakerConfigSchema,
} from "./config.js";
import type { BrokerBreakerEvent } from "./events.js";
import type { BrokerBreakerStatus } from "./table.js";

/**
 * Commands carry the instant they happen at (ISO-8601 UTC) and the id of the call, chosen by
 * the wrapper around the broker, so each result is matched to the call it reports on.
 */
export type BrokerBreakerCommand =
  | { readonly type: "RequestCall"; readonly callId: string; readonly at: string }
  | { readonly type: "RecordSuccess"; readonly callId: string; readonly at: string }
  | {
      readonly type: "RecordFailure";
      readonly callId: string;
      readonly at: string;
      /** What went wrong, for people ("timeout", "HTTP 503"). */
      readonly error: string;
    };

export type BrokerBreakerRefusalCode =
  /** OPEN and the recovery timeout has not passed: fail fast; `detail.retryAt` says when. */
  | "circuit_open"
  /** HALF_OPEN lets exactly one trial call through, and it has not reported yet. */
  | "trial_in_flight"
  /** A call with this id is already in flight. */
  | "call_in_flight"
  /** A result for a call that was never let through or has already reported. */
  | "call_not_in_flight"
  | "invalid_command";

export type BrokerBreakerRefusal = Refusal<BrokerBreakerRefusalCode>;

export interface BrokerBreakerCounts {
  /** Calls let through (refused requests are not calls). */
  readonly calls: number;
  readonly successes: number;
  readonly failures: number;
  /** Times the circuit opened, re-opens included. */
  readonly opens: number;
}

export interface BrokerBreakerState {
  readonly status: BrokerBreakerStatus;
  /** Failed results since the last successful one. */
  readonly consecutiveFailures: number;
  /** When the circuit last opened; null while CLOSED. */
  readonly openedAt: string | null;
  /** The first instant a call may be tried again; null unless OPEN. */
  readonly retryAt: string | null;
  /** The timeout of the current opening; the next re-open multiplies it. Null while CLOSED. */
  readonly recoveryMs: number | null;
  /** The single call HALF_OPEN let through; null otherwise. */
  readonly trialCallId: string | null;
  /** Calls let through that have not reported, oldest first. A restarted wrapper fails these. */
  readonly inFlight: readonly string[];
  readonly counts: BrokerBreakerCounts;
}

export type BrokerBreakerDecider = Decider<
  BrokerBreakerCommand,
  BrokerBreakerEvent,
  BrokerBreakerState,
  BrokerBreakerRefusal
>;

export const INITIAL_BROKER_BREAKER_STATE: BrokerBreakerState = {
  status: "CLOSED",
  consecutiveFailures: 0,
  openedAt: null,
  retryAt: null,
  recoveryMs: null,
  trialCallId: null,
  inFlight: [],
  counts: { calls: 0, successes: 0, failures: 0, opens: 0 },
};

const utcInstant = z.iso.datetime();

type BreakerDecision = Decision<BrokerBreakerEvent, BrokerBreakerRefusal>;

/**
 * The broker call breaker (SPEC §5) as a decider. It decides whether a call may go to the
 * broker and records each result; calling the broker is the shell's job.
 */
export function createBrokerBreaker(
  options: { readonly config?: BrokerBreakerConfigInput } = {},
): BrokerBreakerDecider {
  const config: BrokerBreakerConfig = brokerBreakerConfigSchema.parse(options.config ?? {});

  const opened = (
    at: string,
    reason: "consecutive_failures" | "trial_failed",
    consecutiveFailures: number,
    recoveryMs: number,
  ): BrokerBreakerEvent => ({
    type: "BrokerBreakerOpened",
    data: {
      at,
      reason,
      consecutiveFailures,
      recoveryMs,
      retryAt: toIsoUtc(parseIsoInstant(at) + recoveryMs),
    },
  });

  const requestCall = (callId: string, at: string, state: BrokerBreakerState): BreakerDecision => {
    if (state.inFlight.includes(callId)) {
      return refuse("call_in_flight", `call ${callId} is already in flight`, { callId });
    }
    switch (state.status) {
      case "CLOSED":
        return accept({ type: "BrokerBreakerCallPermitted", data: { callId, at, trial: false } });
      case "HALF_OPEN":
        return refuse(
          "trial_in_flight",
          `broker circuit is half-open and its trial call ${state.trialCallId} has not reported yet`,
          { trialCallId: state.trialCallId },
        );
      case "OPEN": {
        const retryAt = state.retryAt ?? at;
        const retryInMs = parseIsoInstant(retryAt) - parseIsoInstant(at);
        if (retryInMs > 0) {
          return refuse(
            "circuit_open",
            `broker circuit is open: failing fast, retry at ${retryAt} (in ${Math.ceil(retryInMs / 1000)} s)`,
            { retryAt, retryInMs, openedAt: state.openedAt, recoveryMs: state.recoveryMs },
          );
        }
        return accept(
          { type: "BrokerBreakerHalfOpened", data: { at } },
          { type: "BrokerBreakerCallPermitted", data: { callId, at, trial: true } },
        );
      }
    }
  };

  const recordSuccess = (
    callId: string,
    at: string,
    state: BrokerBreakerState,
  ): BreakerDecision => {
    const succeeded: BrokerBreakerEvent = {
      type: "BrokerBreakerCallSucceeded",
      data: { callId, at },
    };
    if (state.status === "HALF_OPEN" && state.trialCallId === callId) {
      return accept<BrokerBreakerEvent>(succeeded, {
        type: "BrokerBreakerClosed",
        data: { at, trialCallId: callId },
      });
    }
    // A call let through before the circuit opened may report late; it is counted only.
    return accept(succeeded);
  };

  const recordFailure = (
    callId: string,
    at: string,
    error: string,
    state: BrokerBreakerState,
  ): BreakerDecision => {
    const failed: BrokerBreakerEvent = {
      type: "BrokerBreakerCallFailed",
      data: { callId, at, error },
    };
    const inARow = state.consecutiveFailures + 1;
    if (state.status === "CLOSED" && inARow >= config.failureThreshold) {
      return accept<BrokerBreakerEvent>(
        failed,
        opened(at, "consecutive_failures", inARow, config.recoveryMs),
      );
    }
    if (state.status === "HALF_OPEN" && state.trialCallId === callId) {
      const previous = state.recoveryMs ?? config.recoveryMs;
      const next = Math.min(Math.round(previous * config.backoffMultiplier), config.maxRecoveryMs);
      return accept<BrokerBreakerEvent>(failed, opened(at, "trial_failed", inARow, next));
    }
    return accept(failed);
  };

  return {
    initialState: INITIAL_BROKER_BREAKER_STATE,
    decide(command, state) {
      if (!utcInstant.safeParse(command.at).success) {
        return refuse(
          "invalid_command",
          `at "${command.at}" must be an ISO-8601 UTC instant such as 2026-03-02T14:30:00Z`,
          { field: "at" },
        );
      }
      if (command.callId.length === 0) {
        return refuse("invalid_command", "callId must not be empty", { field: "callId" });
      }
      if (command.type === "RequestCall") return requestCall(command.callId, command.at, state);
      if (!state.inFlight.includes(command.callId)) {
        return refuse(
          "call_not_in_flight",
          `call ${command.callId} is not in flight: it was never let through or has already reported`,
          { callId: command.callId },
        );
      }
      return command.type === "RecordSuccess"
        ? recordSuccess(command.callId, command.at, state)
        : recordFailure(command.callId, command.at, command.error, state);
    },
    evolve: evolveBrokerBreaker,
  };
}

const withoutCall = (state: BrokerBreakerState, callId: string) => ({
  inFlight: state.inFlight.filter((id) => id !== callId),
  trialCallId: state.trialCallId === callId ? null : state.trialCallId,
});

/** The state after one event; the same for every configuration (events carry the numbers). */
export function evolveBrokerBreaker(
  state: BrokerBreakerState,
  event: BrokerBreakerEvent,
): BrokerBreakerState {
  switch (event.type) {
    case "BrokerBreakerCallPermitted":
      return {
        ...state,
        inFlight: [...state.inFlight, event.data.callId],
        trialCallId: event.data.trial ? event.data.callId : state.trialCallId,
        counts: { ...state.counts, calls: state.counts.calls + 1 },
      };
    case "BrokerBreakerCallSucceeded":
      return {
        ...state,
        ...withoutCall(state, event.data.callId),
        consecutiveFailures: 0,
        counts: { ...state.counts, successes: state.counts.successes + 1 },
      };
    case "BrokerBreakerCallFailed":
      return {
        ...state,
        ...withoutCall(state, event.data.callId),
        consecutiveFailures: state.consecutiveFailures + 1,
        counts: { ...state.counts, failures: state.counts.failures + 1 },
      };
    case "BrokerBreakerOpened":
      return {
        ...state,
        status: "OPEN",
        openedAt: event.data.at,
        retryAt: event.data.retryAt,
        recoveryMs: event.data.recoveryMs,
        trialCallId: null,
        counts: { ...state.counts, opens: state.counts.opens + 1 },
      };
    case "BrokerBreakerHalfOpened":
      return { ...state, status: "HALF_OPEN", retryAt: null };
    case "BrokerBreakerClosed":
      return {
        ...state,
        status: "CLOSED",
        consecutiveFailures: 0,
        openedAt: null,
        retryAt: null,
        recoveryMs: null,
        trialCallId: null,
      };
  }
}
