import { formatPercent } from "../format.js";
import { assertCents, type Cents, formatCents } from "../money.js";
import type { OrderRisk } from "../safety/precedence/order.js";
import { decideOrderPermission, type SafetySnapshot } from "../safety/precedence/precedence.js";
import type { RiskLimits } from "./config.js";
import { denoise, lookup, requireFinite, requireFraction } from "./input-rules.js";
import {
  orderRiskOf,
  type PortfolioMetrics,
  portfolioMetrics,
  type RiskPortfolio,
} from "./portfolio.js";
import { historicalValueAtRisk } from "./value-at-risk.js";
import { GATE_PASSED, type GateVerdict, gateFailure } from "./verdict.js";

/** Everything the RISK stage needs to judge one signal's proposed trade. */
export interface RiskGateInput {
  readonly strategy: string;
  /** The symbol the order trades. */
  readonly symbol: string;
  /** The signal's confidence, 0..1. */
  readonly confidence: number;
  /** The account now, and as it would be once the order fills at its expected price. */
  readonly current: RiskPortfolio;
  readonly proposed: RiskPortfolio;
  /** Equity at the previous session's close: today's change is measured from it. */
  readonly dayStartEquityCents: Cents;
  /** The broker's buying power; a cash account's is its cash (the default). */
  readonly buyingPowerCents?: Cents;
  /** σ of daily returns per symbol (a fraction, not annualized), for every symbol held after the trade. */
  readonly dailyVolatility: Readonly<Record<string, number>>;
  /** Aligned daily returns per symbol, oldest first, for every symbol held after the trade. */
  readonly dailyReturns: Readonly<Record<string, readonly number[]>>;
  /** The safety layers: kill switch, trading breaker, governor (SPEC §3). */
  readonly safety: SafetySnapshot;
}

/** The input with both portfolios measured once, and whether the order adds risk. */
export interface RiskContext {
  readonly input: RiskGateInput;
  readonly before: PortfolioMetrics;
  readonly after: PortfolioMetrics;
  readonly risk: OrderRisk;
}

export function buildRiskContext(input: RiskGateInput): RiskContext {
  requireFraction(input.confidence, "confidence");
  const before = portfolioMetrics(input.current, "current");
  const after = portfolioMetrics(input.proposed, "proposed");
  return { input, before, after, risk: orderRiskOf(before, after, input.symbol) };
}

/** A fraction of equity; anything held against equity ≤ 0 counts as unlimited. */
function weight(cents: number, equityCents: Cents): number {
  if (equityCents > 0) return denoise(cents / equityCents);
  return cents === 0 ? 0 : Number.POSITIVE_INFINITY;
}

const pct = formatPercent;

/** The safety precedence (kill switch > breaker > governor) for this order. */
export function safetyGate(context: RiskContext): GateVerdict {
  const { strategy, symbol, safety } = context.input;
  const permission = decideOrderPermission(safety, { strategy, symbol, risk: context.risk });
  if (permission.allowed) return GATE_PASSED;
  const { code, message, detail, layer } = permission.reason;
  return gateFailure(code, message, { ...detail, layer });
}

export function symbolLimitGate(context: RiskContext, limits: RiskLimits): GateVerdict {
  const { symbol } = context.input;
  const value = Math.abs(context.after.symbolValueCents.get(symbol) ?? 0);
  const symbolWeight = weight(value, context.after.equityCents);
  if (symbolWeight <= limits.maxSymbolWeight) return GATE_PASSED;
  return gateFailure(
    "position_limit_symbol",
    `${symbol} weight ${pct(symbolWeight)} > per-symbol limit ${pct(limits.maxSymbolWeight)}`,
    { symbol, weight: symbolWeight, limit: limits.maxSymbolWeight, valueCents: value },
  );
}

export function strategyLimitGate(context: RiskContext, limits: RiskLimits): GateVerdict {
  const { strategy } = context.input;
  const gross = context.after.strategyGrossCents.get(strategy) ?? 0;
  const strategyWeight = weight(gross, context.after.equityCents);
  if (strategyWeight <= limits.maxStrategyWeight) return GATE_PASSED;
  return gateFailure(
    "position_limit_strategy",
    `strategy ${strategy} weight ${pct(strategyWeight)} > per-strategy limit ${pct(limits.maxStrategyWeight)}`,
    { strategy, weight: strategyWeight, limit: limits.maxStrategyWeight, grossCents: gross },
  );
}

