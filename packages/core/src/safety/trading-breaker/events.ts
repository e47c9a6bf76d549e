import { z } from "zod";
import { defineEvent, type EventOf } from "../../events/registry.js";

export const TRADING_BREAKER_RULES = [
  "daily_drawdown",
  "weekly_drawdown",
  "total_drawdown",
  "consecutive_losses",
  "api_errors",
  "order_failures",
  "failed_trades",
] as const;
export type TradingBreakerRule = (typeof TRADING_BREAKER_RULES)[number];

const at = z.iso.datetime();
const cents = z.number().int();

/** Equity seen on a trading date; keeps the day, week and high-water references current. */
export const TradingBreakerEquityObserved = defineEvent({
  type: "TradingBreakerEquityObserved",
  schema: z.object({ tradingDate: z.iso.date(), equity: cents.nonnegative(), at }),
});

/** A closed trade's realised P&L in cents; a loss extends the losing streak, anything else ends it. */
export const TradingBreakerTradeRecorded = defineEvent({
  type: "TradingBreakerTradeRecorded",
  schema: z.object({ tradeId: z.string().min(1), pnl: cents, at }),
});

export const TradingBreakerApiErrorRecorded = defineEvent({
  type: "TradingBreakerApiErrorRecorded",
  schema: z.object({ operation: z.string().min(1), message: z.string(), at }),
});

export const TradingBreakerOrderFailureRecorded = defineEvent({
  type: "TradingBreakerOrderFailureRecorded",
  schema: z.object({ intentId: z.string().min(1), reason: z.string(), at }),
});

export const TradingBreakerFailedTradeRecorded = defineEvent({
  type: "TradingBreakerFailedTradeRecorded",
  schema: z.object({ tradeId: z.string().min(1), reason: z.string(), at }),
});

const breachSchema = z.object({
  rule: z.enum(TRADING_BREAKER_RULES),
  /** The measured value: a drawdown fraction, or a count. */
  observed: z.number(),
  threshold: z.number(),
  /** For the sliding-window rules, the window; null otherwise. */
  windowSeconds: z.number().int().positive().nullable(),
});
export type TradingBreakerBreach = z.infer<typeof breachSchema>;

/** The first breach opened the breaker: trading paused until a manual reset. */
export const TradingBreakerOpened = defineEvent({
  type: "TradingBreakerOpened",
  schema: breachSchema.extend({
    message: z.string().min(1),
    /** Rules breached by the same observation, after the named one. */
    otherBreaches: z.array(breachSchema),
    at,
  }),
});

/** An operator closed the breaker (who, why); references re-based to the last equity seen. */
export const TradingBreakerReset = defineEvent({
  type: "TradingBreakerReset",
  schema: z.object({
    operator: z.string().min(1),
    reason: z.string().min(1),
    rebasedEquity: cents.nonnegative().nullable(),
    at,
  }),
});

export const TRADING_BREAKER_EVENTS = [
  TradingBreakerEquityObserved,
  TradingBreakerTradeRecorded,
  TradingBreakerApiErrorRecorded,
  TradingBreakerOrderFailureRecorded,
  TradingBreakerFailedTradeRecorded,
  TradingBreakerOpened,
  TradingBreakerReset,
] as const;

export type TradingBreakerEvent = EventOf<typeof TRADING_BREAKER_EVENTS>;
