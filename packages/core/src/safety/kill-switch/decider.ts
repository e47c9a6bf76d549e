import { z } from "zod";
import { accept, type Decider, type Refusal, refuse } from "../../decider/decider.js";
import type { OperatorActionRefusalCode } from "../operator-action.js";
import { refuseUnattributed } from "../operator-action.js";
import type { KillLevel, KillSwitchConfig } from "./config.js";
import { DEFAULT_KILL_SWITCH_CONFIG, killSwitchConfigSchema } from "./config.js";
import type {
  AutomaticKillCause,
  KillCause,
  KillScope,
  KillSwitchEvent,
  ManualKillSource,
} from "./events.js";
import {
  type ActiveKill,
  INITIAL_KILL_SWITCH_STATE,
  type KillSwitchState,
  killIdOf,
} from "./state.js";

/** Pull a kill by hand: from the config, the CLI, the control API or the emergency exit. */
export interface ActivateKill {
  readonly type: "ActivateKill";
  readonly scope: KillScope;
  /** Defaults to the config's `defaultManualLevel` (`entries`). */
  readonly level?: KillLevel;
  readonly source: ManualKillSource;
  readonly operator: string;
  readonly reason: string;
  readonly at: string;
}

/**
 * Lift the kills on exactly this scope (a global reset leaves per-strategy kills alone),
 * narrowed to one cause and, for manual kills, one source when given.
 */
export interface ResetKill {
  readonly type: "ResetKill";
  readonly scope: KillScope;
  readonly cause?: KillCause;
  readonly source?: ManualKillSource;
  readonly operator: string;
  readonly reason: string;
  readonly at: string;
}

/** The outcome of the reconciliation before a run: a failure kills, a later pass clears that kill. */
export interface RecordReconciliation {
  readonly type: "RecordReconciliation";
  readonly passed: boolean;
  /** What did not match, for the kill's reason (e.g. "TQQQ: broker 12, projected 10"). */
  readonly summary: string;
  readonly at: string;
}

/** The intent lifecycle refused a second CREATED for an existing intent id. */
export interface RecordDuplicateIntent {
  readonly type: "RecordDuplicateIntent";
  readonly intentId: string;
  readonly strategy: string;
  readonly at: string;
}

/** The broker accepted or rejected an order. */
export interface RecordOrderOutcome {
  readonly type: "RecordOrderOutcome";
  readonly intentId: string;
  readonly outcome: "accepted" | "rejected";
  readonly at: string;
}

/** A run ended; `failed` covers crashes and failed pre-flight, not "no trade" or "market closed". */
export interface RecordRunOutcome {
  readonly type: "RecordRunOutcome";
  readonly runId: string;
  readonly outcome: "succeeded" | "failed";
  readonly at: string;
}

export type KillSwitchCommand =
  | ActivateKill
  | ResetKill
  | RecordReconciliation
  | RecordDuplicateIntent
  | RecordOrderOutcome
  | RecordRunOutcome;

export type KillSwitchCommandType = KillSwitchCommand["type"];

export type KillSwitchRefusalCode =
  | "invalid_timestamp"
  | OperatorActionRefusalCode
  | "missing_strategy"
  | "no_active_kill"
  | "reconciliation_kill_not_resettable";

export type KillSwitchRefusal = Refusal<KillSwitchRefusalCode>;
export type KillSwitchDecider = Decider<
  KillSwitchCommand,
  KillSwitchEvent,
  KillSwitchState,
  KillSwitchRefusal
>;

const isoInstant = z.iso.datetime();
const blank = (text: string): boolean => text.trim().length === 0;
const levelRank = (level: KillLevel): number => (level === "all" ? 2 : 1);

/**
 * The kill switch (SPEC §3) as a decider. Manual kills need who and why; automatic ones trip on
 * a failed reconciliation, a duplicate intent, excessive rejections and consecutive failed runs.
 * Only a passing reconciliation lifts a reconciliation kill; every other kill needs `ResetKill`.
 */