export function portfolioLimitGate(context: RiskContext, limits: RiskLimits): GateVerdict {
  const invested = weight(context.after.grossExposureCents, context.after.equityCents);
  if (invested <= limits.maxPortfolioWeight) return GATE_PASSED;
  return gateFailure(
    "position_limit_portfolio",
    `portfolio invested ${pct(invested)} > portfolio limit ${pct(limits.maxPortfolioWeight)}`,
    { weight: invested, limit: limits.maxPortfolioWeight },
  );
}

export function positionCountGate(context: RiskContext, limits: RiskLimits): GateVerdict {
  const count = context.after.heldSymbols.length;
  if (count <= limits.maxPositions) return GATE_PASSED;
  return gateFailure("position_limit_count", `${count} positions > limit ${limits.maxPositions}`, {
    positions: count,
    limit: limits.maxPositions,
    symbols: context.after.heldSymbols,
  });
}

/**
 * Portfolio heat = Σ over held symbols of |position value| / equity × that symbol's annualized
 * volatility (σ_daily × √tradingDaysPerYear): the fraction of equity a one-σ year would move,
 * with no credit for diversification. Chosen over "loss to each stop" because signals carry no
 * stop prices while volatility is always known; it charges a 3× ETF three times an index fund.
 * E.g. 30% in each of three assets at 60% annual σ is heat 54% (> 30%); 90% of a 20% σ index is 18%.
 */
export function portfolioHeat(
  metrics: PortfolioMetrics,
  dailyVolatility: Readonly<Record<string, number>>,
  tradingDaysPerYear: number,
): { heat: number; contributions: Record<string, number> } {
  const annualize = Math.sqrt(tradingDaysPerYear);
  const contributions: Record<string, number> = {};
  let heat = 0;
  for (const symbol of metrics.heldSymbols) {
    const sigma = lookup(dailyVolatility, symbol, "dailyVolatility");
    if (!Number.isFinite(sigma) || sigma < 0) {
      throw new RangeError(
        `dailyVolatility of ${symbol} must be a finite number ≥ 0, got ${sigma}`,
      );
    }
    const value = Math.abs(metrics.symbolValueCents.get(symbol) ?? 0);
    const contribution = weight(value, metrics.equityCents) * sigma * annualize;
    contributions[symbol] = contribution;
    heat += contribution;
  }
  return { heat: denoise(heat), contributions };
}

export function heatGate(context: RiskContext, limits: RiskLimits): GateVerdict {
  const { heat, contributions } = portfolioHeat(
    context.after,
    context.input.dailyVolatility,
    limits.tradingDaysPerYear,
  );
  if (heat <= limits.maxPortfolioHeat) return GATE_PASSED;
  return gateFailure(
    "portfolio_heat_exceeded",
    `portfolio heat ${pct(heat)} > limit ${pct(limits.maxPortfolioHeat)}`,
    { heat, limit: limits.maxPortfolioHeat, contributions },
  );
}

/** Today's equity change at or below −dailyLossLimit blocks new entries for the rest of the day. */
export function dailyLossGate(context: RiskContext, limits: RiskLimits): GateVerdict {
  const start = assertCents(context.input.dayStartEquityCents, "dayStartEquityCents");
  if (start <= 0) throw new RangeError(`dayStartEquityCents must be > 0, got ${start}`);
  const now = context.before.equityCents;
  const change = denoise((now - start) / start);
  if (change > -limits.dailyLossLimit) return GATE_PASSED;
  return gateFailure(
    "daily_loss_limit",
    `equity ${pct(change)} today (${formatCents(start)} → ${formatCents(now)}) ≤ daily loss limit ${pct(-limits.dailyLossLimit)}: new entries blocked for the day`,
    { change, limit: limits.dailyLossLimit, dayStartEquityCents: start, equityCents: now },
  );
}

