import { z } from "zod";
import { accept, type Decider, type Refusal, refuse } from "../../decider/decider.js";
import type { Cents } from "../../money.js";
import type { OperatorActionRefusalCode } from "../operator-action.js";
import { refuseUnattributed } from "../operator-action.js";
import {
  DEFAULT_TRADING_BREAKER_CONFIG,
  type TradingBreakerConfig,
  tradingBreakerConfigSchema,
} from "./config.js";
import type { TradingBreakerBreach, TradingBreakerEvent } from "./events.js";
import { slideWindow } from "./sliding-window.js";
import {
  describeBreach,
  drawdownFrom,
  type EquityReferences,
  INITIAL_TRADING_BREAKER_STATE,
  observeEquity,
  type TradingBreakerState,
} from "./state.js";

/** Account equity (cents) at an instant, with the exchange trading date it belongs to. */
export interface ObserveEquity {
  readonly type: "ObserveEquity";
  readonly tradingDate: string;
  readonly equity: Cents;
  readonly at: string;
}

/** A trade closed with this realised P&L (cents). */
export interface RecordTradeResult {
  readonly type: "RecordTradeResult";
  readonly tradeId: string;
  readonly pnl: Cents;
  readonly at: string;
}

/** A broker API call failed (timeout, 5xx, connection refused). */
export interface RecordApiError {
  readonly type: "RecordApiError";
  readonly operation: string;
  readonly message: string;
  readonly at: string;
}

/** An order could not be placed: refused by the broker or errored on submission. */
export interface RecordOrderFailure {
  readonly type: "RecordOrderFailure";
  readonly intentId: string;
  readonly reason: string;
  readonly at: string;
}

/** A trade attempt that did not complete (expired, canceled unfilled, abandoned after retries). */
export interface RecordFailedTrade {
  readonly type: "RecordFailedTrade";
  readonly tradeId: string;
  readonly reason: string;
  readonly at: string;
}

/** Close an open breaker by hand: the only way it closes. */
export interface ResetBreaker {
  readonly type: "ResetBreaker";
  readonly operator: string;
  readonly reason: string;
  readonly at: string;
}

export type TradingBreakerCommand =
  | ObserveEquity
  | RecordTradeResult
  | RecordApiError
  | RecordOrderFailure
  | RecordFailedTrade
  | ResetBreaker;

export type TradingBreakerCommandType = TradingBreakerCommand["type"];

export type TradingBreakerRefusalCode =
  | "invalid_timestamp"
  | "invalid_trading_date"
  | "invalid_amount"
  | "out_of_order_observation"
  | OperatorActionRefusalCode
  | "not_open";

export type TradingBreakerRefusal = Refusal<TradingBreakerRefusalCode>;
export type TradingBreakerDecider = Decider<
  TradingBreakerCommand,
  TradingBreakerEvent,
  TradingBreakerState,
  TradingBreakerRefusal
>;

const isoInstant = z.iso.datetime();
const isoDate = z.iso.date();

/**
 * The trading circuit breaker (SPEC §4) as a decider: CLOSED until the first breach of a limit
 * opens it, OPEN until an operator resets it. While OPEN it keeps following equity (so a reset
 * re-bases on current numbers) and ignores the other inputs: a reset clears their counts.
 */
