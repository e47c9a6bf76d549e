/**
 * Trading circuit breaker (SPEC §4): CLOSED (trading) until the first breach of a limit opens
 * it, OPEN (risk-increasing orders paused, exits allowed) until an operator resets it.
 *
 * Limits: drawdown today ≥ 5%, this week ≥ 10%, in total ≥ 20% (daily < weekly < total is
 * checked in the config); 10 consecutive losing trades; ≥ 3 broker API errors within 60 s
 * (sliding); ≥ 5 order failures; ≥ 5 failed trades within 1 h (sliding). The `TradingBreakerOpened`
 * event names the rule, the measured value and the limit, and any other rule breached at once.
 *
 * Choices where the spec is silent:
 * - Drawdown today is measured from the last equity observed on an earlier trading date (the
 *   previous close), this week from the last equity before the calendar week (Monday to
 *   Sunday) of the trading date, in total from the high-water mark; the first observation is
 *   its own reference. Ratios are exact divisions of integer cents, so $1,000 → $950 is 5%.
 * - Sliding windows are the timestamps (`at`) of recent errors kept in state, pruned to the
 *   window (inclusive) behind the latest one; a late arrival is placed in order.
 * - Order failures count since the breaker was created or last reset (the spec gives no window).
 * - A trade with P&L < 0 is a loss; zero or more ends the streak.
 * - While OPEN, equity is still followed; the other inputs are ignored (a reset clears their
 *   counts). A reset needs operator and reason and re-bases the day, week and high-water
 *   references to the last equity seen, or the same drawdown would open it again at once.
 * - Equity for an earlier trading date than the last one seen is refused.
 */
export {
  DEFAULT_TRADING_BREAKER_CONFIG,
  type TradingBreakerConfig,
  tradingBreakerConfigSchema,
} from "./config.js";
export {
  createTradingBreaker,
  type TradingBreakerCommand,
  type TradingBreakerCommandType,
  type TradingBreakerDecider,
  type TradingBreakerRefusal,
  type TradingBreakerRefusalCode,
} from "./decider.js";
export {
  TRADING_BREAKER_EVENTS,
  TRADING_BREAKER_RULES,
  TradingBreakerApiErrorRecorded,
  type TradingBreakerBreach,
  TradingBreakerEquityObserved,
  type TradingBreakerEvent,
  TradingBreakerFailedTradeRecorded,
  TradingBreakerOpened,
  TradingBreakerOrderFailureRecorded,
  TradingBreakerReset,
  type TradingBreakerRule,
  TradingBreakerTradeRecorded,
} from "./events.js";
export {
  type EquityReferences as TradingBreakerEquityReferences,
  INITIAL_TRADING_BREAKER_STATE,
  TRADING_BREAKER_STATUSES,
  type TradingBreakerBlock,
  type TradingBreakerState,
  type TradingBreakerStatus,
  type TradingBreakerTrip,
  tradingBreakerBlocks,
} from "./state.js";
export { TRADING_BREAKER_TABLE } from "./table.js";
