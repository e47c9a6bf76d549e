import type { Bar, PriceHistory, Quote } from "@trader/core";

/**
 * Where a run's market data comes from (SPEC §18). The CSV directory and the synthetic market
 * are loaded whole and served point in time; a live provider answers per call.
 */
export interface MarketSource {
  readonly name: string;
  /** Daily bars dated on or before `through`, oldest first, for each symbol it knows. */
  history(symbols: readonly string[], through: string): Promise<PriceHistory>;
  /** Current quotes (the 3:55 protocol); none when the run decides on the session's close. */
  quotes(symbols: readonly string[], at: string): Promise<Quote[]>;
}

/** Index of the last bar dated on or before `date` (bars sorted by date), or -1. */
export function lastIndexOnOrBefore(bars: readonly Bar[], date: string): number {
  let low = 0;
  let high = bars.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if ((bars[middle] as Bar).date <= date) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found;
}

/** Each symbol's close on `date` (or the last one before it), in dollars: the price marks. */
export function closesOn(
  history: PriceHistory,
  date: string,
): (symbol: string) => number | undefined {
  return (symbol) => {
    const bars = history[symbol];
    return bars ? bars[lastIndexOnOrBefore(bars, date)]?.close : undefined;
  };
}

/** A market source over history held in memory (a loaded CSV directory, a synthetic market). */
export function historySource(name: string, history: PriceHistory): MarketSource {
  return {
    name,
    async history(symbols, through) {
      const result: Record<string, readonly Bar[]> = {};
      for (const symbol of symbols) {
        const bars = history[symbol];
        if (!bars) continue;
        result[symbol] = bars.slice(0, lastIndexOnOrBefore(bars, through) + 1);
      }
      return result;
    },
    async quotes() {
      return [];
    },
  };
}
