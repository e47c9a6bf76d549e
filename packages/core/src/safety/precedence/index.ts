/**
 * Order permission across the safety layers (SPEC §3 precedence): one pure function,
 * `decideOrderPermission(safety, order)`, says whether an order may go ahead and, if not, the
 * single highest-precedence reason: kill switch (`kill_switch`, `strategy_disabled`) > trading
 * circuit breaker (`circuit_open`) > drawdown governor (`drawdown_halt`, `drawdown_panic`) >
 * position limits (`position_limit_*`). Risk-reducing orders pass everything except a kill at
 * level `all`.
 *
 * Choices where the spec is silent:
 * - A global kill outranks a strategy's own kill in the reason (`kill_switch` before
 *   `strategy_disabled`); both are the kill-switch layer.
 * - The governor is taken structurally (`{ status, detail? }`), so this module does not depend
 *   on the governor's; RAMPUP allows orders (its 0.5 sizing is applied by sizing, not here).
 * - The other blocking codes are kept in `reason.detail.alsoBlockedBy`, for why-no-trade.
 */

export { SAFETY_AT_REST } from "./at-rest.js";
export { governorView } from "./governor-view.js";
export { ORDER_RISKS, type OrderRisk } from "./order.js";
export {
  decideOrderPermission,
  type GovernorView,
  type OrderBlockCode,
  type OrderBlockReason,
  type OrderPermission,
  type OrderToPermit,
  type PositionLimitCode,
  type PositionLimitsView,
  SAFETY_PRECEDENCE,
  type SafetyLayer,
  type SafetySnapshot,
  safetyBlocks,
} from "./precedence.js";
