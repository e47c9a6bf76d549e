/**
 * Alpaca Market Data API v2 JSON, as documented for GET /v2/stocks/bars and
 * GET /v2/stocks/quotes/latest, validated here (the adapter reads the raw body, not the SDK's
 * generated models) and turned into the core's Bar and Quote.
 */
import {
  type Bar,
  barSchema,
  nyseCalendar,
  parseIsoInstant,
  type Quote,
  toIsoUtc,
} from "@trader/core";
import { z } from "zod";
import { MarketDataError } from "./port.js";

const instant = z.string().refine(
  (text) => {
    try {
      parseIsoInstant(text);
      return true;
    } catch {
      return false;
    }
  },
  { error: "must be an ISO-8601 instant such as 2026-11-20T05:00:00Z" },
);

/** One bar: t is the start of the period (a daily bar: midnight New York), prices in dollars. */
export const alpacaBarWireSchema = z.object({
  t: instant,
  o: z.number(),
  h: z.number(),
  l: z.number(),
  c: z.number(),
  v: z.number(),
  /** Number of trades and volume-weighted price: documented, unused here. */
  n: z.number().optional(),
  vw: z.number().optional(),
});
export type AlpacaBarWire = z.input<typeof alpacaBarWireSchema>;

export const alpacaBarsResponseSchema = z.object({
  /** Alpaca answers a request with no bars with `{}`; null is taken the same way. */
  bars: z.record(z.string(), z.array(alpacaBarWireSchema)).nullable(),
  next_page_token: z.string().nullable().optional(),
});

/** The latest quote: ask/bid price and size; a price of 0 means that side is empty. */
export const alpacaQuoteWireSchema = z.object({
  t: instant,
  ap: z.number().nonnegative(),
  as: z.number().nonnegative().optional(),
  bp: z.number().nonnegative(),
  bs: z.number().nonnegative().optional(),
  ax: z.string().optional(),
  bx: z.string().optional(),
});
export type AlpacaQuoteWire = z.input<typeof alpacaQuoteWireSchema>;

export const alpacaLatestQuotesResponseSchema = z.object({
  quotes: z.record(z.string(), alpacaQuoteWireSchema).nullable(),
});

/** Validates a body against a schema; a mismatch is a `protocol` error naming what was read. */
export function parseAlpacaBody<Schema extends z.ZodType>(
  what: string,
  schema: Schema,
  json: unknown,
): z.output<Schema> {
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new MarketDataError(
      "protocol",
      `Alpaca ${what} answered with JSON that is not the documented shape:\n${z.prettifyError(parsed.error)}`,
      { what },
    );
  }
  return parsed.data;
}

/**
 * A daily bar as the core's Bar: dated with the New York trading date of its timestamp, prices
 * valid (finite, > 0, high and low bracketing open and close), whole-share volume.
 */
export function barFromAlpaca(symbol: string, wire: z.output<typeof alpacaBarWireSchema>): Bar {
  const where = `Alpaca bar ${symbol} at ${wire.t}`;
  let date: string;
  try {
    date = nyseCalendar().tradingDateOf(wire.t);
  } catch (error) {
    throw new MarketDataError("protocol", `${where}: ${(error as Error).message}`, { symbol });
  }
  const parsed = barSchema.safeParse({
    date,
    open: wire.o,
    high: wire.h,
    low: wire.l,
    close: wire.c,
    volume: wire.v,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`);
    throw new MarketDataError("protocol", `${where}: ${problems.join("; ")}`, { symbol, date });
  }
  const bar = parsed.data;
  const problem = rangeProblem(bar);
  if (problem) throw new MarketDataError("protocol", `${where}: ${problem}`, { symbol, date });
  return bar;
}

/** High and low must bracket open and close, or the CSV loader would refuse the file later. */
function rangeProblem(bar: Bar): string | null {
  if (bar.high < Math.max(bar.open, bar.close, bar.low)) {
    return `high ${bar.high} is below open ${bar.open}, close ${bar.close} or low ${bar.low}`;
  }
  if (bar.low > Math.min(bar.open, bar.close)) {
    return `low ${bar.low} is above open ${bar.open} or close ${bar.close}`;
  }
  return null;
}

/**
 * A latest quote as the core's Quote: `last` is the bid/ask midpoint, or the one side present;
 * null when both sides are empty (no price to offer). Nanosecond timestamps become milliseconds.
 */
export function quoteFromAlpaca(
  symbol: string,
  wire: z.output<typeof alpacaQuoteWireSchema>,
  source: string,
): Quote | null {
  const { ap: ask, bp: bid } = wire;
  // Rounded to 1/100 cent so that 450.1 and 450.3 give 450.2, not 450.20000000000005.
  const midpoint = Math.round(((ask + bid) / 2) * 10_000) / 10_000;
  const last = ask > 0 && bid > 0 ? midpoint : ask > 0 ? ask : bid > 0 ? bid : null;
  if (last === null) return null;
  return {
    symbol,
    at: toIsoUtc(parseIsoInstant(wire.t)),
    last,
    ...(bid > 0 ? { bid } : {}),
    ...(ask > 0 ? { ask } : {}),
    source,
  };
}
