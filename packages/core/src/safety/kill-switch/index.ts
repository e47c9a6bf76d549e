/**
 * Kill switch (SPEC §3): stops trading globally or per strategy until someone (or something)
 * lifts it.
 *
 * - Manual kills (`ActivateKill`) come from the config (`TRADING_DISABLED`,
 *   `STRATEGY_DISABLED_LIST`), the CLI, the control API or the emergency exit (`source`), and
 *   need an operator and a reason. `configKillCommands` turns the effective config into the
 *   commands that pull or lift the config's own kills.
 * - Automatic kills (global): a failed reconciliation; a duplicate intent; more than 50% of the
 *   last 20 orders rejected with at least 5 rejected; 3 failed runs in a row.
 * - Levels: `entries` (default: risk-increasing orders blocked, exits and flattening allowed)
 *   and `all` (every order blocked; what the emergency exit sets once flat).
 * - A reconciliation-failure kill lifts itself when a later reconciliation passes and cannot
 *   be reset by hand; every other kill needs `ResetKill` with operator and reason.
 *
 * Choices where the spec is silent:
 * - Several kills coexist, one per (scope, cause), and for manual kills per source too, so
 *   removing `TRADING_DISABLED` never lifts a kill pulled from the CLI. A strategy's effective
 *   level is the strictest of the global kills and its own (`effectiveKillLevel`).
 * - The rejection window is the last `rejectionWindowOrders` (20) order outcomes, across runs,
 *   counting each intent once: daily runs place few orders, so a per-run window would rarely
 *   reach 5 rejections.
 * - A reset lifts every matching kill on exactly the named scope (global does not reset
 *   per-strategy kills); it may be narrowed by cause and source. Resetting a rejection or
 *   failed-run kill also clears its evidence, so the next outcome does not trip it again.
 * - Automatic kills are global and use one configurable level (`entries`). Pulling a kill that
 *   is already active at the same or a stricter level changes nothing; to lower a level, reset.
 * - `failed` runs are those that crashed or failed pre-flight; "no trade" and "market closed"
 *   succeed. A successful run ends the streak.
 */
export {
  DEFAULT_KILL_SWITCH_CONFIG,
  KILL_LEVELS,
  type KillLevel,
  type KillSwitchConfig,
  killLevelSchema,
  killSwitchConfigSchema,
} from "./config.js";
export { type ConfigKillSettings, configKillCommands } from "./config-kills.js";
export {
  createKillSwitch,
  type KillSwitchCommand,
  type KillSwitchCommandType,
  type KillSwitchDecider,
  type KillSwitchRefusal,
  type KillSwitchRefusalCode,
} from "./decider.js";
export {
  AUTOMATIC_KILL_CAUSES,
  type AutomaticKillCause,
  KILL_CAUSES,
  KILL_SOURCES,
  KILL_SWITCH_EVENTS,
  type KillCause,
  type KillScope,
  type KillSource,
  KillSwitchActivated,
  KillSwitchCleared,
  type KillSwitchEvent,
  KillSwitchOrderOutcomeRecorded,
  KillSwitchReset,
  KillSwitchRunOutcomeRecorded,
  killCauseSchema,
  killScopeSchema,
  killSourceSchema,
  MANUAL_KILL_SOURCES,
  type ManualKillSource,
} from "./events.js";
export {
  type ActiveKill,
  effectiveKillLevel,
  INITIAL_KILL_SWITCH_STATE,
  KILL_SWITCH_STATUSES,
  type KillSwitchBlock,
  type KillSwitchState,
  type KillSwitchStatus,
  killIdOf,
  killSwitchBlocks,
  killSwitchStatus,
  killsApplyingTo,
} from "./state.js";
export { KILL_SWITCH_TABLE } from "./table.js";
