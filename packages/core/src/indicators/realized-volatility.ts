import { z } from "zod";
import { parseConfig } from "../config/parse-config.js";
import type { IndicatorSeries, IndicatorStream } from "./types.js";
import { requireAllPositivePrices, requirePositivePrice } from "./validate.js";
import { RingWindow, windowMoments } from "./window-math.js";

const NAME = "realizedVolatility";
const NEEDS_LOG = "a log return needs it";

/**
 * Realized volatility's settings. The window is the reference strategy's short window (SPEC §16:
 * 21 days); 252 trading days a year annualize a daily standard deviation.
 */
export const realizedVolatilityConfigSchema = z
  .object({
    /** Number of daily log returns in the window (it spans window + 1 prices). */
    window: z.number().int().min(2).default(21),
    /** √periodsPerYear scales the per-bar standard deviation to a yearly one. */
    periodsPerYear: z.number().positive().finite().default(252),
    estimator: z.enum(["population", "sample"]).default("population"),
  })
  .strict();

export type RealizedVolatilityConfig = z.output<typeof realizedVolatilityConfigSchema>;
export type RealizedVolatilityConfigInput = z.input<typeof realizedVolatilityConfigSchema>;

/** Parses (partial) settings, filling defaults; throws a RangeError naming each bad field and rule. */
export function parseRealizedVolatilityConfig(
  input: RealizedVolatilityConfigInput = {},
): RealizedVolatilityConfig {
  return parseConfig(NAME, realizedVolatilityConfigSchema, input);
}

export const DEFAULT_REALIZED_VOLATILITY_CONFIG: RealizedVolatilityConfig =
  parseRealizedVolatilityConfig();

/** The log return from one price to the next: ln(pₜ / pₜ₋₁). */
export function logReturn(previous: number, current: number): number {
  return Math.log(current / previous);
}

/**
 * Annualized realized volatility: the standard deviation (population by default) of the last
 * `window` daily log returns ln(pₜ/pₜ₋₁), times √periodsPerYear. `window` leading nulls (the
 * first value needs window + 1 prices). 0.2 means 20% a year.
 */
export function realizedVolatility(
  prices: readonly number[],
  config: RealizedVolatilityConfigInput = {},
): IndicatorSeries {
  const { window, periodsPerYear, estimator } = parseRealizedVolatilityConfig(config);
  requireAllPositivePrices(NAME, "prices", prices, NEEDS_LOG);
  const annualizer = Math.sqrt(periodsPerYear);
  // returns[j] is the return into prices[j + 1].
  const returns: number[] = [];
  for (let index = 1; index < prices.length; index++) {
    returns.push(logReturn(prices[index - 1] as number, prices[index] as number));
  }
  const output: IndicatorSeries = [];
  for (let index = 0; index < prices.length; index++) {
    if (index < window) {
      output.push(null);
      continue;
    }
    output.push(windowMoments(returns, index - window, window, estimator).std * annualizer);
  }
  return output;
}

export function realizedVolatilityStream(
  config: RealizedVolatilityConfigInput = {},
): IndicatorStream {
  const { window, periodsPerYear, estimator } = parseRealizedVolatilityConfig(config);
  const annualizer = Math.sqrt(periodsPerYear);
  const returns = new RingWindow(window);
  let previous: number | null = null;
  let count = 0;
  return {
    update(price) {
      requirePositivePrice(NAME, `price #${count + 1}`, price, NEEDS_LOG);
      count++;
      if (previous !== null) returns.push(logReturn(previous, price));
      previous = price;
      if (!returns.full) return null;
      return windowMoments(returns.values, returns.oldest, window, estimator).std * annualizer;
    },
  };
}
