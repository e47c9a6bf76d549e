/** The governor's states, in the spec's names. */
export const GOVERNOR_STATUSES = ["NORMAL", "HALT", "PANIC", "RAMPUP"] as const;
export type GovernorStatus = (typeof GOVERNOR_STATUSES)[number];

/** The health checks run at cooldown end; a failed one is named in the extension event. */
export const HEALTH_CHECKS = [
  "reconciliation_passed",
  "market_data_fresh",
  "no_recent_duplicate_intents",
  "strategy_enabled",
] as const;
export type HealthCheckName = (typeof HEALTH_CHECKS)[number];

export const OVERRIDE_ACTIONS = ["force_resume", "reset"] as const;
export type OverrideAction = (typeof OVERRIDE_ACTIONS)[number];

/** Why RAMPUP began. */
export const RAMP_UP_CAUSES = ["health_checks_passed", "operator_force_resume"] as const;

/** Why NORMAL resumed. */
export const NORMAL_RESUME_CAUSES = ["rampup_completed", "operator_reset"] as const;
