/**
 * Whether an order adds risk (opens or grows a position) or takes it away (reduces, exits,
 * flattens). Every safety block stops risk-increasing orders; only a kill at level `all`
 * stops risk-reducing ones, so exits keep working while trading is halted.
 */
export const ORDER_RISKS = ["risk_increasing", "risk_reducing"] as const;
export type OrderRisk = (typeof ORDER_RISKS)[number];
