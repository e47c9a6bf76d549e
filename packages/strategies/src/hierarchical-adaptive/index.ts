export { type Allocation, allocate, confidenceOf } from "./allocation.js";
export {
  BOND_TRENDS,
  type BondTrend,
  type CellWeights,
  DEFAULT_HIERARCHICAL_ADAPTIVE_PARAMS,
  EQUITY_TRENDS,
  type EquityTrend,
  type HierarchicalAdaptiveParams,
  type HierarchicalAdaptiveParamsInput,
  hierarchicalAdaptiveParamsSchema,
  historyBarsNeeded,
  INSUFFICIENT_HISTORY_REGIME,
  parseHierarchicalAdaptiveParams,
  REGIME_CELLS,
  type RegimeCell,
  regimeCell,
  VOLATILITY_STATES,
  type VolatilityState,
} from "./params.js";
export { HIERARCHICAL_ADAPTIVE_RISK_PROFILE } from "./risk-profile.js";
export { createHierarchicalAdaptive, HIERARCHICAL_ADAPTIVE_NAME } from "./strategy.js";
export {
  type BondTrendReading,
  type EquityTrendReading,
  readBondTrend,
  readEquityTrend,
} from "./trend.js";
export {
  isVolCrush,
  nextVolatilityState,
  readVolatility,
  type VolatilityObservation,
  type VolatilityReading,
  type VolatilityWalk,
  walkVolatilityState,
} from "./volatility.js";
