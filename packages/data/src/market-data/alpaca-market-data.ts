/**
 * The market-data port on Alpaca's Market Data API v2 (data.alpaca.markets), through
 * @alpacahq/alpaca-trade-api v4's generated StockApi: daily bars (paged) and latest quotes.
 * The SDK carries the credentials and the per-request timeout; this adapter validates Alpaca's
 * documented JSON itself, retries 429/5xx/time-outs with a bounded backoff of its own (the
 * SDK's retry sleeps for real and cannot be injected), and never lets a credential into an
 * error message or a log line. Paper and live keys both work: one host serves both.
 */
import { ApiError, FetchError, marketData } from "@alpacahq/alpaca-trade-api/rest";
import { type Bar, newYorkInstant, parseConfig, type Quote } from "@trader/core";
import { z } from "zod";
import {
  alpacaBarsResponseSchema,
  alpacaLatestQuotesResponseSchema,
  barFromAlpaca,
  parseAlpacaBody,
  quoteFromAlpaca,
} from "./alpaca-market-json.js";
import {
  checkDailyBarsRequest,
  checkSymbols,
  MarketDataError,
  type MarketDataErrorKind,
  type MarketDataProvider,
} from "./port.js";
import { realSleep, type Sleep, withRetry } from "./retry.js";

export const ALPACA_MARKET_DATA_BASE_URL = "https://data.alpaca.markets";
export const DEFAULT_ALPACA_MARKET_DATA_TIMEOUT_MS = 10_000;
export const DEFAULT_ALPACA_MARKET_DATA_RETRIES = 3;
/** Alpaca's largest page of bars (across all symbols of the request). */
export const ALPACA_BARS_PAGE_LIMIT = 10_000;
/** Symbols per request, to keep URLs short; larger lists are split. */
export const ALPACA_SYMBOLS_PER_REQUEST = 100;
/** A paged answer longer than this is taken as a server looping on its page token. */
const MAX_PAGES = 1_000;
const REDACTED = "[redacted]";

export const ALPACA_FEEDS = ["iex", "sip"] as const;
export type AlpacaFeed = (typeof ALPACA_FEEDS)[number];
export const ALPACA_ADJUSTMENTS = ["raw", "split", "dividend", "all"] as const;
export type AlpacaAdjustment = (typeof ALPACA_ADJUSTMENTS)[number];

export interface AlpacaMarketDataOptions {
  readonly keyId: string;
  readonly secret: string;
  /** Another host for the same API, e.g. a local mock server in tests. */
  readonly baseUrl?: string;
  /** "iex" (every plan; one exchange) or "sip" (all exchanges; paid for recent data). Default iex. */
  readonly feed?: AlpacaFeed;
  /**
   * Corporate-action adjustment of the bars. Default "raw": prices as traded, which never
   * change afterwards, so appended CSV rows stay true; the data-quality gate catches splits.
   */
  readonly adjustment?: AlpacaAdjustment;
  /** Per request; longer is a `timeout` (retried). Default 10 s. */
  readonly timeoutMs?: number;
  /** Retries of a request after a 429, a 5xx, a time-out or a dropped connection. Default 3. */
  readonly retries?: number;
  /** The first backoff; each later one doubles. Default 500 ms. */
  readonly retryDelayMs?: number;
  /** The longest single wait, also capping a server's Retry-After. Default 10 s. */
  readonly maxRetryDelayMs?: number;
  /** How to wait between attempts; tests pass one that returns at once. */
  readonly sleep?: Sleep;
  /** Told about each retry. Messages never hold a credential. */
  readonly logger?: { warn(message: string): void };
  /** Default "alpaca-<feed>": the quotes' `source`. */
  readonly name?: string;
}

export interface AlpacaMarketData extends MarketDataProvider {
  readonly baseUrl: string;
  readonly feed: AlpacaFeed;
  readonly adjustment: AlpacaAdjustment;
}

