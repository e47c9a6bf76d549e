import { formatPercent } from "../../format.js";
import { type KillSwitchState, killSwitchBlocks } from "../kill-switch/state.js";
import { type TradingBreakerState, tradingBreakerBlocks } from "../trading-breaker/state.js";
import type { OrderRisk } from "./order.js";

/** The blocking layers, strongest first (SPEC §3): the funnel records the first that applies. */
export const SAFETY_PRECEDENCE = [
  "kill_switch",
  "trading_breaker",
  "drawdown_governor",
  "position_limits",
] as const;
export type SafetyLayer = (typeof SAFETY_PRECEDENCE)[number];

/**
 * What precedence needs from the drawdown governor: its status, and optionally the numbers for
 * the reason text. Structural, so the governor's own state (or a view of it) can be passed.
 */
export interface GovernorView {
  readonly status: "NORMAL" | "HALT" | "PANIC" | "RAMPUP";
  readonly detail?: {
    /** When the status was entered (date or instant). */
    readonly since?: string;
    /** The drawdown that caused it, a fraction. */
    readonly drawdown?: number;
    /** The trading date the cooldown ends. */
    readonly cooldownEndsOn?: string;
  };
}

export type PositionLimitCode = `position_limit_${string}`;

/** The outcome of the position-limit checks for this order (per symbol, strategy, portfolio, count). */
export interface PositionLimitsView {
  readonly breached: boolean;
  /** e.g. `position_limit_symbol`; defaults to `position_limit_exceeded`. */
  readonly code?: PositionLimitCode;
  readonly message?: string;
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** Every safety state an order's permission depends on. */
export interface SafetySnapshot {
  readonly killSwitch: KillSwitchState;
  readonly tradingBreaker: TradingBreakerState;
  readonly governor: GovernorView;
  readonly positionLimits?: PositionLimitsView;
}

/** The order whose permission is asked for. */
export interface OrderToPermit {
  readonly strategy: string;
  readonly symbol: string;
  readonly risk: OrderRisk;
}

export type OrderBlockCode =
  | "kill_switch"
  | "strategy_disabled"
  | "circuit_open"
  | "drawdown_halt"
  | "drawdown_panic"
  | PositionLimitCode;

/** Why an order is blocked, in the funnel's vocabulary. */
export interface OrderBlockReason {
  readonly code: OrderBlockCode;
  readonly layer: SafetyLayer;
  readonly message: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

export type OrderPermission =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      /** The highest-precedence block; `detail.alsoBlockedBy` lists the codes of the others. */
      readonly reason: OrderBlockReason;
    };

const governorMessage = (governor: GovernorView): string => {
  const { since, drawdown, cooldownEndsOn } = governor.detail ?? {};
  const parts = [
    `${governor.status}${since === undefined ? "" : ` since ${since}`}`,
    drawdown === undefined ? null : `: drawdown ${formatPercent(drawdown)}`,
    cooldownEndsOn === undefined ? null : `; cooldown ends ${cooldownEndsOn}`,
  ];
  return `${parts.filter((part) => part !== null).join("")}: new entries blocked`;
};

/** Every layer that blocks the order, strongest first. */
export function safetyBlocks(safety: SafetySnapshot, order: OrderToPermit): OrderBlockReason[] {
  const blocks: OrderBlockReason[] = [];
  const kill = killSwitchBlocks(safety.killSwitch, order);
  if (kill) {
    blocks.push({
      code: kill.code,
      layer: "kill_switch",
      message: kill.message,
      detail: { level: kill.level, killIds: kill.kills.map((k) => k.killId) },
    });
  }
  // Below the kill switch every layer lets risk-reducing orders through.
  if (order.risk === "risk_reducing") return blocks;
  const breaker = tradingBreakerBlocks(safety.tradingBreaker, order.risk);
  if (breaker) {
    blocks.push({
      code: "circuit_open",
      layer: "trading_breaker",
      message: breaker.message,
      detail: breaker.trip
        ? {
            rule: breaker.trip.rule,
            observed: breaker.trip.observed,
            threshold: breaker.trip.threshold,
            since: breaker.trip.at,
          }
        : {},
    });
  }
  const { governor } = safety;
  if (governor.status === "HALT" || governor.status === "PANIC") {
    blocks.push({
      code: governor.status === "HALT" ? "drawdown_halt" : "drawdown_panic",
      layer: "drawdown_governor",
      message: governorMessage(governor),
      detail: { status: governor.status, ...governor.detail },
    });
  }
  const limits = safety.positionLimits;
  if (limits?.breached) {
    const code = limits.code ?? "position_limit_exceeded";
    blocks.push({
      code,
      layer: "position_limits",
      message: limits.message ?? `position limit exceeded (${code})`,
      detail: limits.detail ?? {},
    });
  }
  return blocks;
}

/**
 * Whether the safety layers allow this order, and if not the single highest-precedence reason:
 * kill switch > trading circuit breaker > drawdown governor > position limits. A risk-reducing
 * order passes everything except a kill at level `all`. Pure: the same states give the same answer.
 */
export function decideOrderPermission(
  safety: SafetySnapshot,
  order: OrderToPermit,
): OrderPermission {
  const [first, ...others] = safetyBlocks(safety, order);
  if (!first) return { allowed: true };
  return {
    allowed: false,
    reason: { ...first, detail: { ...first.detail, alsoBlockedBy: others.map((b) => b.code) } },
  };
}
