import type { OrderRisk } from "../safety/precedence/order.js";
import { DEFAULT_RISK_LIMITS, type RiskLimits } from "./config.js";
import {
  buildRiskContext,
  buyingPowerGate,
  dailyLossGate,
  heatGate,
  leverageGate,
  minCashGate,
  portfolioLimitGate,
  positionCountGate,
  type RiskContext,
  type RiskGateInput,
  safetyGate,
  strategyLimitGate,
  symbolLimitGate,
  valueAtRiskGate,
  volatilityConfidenceGate,
} from "./gates.js";
import type { GateFailure, GateVerdict } from "./verdict.js";

/**
 * The RISK stage's gates in the order they run; the first failure is the signal's one reason.
 * Safety first (kill switch > breaker > governor, SPEC §3), then the position limits
 * (symbol, strategy, portfolio, count), heat, daily loss, leverage, min cash, buying power,
 * VaR, volatility/confidence.
 */
export const RISK_GATE_ORDER = [
  "safety",
  "position_limit_symbol",
  "position_limit_strategy",
  "position_limit_portfolio",
  "position_limit_count",
  "portfolio_heat",
  "daily_loss",
  "leverage",
  "min_cash",
  "buying_power",
  "value_at_risk",
  "volatility_confidence",
] as const;
export type RiskGateName = (typeof RISK_GATE_ORDER)[number];

/**
 * Which gates judge a risk-reducing order (an exit or a trim): only the safety layer, where
 * nothing but a kill at level `all` stops it. Every other gate limits new risk; an exit must
 * never be blocked by them, even when the account is already past a limit (that is when the
 * exit matters most).
 */
export const GATES_FOR_RISK_REDUCING: readonly RiskGateName[] = ["safety"];

const GATES: Record<RiskGateName, (context: RiskContext, limits: RiskLimits) => GateVerdict> = {
  safety: safetyGate,
  position_limit_symbol: symbolLimitGate,
  position_limit_strategy: strategyLimitGate,
  position_limit_portfolio: portfolioLimitGate,
  position_limit_count: positionCountGate,
  portfolio_heat: heatGate,
  daily_loss: dailyLossGate,
  leverage: leverageGate,
  min_cash: minCashGate,
  buying_power: buyingPowerGate,
  value_at_risk: valueAtRiskGate,
  volatility_confidence: volatilityConfidenceGate,
};

/** One gate's outcome, for the audit: its verdict, or why it did not apply. */
export type RiskGateRecord =
  | { readonly gate: RiskGateName; readonly verdict: GateVerdict }
  | { readonly gate: RiskGateName; readonly notApplicable: "risk_reducing" };

export type RiskGatesResult =
  | { readonly pass: true; readonly risk: OrderRisk; readonly gates: readonly RiskGateRecord[] }
  | (GateFailure & {
      readonly risk: OrderRisk;
      /** The gate that stopped the signal: the first failure in `RISK_GATE_ORDER`. */
      readonly gate: RiskGateName;
      readonly gates: readonly RiskGateRecord[];
    });

/**
 * Runs every gate that applies, in `RISK_GATE_ORDER`, over the proposed post-trade portfolio,
 * and returns the first failure (exactly one reason) with every gate's verdict for the audit.
 * `limits` are the strategy's: use `riskLimitsFor(config, strategy)` for its profile.
 */
export function runRiskGates(
  input: RiskGateInput,
  limits: RiskLimits = DEFAULT_RISK_LIMITS,
): RiskGatesResult {
  const context = buildRiskContext(input);
  const applies = (gate: RiskGateName) =>
    context.risk === "risk_increasing" || GATES_FOR_RISK_REDUCING.includes(gate);
  const gates: RiskGateRecord[] = RISK_GATE_ORDER.map((gate) =>
    applies(gate)
      ? { gate, verdict: GATES[gate](context, limits) }
      : { gate, notApplicable: "risk_reducing" as const },
  );
  for (const record of gates) {
    if ("verdict" in record && !record.verdict.pass) {
      return { ...record.verdict, risk: context.risk, gate: record.gate, gates };
    }
  }
  return { pass: true, risk: context.risk, gates };
}