export function createTradingBreaker(
  options: { config?: Partial<TradingBreakerConfig> } = {},
): TradingBreakerDecider {
  const config = tradingBreakerConfigSchema.parse({
    ...DEFAULT_TRADING_BREAKER_CONFIG,
    ...options.config,
  });

  const evolve = (state: TradingBreakerState, event: TradingBreakerEvent): TradingBreakerState => {
    switch (event.type) {
      case "TradingBreakerEquityObserved":
        return {
          ...state,
          equity: observeEquity(state.equity, event.data.tradingDate, event.data.equity),
        };
      case "TradingBreakerTradeRecorded":
        return {
          ...state,
          consecutiveLosses: event.data.pnl < 0 ? state.consecutiveLosses + 1 : 0,
        };
      case "TradingBreakerApiErrorRecorded":
        return {
          ...state,
          apiErrorTimes: slideWindow(
            state.apiErrorTimes,
            event.data.at,
            config.apiErrorWindowSeconds,
          ),
        };
      case "TradingBreakerOrderFailureRecorded":
        return { ...state, orderFailures: state.orderFailures + 1 };
      case "TradingBreakerFailedTradeRecorded":
        return {
          ...state,
          failedTradeTimes: slideWindow(
            state.failedTradeTimes,
            event.data.at,
            config.failedTradeWindowSeconds,
          ),
        };
      case "TradingBreakerOpened": {
        const { otherBreaches: _others, ...trip } = event.data;
        return { ...state, status: "OPEN", trip };
      }
      case "TradingBreakerReset": {
        const last = state.equity?.last;
        return {
          ...INITIAL_TRADING_BREAKER_STATE,
          equity:
            state.equity && last !== undefined
              ? { ...state.equity, dayStart: last, weekStart: last, peak: last }
              : null,
        };
      }
    }
  };

  const drawdownBreaches = (references: EquityReferences): TradingBreakerBreach[] => {
    const checks = [
      ["daily_drawdown", references.dayStart, config.dailyDrawdown],
      ["weekly_drawdown", references.weekStart, config.weeklyDrawdown],
      ["total_drawdown", references.peak, config.totalDrawdown],
    ] as const;
    return checks
      .map(([rule, reference, threshold]) => ({
        rule,
        observed: drawdownFrom(reference, references.last),
        threshold,
        windowSeconds: null,
      }))
      .filter((breach) => breach.observed >= breach.threshold);
  };

  /** The breaches that `next` shows, as of `state`: the first names the rule that opens. */
  const breachesAfter = (
    recorded: TradingBreakerEvent,
    next: TradingBreakerState,
  ): TradingBreakerBreach[] => {
    switch (recorded.type) {
      case "TradingBreakerEquityObserved":
        return next.equity ? drawdownBreaches(next.equity) : [];
      case "TradingBreakerTradeRecorded":
        return next.consecutiveLosses >= config.maxConsecutiveLosses
          ? [
              {
                rule: "consecutive_losses",
                observed: next.consecutiveLosses,
                threshold: config.maxConsecutiveLosses,
                windowSeconds: null,
              },
            ]
          : [];
      case "TradingBreakerApiErrorRecorded":
        return next.apiErrorTimes.length >= config.maxApiErrors
          ? [
              {
                rule: "api_errors",
                observed: next.apiErrorTimes.length,
                threshold: config.maxApiErrors,
                windowSeconds: config.apiErrorWindowSeconds,
              },
            ]
          : [];
      case "TradingBreakerOrderFailureRecorded":
        return next.orderFailures >= config.maxOrderFailures
          ? [
              {
                rule: "order_failures",
                observed: next.orderFailures,
                threshold: config.maxOrderFailures,
                windowSeconds: null,
              },
            ]
          : [];
      case "TradingBreakerFailedTradeRecorded":
        return next.failedTradeTimes.length >= config.maxFailedTrades
          ? [
              {
                rule: "failed_trades",
                observed: next.failedTradeTimes.length,
                threshold: config.maxFailedTrades,
                windowSeconds: config.failedTradeWindowSeconds,
              },
            ]
          : [];
      default:
        return [];
    }
  };

  /** Records an input; while CLOSED, opens the breaker on the first breach it shows. */
  const record = (state: TradingBreakerState, recorded: TradingBreakerEvent, at: string) => {
    if (state.status === "OPEN") return accept(recorded);
    const next = evolve(state, recorded);
    const [first, ...others] = breachesAfter(recorded, next);
    if (!first) return accept(recorded);
    const opened: TradingBreakerEvent = {
      type: "TradingBreakerOpened",
      data: {
        ...first,
        message: describeBreach(first, next.equity ?? undefined),
        otherBreaches: others,
        at,
      },
    };
    return accept(recorded, opened);
  };

  /** Counted inputs other than equity mean nothing while OPEN: the reset clears their counts. */
  const recordWhileClosed = (
    state: TradingBreakerState,
    recorded: TradingBreakerEvent,
    at: string,
  ) => (state.status === "OPEN" ? accept<TradingBreakerEvent>() : record(state, recorded, at));

  return {
    initialState: INITIAL_TRADING_BREAKER_STATE,
    decide(command, state) {
      const { at } = command;
      if (!isoInstant.safeParse(at).success) {
        return refuse("invalid_timestamp", `"at" must be an ISO-8601 UTC instant, got "${at}"`);
      }
      switch (command.type) {
        case "ObserveEquity": {
          if (!isoDate.safeParse(command.tradingDate).success) {
            return refuse(
              "invalid_trading_date",
              `tradingDate must be YYYY-MM-DD, got "${command.tradingDate}"`,
            );
          }
          if (!Number.isSafeInteger(command.equity) || command.equity < 0) {
            return refuse(
              "invalid_amount",
              `equity must be a whole, non-negative number of cents, got ${command.equity}`,
            );
          }
          if (state.equity && command.tradingDate < state.equity.tradingDate) {
            return refuse(
              "out_of_order_observation",
              `equity for ${command.tradingDate} arrived after equity for ${state.equity.tradingDate}`,
            );
          }
          return record(
            state,
            {
              type: "TradingBreakerEquityObserved",
              data: { tradingDate: command.tradingDate, equity: command.equity, at },
            },
            at,
          );
        }
        case "RecordTradeResult":
          if (!Number.isSafeInteger(command.pnl)) {
            return refuse(
              "invalid_amount",
              `pnl must be a whole number of cents, got ${command.pnl}`,
            );
          }
          return recordWhileClosed(
            state,
            {
              type: "TradingBreakerTradeRecorded",
              data: { tradeId: command.tradeId, pnl: command.pnl, at },
            },
            at,
          );
        case "RecordApiError":
          return recordWhileClosed(
            state,
            {
              type: "TradingBreakerApiErrorRecorded",
              data: { operation: command.operation, message: command.message, at },
            },
            at,
          );
        case "RecordOrderFailure":
          return recordWhileClosed(
            state,
            {
              type: "TradingBreakerOrderFailureRecorded",
              data: { intentId: command.intentId, reason: command.reason, at },
            },
            at,
          );
        case "RecordFailedTrade":
          return recordWhileClosed(
            state,
            {
              type: "TradingBreakerFailedTradeRecorded",
              data: { tradeId: command.tradeId, reason: command.reason, at },
            },
            at,
          );
        case "ResetBreaker":
          {
            const unattributed = refuseUnattributed("a breaker reset", command);
            if (unattributed) return unattributed;
          }
          if (state.status !== "OPEN") {
            return refuse("not_open", "the trading circuit breaker is not open");
          }
          return accept<TradingBreakerEvent>({
            type: "TradingBreakerReset",
            data: {
              operator: command.operator,
              reason: command.reason,
              rebasedEquity: state.equity?.last ?? null,
              at,
            },
          });
      }
    },
    evolve,
  };
}