const optionsSchema = z.object({
  keyId: z.string().trim().min(1, { error: "must be a non-empty Alpaca API key id" }),
  secret: z.string().trim().min(1, { error: "must be a non-empty Alpaca API secret key" }),
  baseUrl: z
    .url({ protocol: /^https?$/, error: "must be an http(s) URL such as http://127.0.0.1:8080" })
    .optional(),
  feed: z.enum(ALPACA_FEEDS, { error: 'must be "iex" or "sip"' }).default("iex"),
  adjustment: z
    .enum(ALPACA_ADJUSTMENTS, { error: 'must be "raw", "split", "dividend" or "all"' })
    .default("raw"),
  timeoutMs: z
    .number()
    .int()
    .positive({ error: "must be a whole number of milliseconds > 0" })
    .default(DEFAULT_ALPACA_MARKET_DATA_TIMEOUT_MS),
  retries: z
    .number()
    .int()
    .min(0, { error: "must be a whole number ≥ 0" })
    .max(10, { error: "must be at most 10" })
    .default(DEFAULT_ALPACA_MARKET_DATA_RETRIES),
  retryDelayMs: z.number().int().min(0, { error: "must be a whole number ≥ 0" }).default(500),
  maxRetryDelayMs: z.number().int().min(0, { error: "must be a whole number ≥ 0" }).default(10_000),
  sleep: z.custom<Sleep>((value) => typeof value === "function", { error: "must be a function" }),
  logger: z
    .custom<{ warn(message: string): void }>(
      (value) =>
        typeof value === "object" &&
        value !== null &&
        typeof (value as { warn?: unknown }).warn === "function",
      { error: "must have warn(message)" },
    )
    .optional(),
  name: z.string().trim().min(1, { error: "must be a non-empty name" }).optional(),
});

type Operation = "dailyBars" | "latestQuotes";

export function createAlpacaMarketData(options: AlpacaMarketDataOptions): AlpacaMarketData {
  const parsed = parseConfig("Alpaca market data", optionsSchema, {
    ...options,
    sleep: options.sleep ?? realSleep,
  });
  const { keyId, secret, feed, adjustment, timeoutMs, logger } = parsed;
  const name = parsed.name ?? `alpaca-${feed}`;
  const baseUrl = (parsed.baseUrl ?? ALPACA_MARKET_DATA_BASE_URL).replace(/\/+$/, "");
  // The SDK's own retry and rate limiter stay off: retries are ours, with an injectable sleep.
  const configuration = new marketData.Configuration({
    basePath: baseUrl,
    keyId,
    secret,
    timeoutMs,
  });
  const stocks = new marketData.StockApi(configuration);

  const redact = (text: string) => text.split(secret).join(REDACTED).split(keyId).join(REDACTED);
  const retryPolicy = {
    retries: parsed.retries,
    baseDelayMs: parsed.retryDelayMs,
    maxDelayMs: parsed.maxRetryDelayMs,
    sleep: parsed.sleep,
    onRetry: (error: MarketDataError, attempt: number, delayMs: number) =>
      logger?.warn(`${name}: ${error.message}; retry ${attempt} in ${delayMs} ms`),
  };

  /** One request, retried; every failure becomes a redacted MarketDataError. */
  function call<T>(operation: Operation, run: () => Promise<T>): Promise<T> {
    return withRetry(retryPolicy, async () => {
      try {
        return await run();
      } catch (error) {
        throw marketDataErrorFromAlpaca(error, { operation, timeoutMs, redact });
      }
    });
  }

  async function barsOfChunk(
    symbols: readonly string[],
    from: string,
    to: string,
    into: Map<string, Bar[]>,
  ): Promise<void> {
    // A daily bar's timestamp is midnight New York of its date: this span holds exactly from..to.
    const start = new Date(newYorkInstant(from, "00:00"));
    const end = new Date(newYorkInstant(to, "23:59"));
    const seenTokens = new Set<string>();
    let pageToken: string | undefined;
    for (let page = 1; ; page++) {
      const body = await call("dailyBars", async () => {
        const response = await stocks.stockBarsRaw({
          symbols: symbols.join(","),
          timeframe: "1Day",
          start,
          end,
          adjustment,
          feed,
          limit: ALPACA_BARS_PAGE_LIMIT,
          sort: "asc",
          ...(pageToken === undefined ? {} : { pageToken }),
        });
        return parseAlpacaBody("bars", alpacaBarsResponseSchema, await response.raw.json());
      });
      for (const [symbol, wires] of Object.entries(body.bars ?? {})) {
        if (!symbols.includes(symbol)) {
          throw new MarketDataError(
            "protocol",
            `Alpaca bars answered with ${symbol}, which was not asked for (asked: ${symbols.join(", ")})`,
            { symbol },
          );
        }
        const list = into.get(symbol) ?? [];
        for (const wire of wires) list.push(barFromAlpaca(symbol, wire));
        into.set(symbol, list);
      }
      const next = body.next_page_token ?? null;
      if (next === null || next === "") return;
      if (seenTokens.has(next) || page >= MAX_PAGES) {
        throw new MarketDataError(
          "protocol",
          `Alpaca bars repeated page token ${next} (or sent more than ${MAX_PAGES} pages); stopping`,
          { pageToken: next },
        );
      }
      seenTokens.add(next);
      pageToken = next;
    }
  }

  return {
    name,
    baseUrl,
    feed,
    adjustment,

    async dailyBars(symbols, from, to) {
      const wanted = checkDailyBarsRequest(name, symbols, from, to);
      const collected = new Map<string, Bar[]>();
      for (const chunk of chunks(wanted, ALPACA_SYMBOLS_PER_REQUEST)) {
        await barsOfChunk(chunk, from, to, collected);
      }
      const history: Record<string, readonly Bar[]> = {};
      for (const symbol of wanted) {
        const bars = inOrder(symbol, collected.get(symbol) ?? []).filter(
          (bar) => bar.date >= from && bar.date <= to,
        );
        if (bars.length > 0) history[symbol] = bars;
      }
      return history;
    },

    async latestQuotes(symbols) {
      const wanted = checkSymbols(name, symbols);
      const quotes: Quote[] = [];
      for (const chunk of chunks(wanted, ALPACA_SYMBOLS_PER_REQUEST)) {
        const body = await call("latestQuotes", async () => {
          const response = await stocks.stockLatestQuotesRaw({ symbols: chunk.join(","), feed });
          return parseAlpacaBody(
            "latest quotes",
            alpacaLatestQuotesResponseSchema,
            await response.raw.json(),
          );
        });
        const bySymbol = body.quotes ?? {};
        for (const symbol of chunk) {
          const wire = bySymbol[symbol];
          const quote = wire === undefined ? null : quoteFromAlpaca(symbol, wire, name);
          if (quote !== null) quotes.push(quote);
        }
      }
      return quotes;
    },
  };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let index = 0; index < items.length; index += size) {
    result.push(items.slice(index, index + size));
  }
  return result;
}

