/**
 * Drawdown governor (SPEC §2): NORMAL / HALT / PANIC / RAMPUP as a pure decider.
 *
 * Rules. Drawdown = (peak − equity) / peak, peak = high-water mark of observed equity (cents).
 * NORMAL or RAMPUP → HALT at drawdown ≥ 8%, → PANIC at ≥ 10% (PANIC wins); HALT → PANIC when
 * it deepens to ≥ 10%, the cooldown restarting at the PANIC length. HALT and PANIC block new
 * entries (sizing 0) for 10 / 20 trading sessions. From the cooldown's end `RunHealthChecks`
 * judges: last reconciliation PASS, market data ≤ 72 h old, no duplicate intent in the last
 * 24 h, ≥ 1 strategy enabled. All pass → the high-water mark is re-based to current equity
 * (`GovernorPeakRebased`) and RAMPUP starts (sizing 0.5 for 5 sessions, then NORMAL); any fail →
 * `GovernorCooldownExtended` naming the failed checks, 5 sessions more. With flatten-on-panic,
 * entering PANIC requests a flatten for every non-zero position on the observation. Operator
 * overrides (`ForceResume` HALT/PANIC → RAMPUP, `ResetGovernor` any → NORMAL) need a name and a
 * reason, are recorded as `GovernorOverridden`, and re-base the high-water mark.
 *
 * Choices where the spec is silent:
 * - Counting: a state entered on session S ends on `calendar.addSessions(S, n)`, i.e. S counts
 *   as the first of its n sessions: HALT on S blocks S … S+9, checks may run on S+10; RAMPUP
 *   started on S sizes at 0.5 on S … S+4 and NORMAL resumes at the first observation on S+5.
 * - A failed check extends to `addSessions(check session, 5)`, so a late check (a missed run)
 *   never produces an end that is already past.
 * - Health checks are their own command, run by the caller when `healthChecksDue(state, session)`;
 *   re-basing uses the last observed equity (observe first in the same run).
 * - Flatten requests are emitted once, on entering PANIC; retrying unfilled flattens belongs to
 *   execution. Positions come in on `ObserveEquity` (signed quantity, negative = short).
 * - A breach takes precedence over finishing the ramp-up on the same observation.
 * - Commands must be for a calendar session, not earlier than the latest one decided on.
 * - Market data exactly at the 72 h limit counts as fresh; a duplicate exactly 24 h old no
 *   longer fails the check. `ResetGovernor` in NORMAL only re-bases the high-water mark (e.g.
 *   after a withdrawal), it does not emit `GovernorNormalResumed`.
 *
 * Arbitraries for property tests live in `./testing.ts` (not re-exported here, so fast-check
 * stays out of the runtime import graph).
 */
export {
  GOVERNOR_COMMAND_TYPES,
  type GovernorCommand,
  type GovernorCommandType,
  type GovernorRefusalCode,
  governorCommandSchema,
  type HealthInputs,
  healthInputsSchema,
} from "./commands.js";
export {
  DEFAULT_GOVERNOR_CONFIG,
  type GovernorConfig,
  type GovernorConfigInput,
  governorConfigSchema,
  parseGovernorConfig,
} from "./config.js";
export {
  createGovernor,
  type GovernorDecider,
  type GovernorOptions,
  type GovernorRefusal,
} from "./decider.js";
export { describeGovernor } from "./describe.js";
export * from "./events.js";
export { evaluateHealthChecks } from "./health-checks.js";
export {
  drawdownOf,
  evolveGovernor,
  type GovernorCooldown,
  type GovernorOverrideRecord,
  type GovernorRampUp,
  type GovernorState,
  governorAllowsEntries,
  healthChecksDue,
  INITIAL_GOVERNOR_STATE,
  sizingMultiplier,
} from "./state.js";
export * from "./status.js";
export { GOVERNOR_TABLE } from "./table.js";
