import fc from "fast-check";
import type { Cents } from "../../money.js";
import { parseIsoInstant, toIsoUtc } from "../../ports/clock.js";
import { DEFAULT_TRADING_BREAKER_CONFIG, type TradingBreakerConfig } from "./config.js";
import type { TradingBreakerCommand } from "./decider.js";

type WithoutAt<C> = C extends unknown ? Omit<C, "at"> : never;

/**
 * One step of a breaker's life, relative to the previous one: time passes, then an input.
 * Equity is a change in basis points of the last equity, so sequences walk like an account.
 */
export interface TradingBreakerStep {
  readonly advanceSeconds: number;
  readonly input:
    | { readonly type: "ObserveEquity"; readonly changeBasisPoints: number }
    | WithoutAt<Exclude<TradingBreakerCommand, { type: "ObserveEquity" }>>;
}

/** Where a sequence of steps has got to: the time and the last equity. */
export interface TradingBreakerCursor {
  readonly ms: number;
  readonly equity: Cents;
}

/** Monday 2026-01-05 15:50 New York, $1,000 (the runbook's capital). */
export const TRADING_BREAKER_START: TradingBreakerCursor = {
  ms: parseIsoInstant("2026-01-05T20:50:00Z"),
  equity: 100_000,
};

/** The command a step makes from a cursor, and the cursor after it. The trading date is the UTC date. */
export function commandOfStep(
  cursor: TradingBreakerCursor,
  step: TradingBreakerStep,
): { command: TradingBreakerCommand; cursor: TradingBreakerCursor } {
  const ms = cursor.ms + step.advanceSeconds * 1000;
  const at = toIsoUtc(ms);
  if (step.input.type === "ObserveEquity") {
    const equity = Math.max(
      0,
      Math.round(cursor.equity * (1 + step.input.changeBasisPoints / 10_000)),
    );
    return {
      command: { type: "ObserveEquity", tradingDate: at.slice(0, 10), equity, at },
      cursor: { ms, equity },
    };
  }
  return { command: { ...step.input, at } as TradingBreakerCommand, cursor: { ...cursor, ms } };
}

/**
 * Steps that reach every limit of `config` now and then: seconds apart (API errors), hours
 * apart (failed trades) or days apart (daily and weekly drawdowns); mostly small equity moves,
 * sometimes a drop past the daily limit; losing and winning trades.
 */
export function tradingBreakerStep(
  config: TradingBreakerConfig = DEFAULT_TRADING_BREAKER_CONFIG,
): fc.Arbitrary<TradingBreakerStep> {
  const bigDrop = Math.round(config.dailyDrawdown * 10_000 * 1.3);
  const advanceSeconds = fc.oneof(
    // Exactly on the windows' edges now and then: "within 60 s" includes 60 s.
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        config.apiErrorWindowSeconds / 2,
        config.apiErrorWindowSeconds,
        config.failedTradeWindowSeconds / 4,
      ),
    },
    {
      weight: 5,
      arbitrary: fc.integer({ min: 0, max: Math.round(config.apiErrorWindowSeconds * 1.5) }),
    },
    {
      weight: 3,
      arbitrary: fc.integer({ min: 0, max: Math.round(config.failedTradeWindowSeconds / 2) }),
    },
    { weight: 2, arbitrary: fc.integer({ min: 3_600, max: 3 * 86_400 }) },
  );
  const input: fc.Arbitrary<TradingBreakerStep["input"]> = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        type: fc.constant("ObserveEquity" as const),
        changeBasisPoints: fc.oneof(
          { weight: 5, arbitrary: fc.integer({ min: -300, max: 300 }) },
          fc.integer({ min: -bigDrop, max: 0 }),
        ),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        type: fc.constant("RecordTradeResult" as const),
        tradeId: fc.integer({ min: 1, max: 10_000 }).map((n) => `trade-${n}`),
        pnl: fc.oneof(
          { weight: 6, arbitrary: fc.integer({ min: -5_000, max: -1 }) },
          { weight: 2, arbitrary: fc.integer({ min: 1, max: 5_000 }) },
          fc.constant(0),
        ),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        type: fc.constant("RecordApiError" as const),
        operation: fc.constantFrom("submitOrder", "getPositions", "getAccount"),
        message: fc.constantFrom("timeout", "503 Service Unavailable"),
      }),
    },
    fc.record({
      type: fc.constant("RecordOrderFailure" as const),
      intentId: fc.integer({ min: 1, max: 10_000 }).map((n) => `intent-${n}`),
      reason: fc.constantFrom("insufficient buying power", "symbol halted"),
    }),
    fc.record({
      type: fc.constant("RecordFailedTrade" as const),
      tradeId: fc.integer({ min: 1, max: 10_000 }).map((n) => `trade-${n}`),
      reason: fc.constantFrom("expired unfilled", "canceled"),
    }),
    fc.record({
      type: fc.constant("ResetBreaker" as const),
      operator: fc.oneof({ weight: 9, arbitrary: fc.constant("ana") }, fc.constant("")),
      reason: fc.oneof(
        { weight: 9, arbitrary: fc.constant("reviewed the losses") },
        fc.constant(" "),
      ),
    }),
  );
  return fc.record({ advanceSeconds, input });
}

/** A realistic sequence of breaker commands: times and trading dates never go backwards. */
export function tradingBreakerCommands(
  config: TradingBreakerConfig = DEFAULT_TRADING_BREAKER_CONFIG,
  options: { maxLength?: number; start?: TradingBreakerCursor } = {},
): fc.Arbitrary<TradingBreakerCommand[]> {
  return fc
    .array(tradingBreakerStep(config), { maxLength: options.maxLength ?? 60 })
    .map((steps) => {
      let cursor = options.start ?? TRADING_BREAKER_START;
      return steps.map((step) => {
        const next = commandOfStep(cursor, step);
        cursor = next.cursor;
        return next.command;
      });
    });
}

/**
 * One breaker command at some time within a week of the start, equity between $750 and $1,100
 * (for `assertDeciderProperties`, which draws commands one by one; out-of-order dates are refused).
 */
export function tradingBreakerCommand(
  config: TradingBreakerConfig = DEFAULT_TRADING_BREAKER_CONFIG,
): fc.Arbitrary<TradingBreakerCommand> {
  return fc
    .tuple(
      tradingBreakerStep(config),
      fc.integer({ min: 0, max: 7 * 86_400 }),
      fc.integer({ min: 75_000, max: 110_000 }),
    )
    .map(([step, seconds, equity]) => {
      const cursor = { ms: TRADING_BREAKER_START.ms + seconds * 1000, equity };
      const input =
        step.input.type === "ObserveEquity" ? { ...step.input, changeBasisPoints: 0 } : step.input;
      return commandOfStep(cursor, { advanceSeconds: 0, input }).command;
    });
}