/** Gross leverage = Σ |position value| / equity after the trade. */
export function leverageGate(context: RiskContext, limits: RiskLimits): GateVerdict {
  const leverage = weight(context.after.grossExposureCents, context.after.equityCents);
  if (leverage <= limits.maxGrossLeverage) return GATE_PASSED;
  return gateFailure(
    "leverage",
    `gross leverage ${leverage.toFixed(2)}× > limit ${limits.maxGrossLeverage.toFixed(2)}×`,
    { leverage, limit: limits.maxGrossLeverage },
  );
}

export function minCashGate(context: RiskContext, limits: RiskLimits): GateVerdict {
  const { cashCents, equityCents } = context.after;
  const cashWeight = equityCents > 0 ? denoise(cashCents / equityCents) : 0;
  if (cashWeight >= limits.minCashFraction) return GATE_PASSED;
  return gateFailure(
    "min_cash",
    `cash after the trade ${formatCents(cashCents)} is ${pct(cashWeight)} of equity < minimum ${pct(limits.minCashFraction)}`,
    { cashCents, equityCents, cashFraction: cashWeight, limit: limits.minCashFraction },
  );
}

/** The cash the order spends may use at most `maxBuyingPowerUse` of the buying power. */
export function buyingPowerGate(context: RiskContext, limits: RiskLimits): GateVerdict {
  const spent = context.before.cashCents - context.after.cashCents;
  if (spent <= 0) return GATE_PASSED;
  const buyingPower = assertCents(
    context.input.buyingPowerCents ?? context.before.cashCents,
    "buyingPowerCents",
  );
  const usable = Math.floor(buyingPower * limits.maxBuyingPowerUse);
  if (spent <= usable) return GATE_PASSED;
  return gateFailure(
    "insufficient_buying_power",
    `order needs ${formatCents(spent)} > ${pct(limits.maxBuyingPowerUse)} of buying power ${formatCents(buyingPower)} (${formatCents(usable)})`,
    { spentCents: spent, buyingPowerCents: buyingPower, usableCents: usable },
  );
}

export function valueAtRiskGate(context: RiskContext, limits: RiskLimits): GateVerdict {
  const { after } = context;
  const result = historicalValueAtRisk(
    after.symbolValueCents,
    context.input.dailyReturns,
    limits.varConfidence,
    limits.varLookbackDays,
  );
  if (after.heldSymbols.length > 0 && result.observations < limits.varMinObservations) {
    return gateFailure(
      "var_insufficient_history",
      `only ${result.observations} aligned daily returns for VaR < minimum ${limits.varMinObservations}`,
      { observations: result.observations, minimum: limits.varMinObservations },
    );
  }
  const varFraction = weight(result.valueAtRisk, after.equityCents);
  if (varFraction <= limits.maxValueAtRisk) return GATE_PASSED;
  return gateFailure(
    "var_limit",
    `1-day ${pct(limits.varConfidence)} VaR ${formatCents(Math.round(result.valueAtRisk))} is ${pct(varFraction)} of equity > limit ${pct(limits.maxValueAtRisk)}`,
    {
      varCents: Math.round(result.valueAtRisk),
      varFraction,
      limit: limits.maxValueAtRisk,
      confidence: limits.varConfidence,
      observations: result.observations,
      rank: result.rank,
    },
  );
}

/** A volatile asset (daily σ > maxDailyVolatility) needs confidence ≥ minConfidenceWhenVolatile. */
export function volatilityConfidenceGate(context: RiskContext, limits: RiskLimits): GateVerdict {
  const { symbol, confidence } = context.input;
  const sigma = requireFinite(
    lookup(context.input.dailyVolatility, symbol, "dailyVolatility"),
    `dailyVolatility of ${symbol}`,
  );
  if (denoise(sigma) <= limits.maxDailyVolatility) return GATE_PASSED;
  if (confidence >= limits.minConfidenceWhenVolatile) return GATE_PASSED;
  return gateFailure(
    "low_confidence_high_volatility",
    `${symbol} daily volatility ${pct(sigma)} > ${pct(limits.maxDailyVolatility)} and confidence ${confidence} < ${limits.minConfidenceWhenVolatile}`,
    {
      symbol,
      dailyVolatility: sigma,
      volatilityLimit: limits.maxDailyVolatility,
      confidence,
      minConfidence: limits.minConfidenceWhenVolatile,
    },
  );
}
