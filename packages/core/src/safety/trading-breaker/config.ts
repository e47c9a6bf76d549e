import { z } from "zod";

const fraction = z.number().gt(0).max(1);

/** The trading circuit breaker's limits (SPEC §4). Every one is a default a deployment may override. */
export const tradingBreakerConfigSchema = z
  .object({
    /** Drawdown today: from the last equity of an earlier trading date (yesterday's close). */
    dailyDrawdown: fraction.default(0.05),
    /** Drawdown this week: from the last equity before the current Monday-to-Sunday week. */
    weeklyDrawdown: fraction.default(0.1),
    /** Drawdown in total: from the high-water mark of observed equity. */
    totalDrawdown: fraction.default(0.2),
    maxConsecutiveLosses: z.number().int().positive().default(10),
    /** This many broker API errors within `apiErrorWindowSeconds` (sliding) open the breaker. */
    maxApiErrors: z.number().int().positive().default(3),
    apiErrorWindowSeconds: z.number().int().positive().default(60),
    /** This many order failures since the last reset open the breaker. */
    maxOrderFailures: z.number().int().positive().default(5),
    /** This many failed trades within `failedTradeWindowSeconds` (sliding) open the breaker. */
    maxFailedTrades: z.number().int().positive().default(5),
    failedTradeWindowSeconds: z.number().int().positive().default(3_600),
  })
  .refine((config) => config.dailyDrawdown < config.weeklyDrawdown, {
    message: "dailyDrawdown must be less than weeklyDrawdown",
    path: ["dailyDrawdown"],
  })
  .refine((config) => config.weeklyDrawdown < config.totalDrawdown, {
    message: "weeklyDrawdown must be less than totalDrawdown",
    path: ["weeklyDrawdown"],
  });

export type TradingBreakerConfig = z.infer<typeof tradingBreakerConfigSchema>;

export const DEFAULT_TRADING_BREAKER_CONFIG: TradingBreakerConfig =
  tradingBreakerConfigSchema.parse({});
