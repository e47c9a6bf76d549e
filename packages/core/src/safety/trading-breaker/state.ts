import { dateOfEpochDay, dayOfWeek, epochDay } from "../../calendar/trading-calendar.js";
import { formatPercent } from "../../format.js";
import { type Cents, formatCents } from "../../money.js";
import type { OrderRisk } from "../precedence/order.js";
import type { TradingBreakerBreach, TradingBreakerRule } from "./events.js";

export const TRADING_BREAKER_STATUSES = ["CLOSED", "OPEN"] as const;
/** CLOSED: trading; OPEN: paused until a manual reset. */
export type TradingBreakerStatus = (typeof TRADING_BREAKER_STATUSES)[number];

/** The references drawdowns are measured from, all taken from observed equity. */
export interface EquityReferences {
  readonly last: Cents;
  readonly tradingDate: string;
  /** The last equity of an earlier trading date (or the first ever seen, or the reset's). */
  readonly dayStart: Cents;
  /** The Monday of the week of `tradingDate`. */
  readonly weekOf: string;
  /** The last equity before this week (or the first ever seen, or the reset's). */
  readonly weekStart: Cents;
  /** High-water mark since the first observation or the last reset. */
  readonly peak: Cents;
}

export interface TradingBreakerTrip extends TradingBreakerBreach {
  readonly message: string;
  readonly at: string;
}

export interface TradingBreakerState {
  readonly status: TradingBreakerStatus;
  /** Why it is open; null while closed. */
  readonly trip: TradingBreakerTrip | null;
  readonly equity: EquityReferences | null;
  readonly consecutiveLosses: number;
  /** API errors within the sliding window of the latest one, oldest first. */
  readonly apiErrorTimes: readonly string[];
  readonly orderFailures: number;
  /** Failed trades within the sliding window of the latest one, oldest first. */
  readonly failedTradeTimes: readonly string[];
}

export const INITIAL_TRADING_BREAKER_STATE: TradingBreakerState = {
  status: "CLOSED",
  trip: null,
  equity: null,
  consecutiveLosses: 0,
  apiErrorTimes: [],
  orderFailures: 0,
  failedTradeTimes: [],
};

/** The Monday starting the calendar week of a date: "this week" for the weekly drawdown. */
export function mondayOf(date: string): string {
  return dateOfEpochDay(epochDay(date) - ((dayOfWeek(date) + 6) % 7));
}

/** The references after seeing `equity` on `tradingDate`. */
export function observeEquity(
  references: EquityReferences | null,
  tradingDate: string,
  equity: Cents,
): EquityReferences {
  const weekOf = mondayOf(tradingDate);
  if (references === null) {
    return { last: equity, tradingDate, dayStart: equity, weekOf, weekStart: equity, peak: equity };
  }
  return {
    last: equity,
    tradingDate,
    dayStart: tradingDate === references.tradingDate ? references.dayStart : references.last,
    weekOf,
    weekStart: weekOf === references.weekOf ? references.weekStart : references.last,
    peak: Math.max(references.peak, equity),
  };
}

/** (reference − equity) / reference, 0 when equity is at or above it (or the reference is 0). */
export const drawdownFrom = (reference: Cents, equity: Cents): number =>
  reference > 0 && equity < reference ? (reference - equity) / reference : 0;

const RULE_WORDS: Record<TradingBreakerRule, string> = {
  daily_drawdown: "drawdown today",
  weekly_drawdown: "drawdown this week",
  total_drawdown: "drawdown from the high-water mark",
  consecutive_losses: "consecutive losing trades",
  api_errors: "broker API errors",
  order_failures: "order failures",
  failed_trades: "failed trades",
};

/** "drawdown today 5.2% ≥ 5% ($1,000.00 → $948.00)", "3 broker API errors within 60 s (limit 3)". */
export function describeBreach(
  breach: TradingBreakerBreach,
  references?: EquityReferences,
): string {
  const words = RULE_WORDS[breach.rule];
  const reference =
    breach.rule === "daily_drawdown"
      ? references?.dayStart
      : breach.rule === "weekly_drawdown"
        ? references?.weekStart
        : references?.peak;
  if (breach.rule.endsWith("_drawdown")) {
    const path =
      references && reference !== undefined
        ? ` (${formatCents(reference)} → ${formatCents(references.last)})`
        : "";
    return `${words} ${formatPercent(breach.observed)} ≥ ${formatPercent(breach.threshold)}${path}`;
  }
  const within = breach.windowSeconds === null ? "" : ` within ${breach.windowSeconds} s`;
  return `${breach.observed} ${words}${within} (limit ${breach.threshold})`;
}

export interface TradingBreakerBlock {
  readonly code: "circuit_open";
  readonly message: string;
  readonly trip: TradingBreakerTrip | null;
}

/** The open breaker stops risk-increasing orders; exits still pass. Null when the order passes. */
export function tradingBreakerBlocks(
  state: TradingBreakerState,
  risk: OrderRisk,
): TradingBreakerBlock | null {
  if (state.status !== "OPEN" || risk === "risk_reducing") return null;
  const why = state.trip ? `since ${state.trip.at}: ${state.trip.message}` : "";
  return {
    code: "circuit_open",
    message: `trading circuit breaker open ${why}`.trim(),
    trip: state.trip,
  };
}
