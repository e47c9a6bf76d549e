import { z } from "zod";
import { epochDay } from "../calendar/trading-calendar.js";
import { assertBarSeries } from "./bar-series.js";
import { type Bar, barSchema, type Quote, quoteSchema } from "./bars.js";
import { newYorkDate } from "./new-york-time.js";

/**
 * The "3:55 protocol" (SPEC §12; plan): the decision runs before the close, so today's daily
 * bar does not exist yet. It is built from the current quote — close = the quote's last price —
 * and appended to the history, so indicators see today as if the session closed at the quote.
 */

/** What is known of today's session so far, when the provider gives it. */
export interface SessionSoFar {
  readonly open?: number;
  readonly high?: number;
  readonly low?: number;
  readonly volume?: number;
}

export type SyntheticBarResult =
  | { readonly ok: true; readonly bars: readonly Bar[]; readonly bar: Bar }
  | {
      readonly ok: false;
      readonly code: "bar_already_exists";
      readonly message: string;
      readonly detail: { readonly tradingDate: string; readonly lastBarDate: string };
    };

const sessionSchema = z.object({
  open: z.number().positive().finite().optional(),
  high: z.number().positive().finite().optional(),
  low: z.number().positive().finite().optional(),
  volume: z.number().int().nonnegative().optional(),
});

/**
 * Returns the history with today's synthetic bar appended (a new array; the history is not
 * touched). open/high/low come from the session so far when known, else the quote; the bar's
 * high and low always include the quote. When the history already has a bar dated
 * `tradingDate` or later, nothing is replaced: the result is `bar_already_exists`.
 * Throws on bad input: an invalid quote or session, a quote whose New York date is not the
 * trading date, or a history that is not an ordered series.
 */
export function withSyntheticBar(
  history: readonly Bar[],
  quote: Quote,
  tradingDate: string,
  session: SessionSoFar = {},
): SyntheticBarResult {
  epochDay(tradingDate);
  const parsedQuote = quoteSchema.safeParse(quote);
  if (!parsedQuote.success) {
    throw new RangeError(
      `withSyntheticBar: the quote is invalid:\n${z.prettifyError(parsedQuote.error)}`,
    );
  }
  const { symbol, last, at } = parsedQuote.data;
  const parsedSession = sessionSchema.safeParse(session);
  if (!parsedSession.success) {
    throw new RangeError(
      `withSyntheticBar: ${symbol} session so far is invalid:\n${z.prettifyError(parsedSession.error)}`,
    );
  }
  const quoteDate = newYorkDate(at);
  if (quoteDate !== tradingDate) {
    throw new RangeError(
      `withSyntheticBar: ${symbol} quote at ${at} is from ${quoteDate} in New York, not the trading date ${tradingDate}`,
    );
  }
  assertBarSeries(symbol, history);
  const lastBar = history.at(-1);
  if (lastBar && lastBar.date >= tradingDate) {
    return {
      ok: false,
      code: "bar_already_exists",
      message: `${symbol} history already has a bar dated ${lastBar.date}, on or after the trading date ${tradingDate}; the synthetic bar would replace or precede it`,
      detail: { tradingDate, lastBarDate: lastBar.date },
    };
  }
  const soFar = parsedSession.data;
  const open = soFar.open ?? last;
  const candidate = {
    date: tradingDate,
    open,
    high: Math.max(soFar.high ?? last, open, last),
    low: Math.min(soFar.low ?? last, open, last),
    close: last,
    volume: soFar.volume ?? 0,
    // Adjustments apply backwards from the latest bar, so today's adjusted close is its close.
    ...(lastBar?.adjClose !== undefined ? { adjClose: last } : {}),
  };
  const bar = barSchema.parse(candidate);
  return { ok: true, bars: [...history, bar], bar };
}
