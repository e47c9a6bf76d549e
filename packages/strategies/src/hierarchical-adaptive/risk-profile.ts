import type { RiskProfile } from "@trader/core";

/**
 * The risk limits this strategy is designed for (the plan's Titan config): it holds up to the
 * whole account in one 3× ETF, so the engine's default per-symbol 30% / per-strategy 60% /
 * portfolio 90% limits, 30% heat and 5% VaR would stop every bull-cell order. Minimum cash (5%)
 * and gross leverage (2.0) stay as the account defaults. Pass it as
 * `risk.profiles["hierarchical-adaptive-v3.5b"]` in the pipeline config.
 */
export const HIERARCHICAL_ADAPTIVE_RISK_PROFILE: RiskProfile = {
  maxSymbolWeight: 1,
  maxStrategyWeight: 1,
  maxPortfolioWeight: 1,
  maxPositions: 4,
  /** 95% of equity in an asset with ~60% annual volatility is ~0.57 of heat. */
  maxPortfolioHeat: 1,
  /** A 3× Nasdaq ETF's one-day 95% VaR is ~6–8% of the position. */
  maxValueAtRisk: 0.12,
};
