import { describe, expect, it } from "vitest";
import { DEFAULT_RISK_LIMITS, parseRiskConfig, riskLimitsFor } from "./config.js";

describe("risk config (SPEC §9)", () => {
  it("defaults to the spec's numbers", () => {
    expect(DEFAULT_RISK_LIMITS).toMatchObject({
      maxSymbolWeight: 0.3,
      maxStrategyWeight: 0.6,
      maxPortfolioWeight: 0.9,
      maxPositions: 10,
      maxPortfolioHeat: 0.3,
      dailyLossLimit: 0.02,
      maxGrossLeverage: 2,
      minCashFraction: 0.05,
      maxBuyingPowerUse: 0.95,
      varConfidence: 0.95,
      maxValueAtRisk: 0.05,
      maxDailyVolatility: 0.05,
      minConfidenceWhenVolatile: 0.8,
    });
  });

  it("refuses per-symbol > per-strategy > portfolio, naming the fields", () => {
    expect(() => parseRiskConfig({ limits: { maxSymbolWeight: 0.7 } })).toThrow(
      /maxSymbolWeight \(0.7\) must not exceed maxStrategyWeight \(0.6\)/,
    );
    expect(() => parseRiskConfig({ limits: { maxStrategyWeight: 0.95 } })).toThrow(
      /maxStrategyWeight \(0.95\) must not exceed maxPortfolioWeight \(0.9\)/,
    );
  });

  it("lets a strategy profile override limits: the reference strategy may hold 100% of one ETF", () => {
    const config = parseRiskConfig({
      profiles: {
        "v3.5b": { maxSymbolWeight: 1, maxStrategyWeight: 1, maxPortfolioWeight: 1 },
      },
    });
    expect(riskLimitsFor(config, "v3.5b")).toMatchObject({
      maxSymbolWeight: 1,
      maxPositions: 10,
      minCashFraction: 0.05,
    });
    expect(riskLimitsFor(config, "other")).toBe(config.limits);
  });

  it("checks each profile merged over the account limits, naming the profile", () => {
    expect(() => parseRiskConfig({ profiles: { "v3.5b": { maxSymbolWeight: 1 } } })).toThrow(
      /profile v3.5b: maxSymbolWeight \(1\) must not exceed maxStrategyWeight \(0.6\)/,
    );
  });

  it("refuses out-of-range values with the field's name", () => {
    expect(() => parseRiskConfig({ limits: { maxPositions: 0 } })).toThrow(/maxPositions/);
    expect(() => parseRiskConfig({ limits: { varConfidence: 1.5 } })).toThrow(/varConfidence/);
  });
});
