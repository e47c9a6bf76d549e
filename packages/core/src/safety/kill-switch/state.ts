import type { OrderRisk } from "../precedence/order.js";
import type { KillLevel } from "./config.js";
import type { KillCause, KillScope, KillSource } from "./events.js";

/** One active kill. Several may coexist: global and per strategy, manual and automatic. */
export interface ActiveKill {
  readonly killId: string;
  readonly scope: KillScope;
  readonly cause: KillCause;
  readonly source: KillSource;
  readonly level: KillLevel;
  readonly operator: string | null;
  readonly reason: string;
  readonly evidence: Readonly<Record<string, string | number>>;
  /** When the kill first became active (raising its level keeps this). */
  readonly since: string;
}

export interface RecordedOrderOutcome {
  readonly intentId: string;
  readonly outcome: "accepted" | "rejected";
}

export interface KillSwitchState {
  /** Active kills by id: the id names scope and cause (and source, for manual kills). */
  readonly active: Readonly<Record<string, ActiveKill>>;
  /** The most recent order outcomes, oldest first, at most `rejectionWindowOrders` long. */
  readonly recentOrders: readonly RecordedOrderOutcome[];
  /** Runs that failed in a row since the last successful run. */
  readonly consecutiveFailedRunIds: readonly string[];
}

export const INITIAL_KILL_SWITCH_STATE: KillSwitchState = {
  active: {},
  recentOrders: [],
  consecutiveFailedRunIds: [],
};

/** The kill switch as its transition table sees it: the strictest level active anywhere. */
export const KILL_SWITCH_STATUSES = ["INACTIVE", "ENTRIES", "ALL"] as const;
export type KillSwitchStatus = (typeof KILL_SWITCH_STATUSES)[number];

const scopeKey = (scope: KillScope): string =>
  scope.kind === "global" ? "global" : `strategy:${scope.strategy}`;

/**
 * The id of the kill a (scope, cause, source) names. Manual kills from different sources are
 * distinct, so removing `TRADING_DISABLED` from the config never lifts a kill pulled from the CLI.
 */
export function killIdOf(scope: KillScope, cause: KillCause, source: KillSource): string {
  return cause === "manual" ? `${scopeKey(scope)}/manual:${source}` : `${scopeKey(scope)}/${cause}`;
}

const stricterLevel = (a: KillLevel | null, b: KillLevel | null): KillLevel | null =>
  a === "all" || b === "all" ? "all" : (a ?? b);

export function killSwitchStatus(state: KillSwitchState): KillSwitchStatus {
  let level: KillLevel | null = null;
  for (const kill of Object.values(state.active)) level = stricterLevel(level, kill.level);
  return level === null ? "INACTIVE" : level === "all" ? "ALL" : "ENTRIES";
}

const appliesTo = (kill: ActiveKill, strategy: string): boolean =>
  kill.scope.kind === "global" || kill.scope.strategy === strategy;

/** The active kills that apply to a strategy: global ones first, then the strategy's own. */
export function killsApplyingTo(state: KillSwitchState, strategy: string): ActiveKill[] {
  const kills = Object.values(state.active).filter((kill) => appliesTo(kill, strategy));
  return [
    ...kills.filter((kill) => kill.scope.kind === "global"),
    ...kills.filter((kill) => kill.scope.kind === "strategy"),
  ];
}

/** The strictest level of the kills applying to a strategy, or null when it may trade. */
export function effectiveKillLevel(state: KillSwitchState, strategy: string): KillLevel | null {
  let level: KillLevel | null = null;
  for (const kill of killsApplyingTo(state, strategy)) level = stricterLevel(level, kill.level);
  return level;
}

export interface KillSwitchBlock {
  /** `kill_switch` when a global kill blocks; `strategy_disabled` when only the strategy's own do. */
  readonly code: "kill_switch" | "strategy_disabled";
  readonly level: KillLevel;
  readonly message: string;
  /** Every kill that blocks this order, the one named in the message first. */
  readonly kills: readonly ActiveKill[];
}

const describeKill = (kill: ActiveKill): string => {
  const who = kill.operator === null ? "automatic" : `${kill.operator} via ${kill.source}`;
  const what =
    kill.scope.kind === "global"
      ? `kill switch (${kill.level})`
      : `strategy ${kill.scope.strategy} disabled (${kill.level})`;
  return `${what} since ${kill.since}: ${kill.cause.replaceAll("_", " ")} (${who}): ${kill.reason}`;
};

/**
 * Whether the kill switch stops an order of this strategy: a risk-increasing order is stopped
 * by any applying kill, a risk-reducing one only by a kill at level `all`. Null when it passes.
 */
export function killSwitchBlocks(
  state: KillSwitchState,
  order: { readonly strategy: string; readonly risk: OrderRisk },
): KillSwitchBlock | null {
  const blocking = killsApplyingTo(state, order.strategy).filter(
    (kill) => order.risk === "risk_increasing" || kill.level === "all",
  );
  const [first] = blocking;
  if (!first) return null;
  const level = blocking.some((kill) => kill.level === "all") ? "all" : "entries";
  return {
    code: first.scope.kind === "global" ? "kill_switch" : "strategy_disabled",
    level,
    message: describeKill(first),
    kills: blocking,
  };
}
