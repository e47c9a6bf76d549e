import {
  type Bar,
  type Clock,
  type NyseCalendar,
  newYorkDate,
  parseIsoInstant,
  type Quote,
} from "@trader/core";
import type { MarketDataProvider } from "@trader/data";
import type { MarketSource } from "./market-source.js";

/** Sessions of history asked for: more than any decision window (about 250 bars) needs. */
export const DEFAULT_PROVIDER_HISTORY_SESSIONS = 600;

export interface ProviderMarketSourceOptions {
  /** A second provider whose quotes are checked against the primary's (> 1% apart aborts the run). */
  readonly secondary?: MarketDataProvider;
  /** Sessions and their closes: how far back history goes, and whether a session is over. */
  readonly calendar: NyseCalendar;
  /** How many sessions up to `through` to fetch. Default 600. */
  readonly historySessions?: number;
  /** Tells whether `through`'s session has closed; default the wall clock. */
  readonly clock?: Clock;
}

const wallClock: Clock = { now: () => Date.now() };

/**
 * A cycle's market source on market-data providers (SPEC §18). History comes from the primary:
 * the last `historySessions` sessions through the trading date, of which the trading date's own
 * bar only once its session has closed (before the close a provider's daily bar is a bar still
 * moving; the 3:55 protocol builds today's from the quote instead). Quotes come from the primary
 * and then the secondary, each tagged with its provider's name, so the pipeline's cross-source
 * check compares them; a quote from another New York day than `at` is not current and is left
 * out. A provider's failure is thrown: a run without its data does not trade.
 */
export function providerMarketSource(
  primary: MarketDataProvider,
  options: ProviderMarketSourceOptions,
): MarketSource {
  const { secondary, calendar } = options;
  const clock = options.clock ?? wallClock;
  const historySessions = options.historySessions ?? DEFAULT_PROVIDER_HISTORY_SESSIONS;
  if (!(Number.isInteger(historySessions) && historySessions >= 1)) {
    throw new RangeError(
      `providerMarketSource: historySessions must be a whole number ≥ 1, got ${historySessions}`,
    );
  }
  if (secondary && secondary.name === primary.name) {
    throw new RangeError(
      `providerMarketSource: the primary and secondary providers are both named "${primary.name}"; the cross-source check needs two distinct sources`,
    );
  }
  const name = secondary ? `${primary.name}+${secondary.name}` : primary.name;

  return {
    name,
    async history(symbols, through) {
      if (symbols.length === 0) return {};
      let from = calendar.isSession(through) ? through : calendar.previousSession(through);
      for (let step = 1; step < historySessions; step++) from = calendar.previousSession(from);
      const fetched = await primary.dailyBars(symbols, from, through);
      const closed =
        !calendar.isSession(through) ||
        parseIsoInstant(calendar.sessionClose(through)) <= clock.now();
      const result: Record<string, readonly Bar[]> = {};
      for (const symbol of symbols) {
        const bars = (fetched[symbol] ?? []).filter(
          (bar) => bar.date < through || (bar.date === through && closed),
        );
        if (bars.length > 0) result[symbol] = bars;
      }
      return result;
    },
    async quotes(symbols, at) {
      if (symbols.length === 0) return [];
      const today = newYorkDate(at);
      const current = (provider: MarketDataProvider, quotes: readonly Quote[]): Quote[] =>
        quotes
          .filter((quote) => symbols.includes(quote.symbol) && newYorkDate(quote.at) === today)
          .map((quote) => ({ ...quote, source: provider.name }));
      const first = current(primary, await primary.latestQuotes(symbols));
      const second = secondary ? current(secondary, await secondary.latestQuotes(symbols)) : [];
      // The pipeline checks each symbol's later quotes against its first: the primary's.
      return [...first, ...second];
    },
  };
}
