/**
 * Execution maths the runtime calls (SPEC §9–§10): the rebalance planner (target weights →
 * whole-share orders, sells first), slippage classification and broker reconciliation.
 */
export * from "./rebalance-planner.js";
export * from "./reconciliation.js";
export * from "./slippage.js";
