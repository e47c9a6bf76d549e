import { requireFinite } from "./input-rules.js";

/**
 * One-day historical-simulation VaR. Each past day t is a scenario: the portfolio's P&L had
 * its positions earned that day's returns, P&L_t = Σ_i value_i × r_i,t (values signed, dollars
 * or cents alike). Sorted from worst, the VaR at confidence c over n scenarios is the loss of
 * the k-th worst scenario with k = ⌈n × (1 − c)⌉ (the empirical lower quantile, no
 * interpolation): at 95% over 250 days the 13th worst day, over 100 days the 5th worst.
 * A VaR is never negative: a portfolio that gained in every scenario has VaR 0.
 */
export interface HistoricalVar {
  /** The loss at the quantile, in the units of the values (≥ 0). */
  readonly valueAtRisk: number;
  readonly observations: number;
  /** Which worst scenario was taken (1 = the worst). */
  readonly rank: number;
  /** The worst scenario's loss, for the audit. */
  readonly worstLoss: number;
}

/** k = ⌈n × (1 − c)⌉, immune to float noise (100 × 0.05 is 5, not 5.000000000000004). */
export function varRank(observations: number, confidence: number): number {
  const exact = observations * (1 - confidence);
  return Math.max(1, Math.ceil(Math.round(exact * 1e9) / 1e9));
}

/**
 * `values`: signed position value per symbol; `returns`: each symbol's daily returns, oldest
 * first, aligned (same days, same length). Uses the most recent `lookback` days.
 */
export function historicalValueAtRisk(
  values: ReadonlyMap<string, number>,
  returns: Readonly<Record<string, readonly number[]>>,
  confidence: number,
  lookback: number,
): HistoricalVar {
  const series: { symbol: string; value: number; returns: readonly number[] }[] = [];
  let length: number | null = null;
  let first = "";
  for (const [symbol, value] of values) {
    if (value === 0) continue;
    const symbolReturns = Object.hasOwn(returns, symbol) ? returns[symbol] : undefined;
    if (!symbolReturns)
      throw new RangeError(`daily returns have no series for held symbol ${symbol}`);
    if (length === null) {
      length = symbolReturns.length;
      first = symbol;
    } else if (symbolReturns.length !== length) {
      throw new RangeError(
        `daily returns must be aligned: ${symbol} has ${symbolReturns.length} days, ${first} has ${length}`,
      );
    }
    series.push({ symbol, value, returns: symbolReturns });
  }
  const total = length ?? 0;
  const start = Math.max(0, total - lookback);
  const observations = total - start;
  if (observations === 0) return { valueAtRisk: 0, observations: 0, rank: 0, worstLoss: 0 };
  const pnl = new Float64Array(observations);
  for (const { symbol, value, returns: symbolReturns } of series) {
    for (let day = start; day < total; day += 1) {
      const dailyReturn = symbolReturns[day] as number;
      if (!Number.isFinite(dailyReturn))
        requireFinite(dailyReturn, `daily return of ${symbol} at index ${day}`);
      pnl[day - start] = (pnl[day - start] as number) + value * dailyReturn;
    }
  }
  const rank = Math.min(observations, varRank(observations, confidence));
  const worst = smallest(pnl, rank);
  return {
    valueAtRisk: Math.max(0, -(worst[rank - 1] as number)),
    observations,
    rank,
    worstLoss: Math.max(0, -(worst[0] as number)),
  };
}

/** The `count` smallest values in ascending order: one pass, cheaper than a sort when count ≪ n. */
function smallest(values: Float64Array, count: number): number[] {
  const kept: number[] = [];
  for (const value of values) {
    if (kept.length === count && value >= (kept[count - 1] as number)) continue;
    let at = kept.length === count ? count - 1 : kept.length;
    while (at > 0 && (kept[at - 1] as number) > value) {
      kept[at] = kept[at - 1] as number;
      at -= 1;
    }
    kept[at] = value;
    if (kept.length > count) kept.length = count;
  }
  return kept;
}
