import type { Bar, PriceHistory } from "../market/bars.js";
import type { MarketSnapshot } from "../strategy/api.js";

/** Thrown when a strategy asks for data the run does not have; the pipeline records it as a failure. */
export class UnknownSymbolError extends Error {
  override readonly name = "UnknownSymbolError";
  constructor(
    readonly symbol: string,
    readonly known: readonly string[],
  ) {
    super(`unknown symbol ${symbol}: the run has data for ${known.join(", ") || "no symbol"}`);
  }
}

/**
 * A point-in-time view of the history: bars dated after `tradingDate` are cut off, so a strategy
 * cannot see the future even when the loaded history runs past the decision (a backtest).
 */
export function pointInTimeSnapshot(
  history: PriceHistory,
  tradingDate: string,
  at: string,
): MarketSnapshot {
  const visible = new Map<string, readonly Bar[]>();
  for (const [symbol, bars] of Object.entries(history)) {
    let end = bars.length;
    while (end > 0 && (bars[end - 1] as Bar).date > tradingDate) end--;
    visible.set(symbol, Object.freeze(end === bars.length ? bars : bars.slice(0, end)));
  }
  const barsOf = (symbol: string): readonly Bar[] => {
    const bars = visible.get(symbol);
    if (!bars) throw new UnknownSymbolError(symbol, [...visible.keys()]);
    return bars;
  };
  return {
    tradingDate,
    at,
    bars: barsOf,
    price(symbol) {
      const last = barsOf(symbol).at(-1);
      if (!last) throw new UnknownSymbolError(symbol, [...visible.keys()]);
      return last.close;
    },
  };
}
