import { z } from "zod";
import { parseConfig } from "../config/parse-config.js";

const fraction = z.number().gt(0).max(1);
const positiveRatio = z.number().gt(0);

/**
 * The risk limits (SPEC §9), every one a default. Weights and exposures are fractions of
 * post-trade equity. A strategy profile may override any of them (the reference strategy holds
 * up to 100% of one ETF): see `riskConfigSchema.profiles` and `riskLimitsFor`.
 */
const riskLimitFields = {
  /** Largest weight of one symbol (all strategies together). */
  maxSymbolWeight: positiveRatio,
  /** Largest total weight of one strategy's positions. */
  maxStrategyWeight: positiveRatio,
  /** Largest total weight of all positions (the allocation policy). */
  maxPortfolioWeight: positiveRatio,
  /** Most symbols held at once. */
  maxPositions: z.number().int().min(1),
  /** Largest portfolio heat: Σ weight × annualized volatility (see gates.ts). */
  maxPortfolioHeat: positiveRatio,
  /** Today's equity change at or below −this blocks new entries for the day. */
  dailyLossLimit: fraction,
  /** Largest gross exposure / equity (the hard cap a profile's allocation limits cannot pass). */
  maxGrossLeverage: positiveRatio,
  /** Smallest post-trade cash as a fraction of equity. */
  minCashFraction: z.number().min(0).lt(1),
  /** Largest share of the broker's buying power one order may use. */
  maxBuyingPowerUse: fraction,
  /** Confidence level of the one-day historical VaR. */
  varConfidence: z.number().gt(0.5).lt(1),
  /** Largest one-day VaR of the post-trade portfolio, as a fraction of equity. */
  maxValueAtRisk: fraction,
  /** How many of the most recent aligned daily returns the VaR simulation uses. */
  varLookbackDays: z.number().int().min(1),
  /** Fewer aligned returns than this fails `var_insufficient_history`. */
  varMinObservations: z.number().int().min(1),
  /** Daily volatility (σ of daily returns) above which a signal needs `minConfidenceWhenVolatile`. */
  maxDailyVolatility: fraction,
  minConfidenceWhenVolatile: fraction,
  /** Annualizes daily volatility for heat: σ_annual = σ_daily × √tradingDaysPerYear. */
  tradingDaysPerYear: z.number().int().min(1),
};

export const DEFAULT_RISK_LIMIT_VALUES = {
  maxSymbolWeight: 0.3,
  maxStrategyWeight: 0.6,
  maxPortfolioWeight: 0.9,
  maxPositions: 10,
  maxPortfolioHeat: 0.3,
  dailyLossLimit: 0.02,
  maxGrossLeverage: 2.0,
  minCashFraction: 0.05,
  maxBuyingPowerUse: 0.95,
  varConfidence: 0.95,
  maxValueAtRisk: 0.05,
  varLookbackDays: 250,
  varMinObservations: 20,
  maxDailyVolatility: 0.05,
  minConfidenceWhenVolatile: 0.8,
  tradingDaysPerYear: 252,
} as const satisfies { [K in keyof typeof riskLimitFields]: number };

type LimitsShape = {
  [K in keyof typeof riskLimitFields]: z.ZodDefault<(typeof riskLimitFields)[K]>;
};
const limitsWithDefaults = Object.fromEntries(
  Object.entries(riskLimitFields).map(([key, schema]) => [
    key,
    schema.default(DEFAULT_RISK_LIMIT_VALUES[key as keyof typeof riskLimitFields]),
  ]),
) as LimitsShape;

const checkOrdering = (
  limits: {
    maxSymbolWeight?: number | undefined;
    maxStrategyWeight?: number | undefined;
    maxPortfolioWeight?: number | undefined;
    varLookbackDays?: number | undefined;
    varMinObservations?: number | undefined;
  },
  context: z.RefinementCtx,
): void => {
  const {
    maxSymbolWeight: symbol,
    maxStrategyWeight: strategy,
    maxPortfolioWeight: portfolio,
  } = limits;
  if (symbol !== undefined && strategy !== undefined && symbol > strategy) {
    context.addIssue({
      code: "custom",
      path: ["maxSymbolWeight"],
      message: `maxSymbolWeight (${symbol}) must not exceed maxStrategyWeight (${strategy})`,
    });
  }
  if (strategy !== undefined && portfolio !== undefined && strategy > portfolio) {
    context.addIssue({
      code: "custom",
      path: ["maxStrategyWeight"],
      message: `maxStrategyWeight (${strategy}) must not exceed maxPortfolioWeight (${portfolio})`,
    });
  }
  const { varLookbackDays: lookback, varMinObservations: minimum } = limits;
  if (lookback !== undefined && minimum !== undefined && minimum > lookback) {
    context.addIssue({
      code: "custom",
      path: ["varMinObservations"],
      message: `varMinObservations (${minimum}) must not exceed varLookbackDays (${lookback})`,
    });
  }
};

/** One complete set of limits; per-symbol ≤ per-strategy ≤ portfolio (SPEC §9, §15). */
export const riskLimitsSchema = z.object(limitsWithDefaults).superRefine(checkOrdering);
export type RiskLimits = z.output<typeof riskLimitsSchema>;
export type RiskLimitsInput = z.input<typeof riskLimitsSchema>;

/** A strategy profile: any subset of the limits, laid over the account's limits. */
export const riskProfileSchema = z.object(riskLimitFields).partial();
export type RiskProfile = z.output<typeof riskProfileSchema>;

/**
 * Account limits plus per-strategy profiles. Each profile is checked merged over the account
 * limits, so a profile that raises the per-symbol limit to 100% must raise the others with it.
 */
export const riskConfigSchema = z
  .object({
    limits: riskLimitsSchema.default(DEFAULT_RISK_LIMIT_VALUES),
    profiles: z.record(z.string().min(1), riskProfileSchema).default({}),
  })
  .superRefine((config, context) => {
    for (const [strategy, profile] of Object.entries(config.profiles)) {
      const merged = riskLimitsSchema.safeParse({ ...config.limits, ...profile });
      for (const issue of merged.success ? [] : merged.error.issues) {
        context.addIssue({
          code: "custom",
          path: ["profiles", strategy, ...issue.path.map(String)],
          message: `profile ${strategy}: ${issue.message}`,
        });
      }
    }
  });

export type RiskConfig = z.output<typeof riskConfigSchema>;
export type RiskConfigInput = z.input<typeof riskConfigSchema>;

/** Parses a (partial) config, filling defaults; throws a RangeError naming each bad field and rule. */
export function parseRiskConfig(input: RiskConfigInput = {}): RiskConfig {
  return parseConfig("risk", riskConfigSchema, input);
}

export const DEFAULT_RISK_CONFIG: RiskConfig = parseRiskConfig();
export const DEFAULT_RISK_LIMITS: RiskLimits = DEFAULT_RISK_CONFIG.limits;

/** The limits that apply to one strategy: its profile laid over the account's limits. */
export function riskLimitsFor(config: RiskConfig, strategy: string): RiskLimits {
  const profile = Object.hasOwn(config.profiles, strategy) ? config.profiles[strategy] : undefined;
  if (!profile) return config.limits;
  const defined = Object.fromEntries(
    Object.entries(profile).filter(([, value]) => value !== undefined),
  );
  return { ...config.limits, ...defined };
}
