import type { Bar, PriceHistory, Quote } from "../market/bars.js";
import { detectCorporateActions } from "../market/corporate-actions.js";
import { crossCheckQuotes } from "../market/cross-source.js";
import type { RunAbort } from "../market/run-abort.js";
import { withSyntheticBar } from "../market/synthetic-bar.js";
import type { PipelineConfig } from "./config.js";

export type PreparedMarket =
  | { readonly ok: true; readonly history: PriceHistory }
  | { readonly ok: false; readonly abort: RunAbort };

/**
 * Run-level market checks before any strategy sees data: quotes from two sources must agree
 * (> 1% apart aborts), today's synthetic bar is appended from the first source's quote (the 3:55
 * protocol), and a split-like jump in any series aborts the run (CRITICAL).
 */
export function prepareMarket(
  history: PriceHistory,
  quotes: readonly Quote[],
  tradingDate: string,
  config: PipelineConfig,
  /** Only the bars the strategies read are checked for splits: the last `window` of each series. */
  window: number,
): PreparedMarket {
  const bySymbol = new Map<string, Quote[]>();
  for (const quote of quotes)
    bySymbol.set(quote.symbol, [...(bySymbol.get(quote.symbol) ?? []), quote]);
  const prepared: Record<string, readonly Bar[]> = { ...history };
  for (const [symbol, [first, ...others]] of bySymbol) {
    if (!first) continue;
    for (const other of others) {
      const check = crossCheckQuotes(first, other, config.crossSource);
      if (!check.pass) return { ok: false, abort: check };
    }
    const bars = history[symbol];
    if (!bars) continue;
    const withToday = withSyntheticBar(bars, first, tradingDate);
    // A bar for today already in the history (an end-of-day replay) is used as it is.
    if (withToday.ok) prepared[symbol] = withToday.bars;
  }
  for (const symbol of Object.keys(prepared).sort()) {
    const recent = (prepared[symbol] as readonly Bar[]).slice(-window);
    const check = detectCorporateActions(symbol, recent, config.corporateActions);
    if (!check.pass) return { ok: false, abort: check };
  }
  return { ok: true, history: prepared };
}

/** Simple daily returns of the last `days` closes (fewer when the history is shorter). */
export function dailyReturns(bars: readonly Bar[], days: number): number[] {
  const closes = bars.slice(-(days + 1)).map((bar) => bar.close);
  const returns: number[] = [];
  for (let i = 1; i < closes.length; i++)
    returns.push((closes[i] as number) / (closes[i - 1] as number) - 1);
  return returns;
}