/** Sorted by date; two bars on one trading date mean the timestamps were not daily bars. */
function inOrder(symbol: string, bars: Bar[]): Bar[] {
  const sorted = [...bars].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  for (let index = 1; index < sorted.length; index++) {
    const date = (sorted[index] as Bar).date;
    if (date === (sorted[index - 1] as Bar).date) {
      throw new MarketDataError(
        "protocol",
        `Alpaca bars gave ${symbol} two bars on trading date ${date}; expected one daily bar per session`,
        { symbol, date },
      );
    }
  }
  return sorted;
}

interface ErrorContext {
  readonly operation: Operation;
  readonly timeoutMs: number;
  readonly redact: (text: string) => string;
}

/** What an SDK failure means for the caller. Every message passes through `redact`. */
export function marketDataErrorFromAlpaca(error: unknown, context: ErrorContext): MarketDataError {
  const { operation, redact } = context;
  if (error instanceof MarketDataError) {
    return new MarketDataError(error.kind, redact(error.message), error.detail);
  }
  if (error instanceof ApiError) {
    const detail = {
      operation,
      status: error.status,
      ...(error.code === undefined ? {} : { alpacaCode: error.code }),
      ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    };
    return new MarketDataError(
      kindForStatus(error.status),
      redact(`Alpaca ${operation} failed with HTTP ${error.status}: ${error.message}`),
      detail,
    );
  }
  if (error instanceof FetchError) {
    const causeName = error.cause?.name;
    if (causeName === "TimeoutError" || causeName === "AbortError") {
      return new MarketDataError(
        "timeout",
        `Alpaca ${operation} got no answer within ${context.timeoutMs} ms`,
        { operation, timeoutMs: context.timeoutMs },
      );
    }
    return new MarketDataError(
      "unavailable",
      redact(`Alpaca ${operation} could not reach Alpaca: ${describeNetworkFailure(error)}`),
      { operation },
    );
  }
  if (error instanceof SyntaxError) {
    return new MarketDataError(
      "protocol",
      redact(`Alpaca ${operation} answered with malformed JSON: ${error.message}`),
      { operation },
    );
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new MarketDataError("protocol", redact(`Alpaca ${operation} failed: ${message}`), {
    operation,
  });
}

function kindForStatus(status: number): MarketDataErrorKind {
  if (status === 401) return "auth";
  if (status === 403) return "forbidden";
  if (status === 408) return "timeout";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "unavailable";
  return "invalid_request";
}

/** "fetch failed" says little; the cause underneath names the socket error (ECONNREFUSED ...). */
function describeNetworkFailure(error: FetchError): string {
  const cause: unknown = error.cause;
  const inner = cause instanceof Error ? (cause as Error & { cause?: unknown }).cause : undefined;
  const code =
    inner !== null && typeof inner === "object" && "code" in inner ? String(inner.code) : "";
  const causeMessage = cause instanceof Error ? cause.message : String(cause);
  return code ? `${causeMessage} (${code})` : causeMessage;
}