export function createKillSwitch(
  options: { config?: Partial<KillSwitchConfig> } = {},
): KillSwitchDecider {
  const config = killSwitchConfigSchema.parse({ ...DEFAULT_KILL_SWITCH_CONFIG, ...options.config });

  const evolve = (state: KillSwitchState, event: KillSwitchEvent): KillSwitchState => {
    switch (event.type) {
      case "KillSwitchActivated": {
        const { data } = event;
        const previous = state.active[data.killId];
        const kill: ActiveKill = {
          killId: data.killId,
          scope: data.scope,
          cause: data.cause,
          source: data.source,
          level: data.level,
          operator: data.operator,
          reason: data.reason,
          evidence: data.evidence,
          since: previous?.since ?? data.at,
        };
        return { ...state, active: { ...state.active, [data.killId]: kill } };
      }
      case "KillSwitchReset": {
        const { [event.data.killId]: _lifted, ...active } = state.active;
        // A reset means an operator looked into it: the evidence that tripped it starts afresh,
        // or the very next outcome would trip it again.
        return {
          active,
          recentOrders: event.data.cause === "excessive_rejections" ? [] : state.recentOrders,
          consecutiveFailedRunIds:
            event.data.cause === "consecutive_failed_runs" ? [] : state.consecutiveFailedRunIds,
        };
      }
      case "KillSwitchCleared": {
        const { [event.data.killId]: _cleared, ...active } = state.active;
        return { ...state, active };
      }
      case "KillSwitchOrderOutcomeRecorded": {
        const recentOrders = [
          ...state.recentOrders,
          { intentId: event.data.intentId, outcome: event.data.outcome },
        ].slice(-config.rejectionWindowOrders);
        return { ...state, recentOrders };
      }
      case "KillSwitchRunOutcomeRecorded":
        return {
          ...state,
          consecutiveFailedRunIds:
            event.data.outcome === "failed"
              ? [...state.consecutiveFailedRunIds, event.data.runId]
              : [],
        };
    }
  };

  /** An automatic kill, unless one for the same cause is already active at that level or stricter. */
  const automaticKill = (
    state: KillSwitchState,
    cause: AutomaticKillCause,
    reason: string,
    evidence: Record<string, string | number>,
    at: string,
  ): KillSwitchEvent[] => {
    const scope: KillScope = { kind: "global" };
    const killId = killIdOf(scope, cause, "automatic");
    const existing = state.active[killId];
    if (existing && levelRank(existing.level) >= levelRank(config.automaticLevel)) return [];
    return [
      {
        type: "KillSwitchActivated",
        data: {
          killId,
          scope,
          cause,
          source: "automatic",
          level: config.automaticLevel,
          operator: null,
          reason,
          evidence,
          at,
        },
      },
    ];
  };

  const activate = (command: ActivateKill, state: KillSwitchState) => {
    if (command.scope.kind === "strategy" && blank(command.scope.strategy)) {
      return refuse("missing_strategy", "a per-strategy kill must name the strategy");
    }
    const unattributed = refuseUnattributed("a manual kill", command);
    if (unattributed) return unattributed;
    const level = command.level ?? config.defaultManualLevel;
    const killId = killIdOf(command.scope, "manual", command.source);
    const existing = state.active[killId];
    // Pulling a kill that is already pulled is a no-op; lowering a level takes a reset first.
    if (existing && levelRank(existing.level) >= levelRank(level)) return accept<KillSwitchEvent>();
    return accept<KillSwitchEvent>({
      type: "KillSwitchActivated",
      data: {
        killId,
        scope: command.scope,
        cause: "manual",
        source: command.source,
        level,
        operator: command.operator,
        reason: command.reason,
        evidence: {},
        at: command.at,
      },
    });
  };

  const reset = (command: ResetKill, state: KillSwitchState) => {
    const unattributed = refuseUnattributed("a kill-switch reset", command);
    if (unattributed) return unattributed;
    const matching = Object.values(state.active).filter(
      (kill) =>
        kill.scope.kind === command.scope.kind &&
        (kill.scope.kind === "global" ||
          (command.scope.kind === "strategy" && kill.scope.strategy === command.scope.strategy)) &&
        (command.cause === undefined || kill.cause === command.cause) &&
        (command.source === undefined || kill.source === command.source),
    );
    const resettable = matching.filter((kill) => kill.cause !== "reconciliation_failure");
    if (resettable.length === 0) {
      return matching.length > 0
        ? refuse(
            "reconciliation_kill_not_resettable",
            "a reconciliation-failure kill lifts itself when a reconciliation passes; sync the books (a forced sync) and run again",
            { killIds: matching.map((kill) => kill.killId) },
          )
        : refuse("no_active_kill", "no active kill matches this reset", {
            scope: command.scope,
            cause: command.cause ?? null,
            source: command.source ?? null,
          });
    }
    return accept<KillSwitchEvent>(
      ...resettable.map((kill) => ({
        type: "KillSwitchReset" as const,
        data: {
          killId: kill.killId,
          scope: kill.scope,
          cause: kill.cause,
          operator: command.operator,
          reason: command.reason,
          at: command.at,
        },
      })),
    );
  };

  const reconciliation = (command: RecordReconciliation, state: KillSwitchState) => {
    const killId = killIdOf({ kind: "global" }, "reconciliation_failure", "automatic");
    if (command.passed) {
      return state.active[killId]
        ? accept<KillSwitchEvent>({
            type: "KillSwitchCleared",
            data: {
              killId,
              cause: "reconciliation_failure",
              clearedBy: "reconciliation_passed",
              at: command.at,
            },
          })
        : accept<KillSwitchEvent>();
    }
    const summary = blank(command.summary) ? "broker and books disagree" : command.summary;
    return accept(
      ...automaticKill(
        state,
        "reconciliation_failure",
        `reconciliation failed: ${summary}`,
        { summary },
        command.at,
      ),
    );
  };

  const orderOutcome = (command: RecordOrderOutcome, state: KillSwitchState) => {
    // The same order reported twice counts once.
    if (state.recentOrders.some((order) => order.intentId === command.intentId)) {
      return accept<KillSwitchEvent>();
    }
    const recorded: KillSwitchEvent = {
      type: "KillSwitchOrderOutcomeRecorded",
      data: { intentId: command.intentId, outcome: command.outcome, at: command.at },
    };
    const window = evolve(state, recorded).recentOrders;
    const rejected = window.filter((order) => order.outcome === "rejected").length;
    const rate = rejected / window.length;
    if (rejected < config.minRejectedOrders || !(rate > config.maxRejectionRate)) {
      return accept(recorded);
    }
    const percent = Math.round(rate * 100);
    return accept(
      recorded,
      ...automaticKill(
        state,
        "excessive_rejections",
        `${rejected} of the last ${window.length} orders rejected (${percent}%; limit: more than ${Math.round(config.maxRejectionRate * 100)}% with at least ${config.minRejectedOrders} rejected)`,
        { rejected, orders: window.length, rate },
        command.at,
      ),
    );
  };

  const runOutcome = (command: RecordRunOutcome, state: KillSwitchState) => {
    const recorded: KillSwitchEvent = {
      type: "KillSwitchRunOutcomeRecorded",
      data: { runId: command.runId, outcome: command.outcome, at: command.at },
    };
    const failed = evolve(state, recorded).consecutiveFailedRunIds;
    if (failed.length < config.maxConsecutiveFailedRuns) return accept(recorded);
    return accept(
      recorded,
      ...automaticKill(
        state,
        "consecutive_failed_runs",
        `${failed.length} runs in a row failed (limit ${config.maxConsecutiveFailedRuns})`,
        { failedRuns: failed.length, runIds: failed.join(", ") },
        command.at,
      ),
    );
  };

  return {
    initialState: INITIAL_KILL_SWITCH_STATE,
    decide(command, state) {
      if (!isoInstant.safeParse(command.at).success) {
        return refuse(
          "invalid_timestamp",
          `"at" must be an ISO-8601 UTC instant, got "${command.at}"`,
        );
      }
      switch (command.type) {
        case "ActivateKill":
          return activate(command, state);
        case "ResetKill":
          return reset(command, state);
        case "RecordReconciliation":
          return reconciliation(command, state);
        case "RecordDuplicateIntent":
          return accept(
            ...automaticKill(
              state,
              "duplicate_intent",
              `duplicate order intent ${command.intentId} (strategy ${command.strategy}): idempotency is broken`,
              { intentId: command.intentId, strategy: command.strategy },
              command.at,
            ),
          );
        case "RecordOrderOutcome":
          return orderOutcome(command, state);
        case "RecordRunOutcome":
          return runOutcome(command, state);
      }
    },
    evolve,
  };
}
