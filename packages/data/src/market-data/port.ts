import { type Bar, epochDay, type PriceHistory, type Quote } from "@trader/core";

/**
 * The market-data port (SPEC §18): where daily history and live quotes come from. Adapters: the
 * CSV directory (history only) and Alpaca's market-data API. The cycle reads it through
 * `providerMarketSource` (@trader/runtime); `updateCsvDirectory` copies new sessions from a
 * provider into the CSV files.
 */
export interface MarketDataProvider {
  /** Names the provider in quotes (`Quote.source`) and errors, e.g. "alpaca-iex" or "csv". */
  readonly name: string;
  /**
   * Daily bars dated `from` to `to` inclusive (exchange trading dates, YYYY-MM-DD), oldest
   * first, per symbol. A symbol the provider has nothing for is left out, never an empty list.
   */
  dailyBars(symbols: readonly string[], from: string, to: string): Promise<PriceHistory>;
  /** The latest quote of each symbol the provider has one for (none: an empty list). */
  latestQuotes(symbols: readonly string[]): Promise<Quote[]>;
}

/** What went wrong talking to a provider, in terms a caller can act on. */
export type MarketDataErrorKind =
  /** The keys were refused (HTTP 401). */
  | "auth"
  /** The keys are fine but may not see this (HTTP 403, e.g. recent SIP data on a free plan). */
  | "forbidden"
  /** The provider refused the request itself (HTTP 400, 404, 422). */
  | "invalid_request"
  /** Still rate limited (HTTP 429) after every retry. */
  | "rate_limited"
  /** Server errors (HTTP 5xx) or no connection, after every retry. */
  | "unavailable"
  /** No answer within the time limit, after every retry. */
  | "timeout"
  /** An answer that is not the documented JSON. */
  | "protocol";

export class MarketDataError extends Error {
  override readonly name = "MarketDataError";
  constructor(
    readonly kind: MarketDataErrorKind,
    message: string,
    readonly detail: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

/** Kinds worth asking again: the same GET may well succeed a moment later. */
export const RETRYABLE_MARKET_DATA_ERRORS: ReadonlySet<MarketDataErrorKind> = new Set([
  "rate_limited",
  "unavailable",
  "timeout",
]);

/** Throws a RangeError naming the provider, the argument and the rule; returns unique symbols. */
export function checkSymbols(provider: string, symbols: readonly string[]): string[] {
  if (!Array.isArray(symbols)) {
    throw new RangeError(`${provider}: symbols must be a list of ticker symbols`);
  }
  const bad = symbols.find((symbol) => typeof symbol !== "string" || symbol.trim() === "");
  if (bad !== undefined) {
    throw new RangeError(
      `${provider}: every symbol must be a non-empty string, got ${JSON.stringify(bad)}`,
    );
  }
  return [...new Set(symbols)];
}

/** Checks a daily-bars request's dates (YYYY-MM-DD that exist, from ≤ to) and its symbols. */
export function checkDailyBarsRequest(
  provider: string,
  symbols: readonly string[],
  from: string,
  to: string,
): string[] {
  for (const [name, date] of [
    ["from", from],
    ["to", to],
  ] as const) {
    try {
      epochDay(date);
    } catch (error) {
      throw new RangeError(`${provider}: ${name} ${(error as Error).message}`);
    }
  }
  if (from > to) throw new RangeError(`${provider}: from ${from} is after to ${to}`);
  return checkSymbols(provider, symbols);
}

/** Keeps the bars dated from..to inclusive (bars sorted by date). */
export function barsBetween(bars: readonly Bar[], from: string, to: string): Bar[] {
  return bars.filter((bar) => bar.date >= from && bar.date <= to);
}
