import { z } from "zod";

/**
 * Market prices are decimal dollars as plain numbers (they feed indicators); money that changes
 * hands or accumulates (cash, equity, P&L, order notional) is integer cents (money.ts).
 * Every price is validated finite and > 0 where it enters: a NaN never flows on.
 */
const price = z.number().positive().finite();

/** One daily bar of one symbol. `date` is the exchange trading date (YYYY-MM-DD). */
export const barSchema = z.object({
  date: z.iso.date(),
  open: price,
  high: price,
  low: price,
  close: price,
  volume: z.number().int().nonnegative(),
  /** Split- and dividend-adjusted close, when the source provides it. */
  adjClose: price.optional(),
});
export type Bar = z.infer<typeof barSchema>;

/** A live quote: what the 3:55 protocol turns into today's synthetic bar. */
export const quoteSchema = z.object({
  symbol: z.string().min(1),
  /** ISO-8601 UTC instant of the quote. */
  at: z.iso.datetime(),
  last: price,
  bid: price.optional(),
  ask: price.optional(),
  /** Which provider it came from, for the cross-source check. */
  source: z.string().min(1),
});
export type Quote = z.infer<typeof quoteSchema>;

/** Daily history per symbol, oldest first, one bar per trading date. */
export type PriceHistory = Readonly<Record<string, readonly Bar[]>>;
