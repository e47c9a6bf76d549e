import type { Bar } from "../market/bars.js";
import type { Cents } from "../money.js";

/**
 * What a strategy sees: history up to the decision time only (the last bar may be today's
 * synthetic bar from the 3:55 protocol), so it cannot look into the future.
 */
export interface MarketSnapshot {
  /** The trading date being decided (YYYY-MM-DD). */
  readonly tradingDate: string;
  /** The decision instant, ISO-8601 UTC. */
  readonly at: string;
  /** Oldest first; never contains a bar dated after `tradingDate`. */
  readonly bars: (symbol: string) => readonly Bar[];
  /** The price the decision uses for a symbol (today's synthetic close, or the last close). */
  readonly price: (symbol: string) => number;
}

export interface PositionView {
  readonly symbol: string;
  /** Whole shares; negative for a short. */
  readonly quantity: number;
  /** Average entry price, dollars. */
  readonly averagePrice: number;
  readonly strategy: string;
}

/** A read-only view of the account: a strategy decides from it, never mutates it. */
export interface PortfolioView {
  readonly cash: Cents;
  readonly equity: Cents;
  readonly positions: readonly PositionView[];
}

/** A strategy's opinion: hold these weights of equity (the rebalance planner turns them into orders). */
export interface TargetWeightsSignal {
  readonly kind: "target_weights";
  /** symbol → fraction of equity (0..1); symbols not listed are targeted at 0. Cash is the rest. */
  readonly weights: Readonly<Record<string, number>>;
  /** 0..1: how sure the strategy is; risk gates may use it (SPEC §9 volatility/confidence). */
  readonly confidence: number;
  /** The regime (cell) behind this signal, when it differs from the decision's. */
  readonly regime?: string;
  /** Why, in the strategy's own words or numbers; recorded with the signal. */
  readonly rationale?: Readonly<Record<string, unknown>>;
}

/** A strategy's opinion on one symbol: enter (buy) or exit (sell) a fraction of equity. */
export interface EntryExitSignal {
  readonly kind: "entry" | "exit";
  readonly symbol: string;
  /** For an entry: the fraction of equity to put in. For an exit: the fraction of the position to close (1 = all). */
  readonly fraction: number;
  readonly confidence: number;
  readonly regime?: string;
  readonly rationale?: Readonly<Record<string, unknown>>;
}

export type Signal = TargetWeightsSignal | EntryExitSignal;

/**
 * A strategy's answer for one run: the regime (cell) it sees, e.g. "bull_low_vol", which
 * why-no-trade and post-market validation report even when there is no signal, and its signals.
 */
export interface StrategyDecision {
  readonly regime: string;
  readonly signals: readonly Signal[];
}

/** What a user implements. `decide` must be pure: same snapshot and portfolio → same decision. */
export interface Strategy<Params = unknown> {
  /** Unique name; the kill switch and the funnel refer to it. */
  readonly name: string;
  /** Every symbol it reads or trades. */
  readonly universe: readonly string[];
  /** How many daily bars of history it needs before it can decide (the data-quality gate checks it). */
  readonly historyBars: number;
  readonly params: Params;
  decide(snapshot: MarketSnapshot, portfolio: PortfolioView): StrategyDecision;
}
