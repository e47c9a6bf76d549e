import { parseIsoInstant } from "../../ports/clock.js";
import type { HealthInputs } from "./commands.js";
import type { GovernorConfig } from "./config.js";
import type { HealthCheckResult } from "./events.js";

const HOUR_MS = 3_600_000;

function hoursBetween(earlier: string, later: string): number {
  return (parseIsoInstant(later) - parseIsoInstant(earlier)) / HOUR_MS;
}

/**
 * Judges the four resume checks at `at`, in a fixed order. Market data exactly at the age limit
 * still counts as fresh; a duplicate intent exactly at the window's edge no longer counts.
 */
export function evaluateHealthChecks(
  inputs: HealthInputs,
  at: string,
  config: Pick<GovernorConfig, "marketDataMaxAgeHours" | "duplicateIntentWindowHours">,
): HealthCheckResult[] {
  const dataAge =
    inputs.marketDataUpdatedAt === null ? null : hoursBetween(inputs.marketDataUpdatedAt, at);
  const duplicateAge =
    inputs.lastDuplicateIntentAt === null ? null : hoursBetween(inputs.lastDuplicateIntentAt, at);
  return [
    {
      name: "reconciliation_passed",
      passed: inputs.lastReconciliation === "PASS",
      detail:
        inputs.lastReconciliation === null
          ? "no reconciliation recorded"
          : `last reconciliation ${inputs.lastReconciliation}`,
    },
    {
      name: "market_data_fresh",
      passed: dataAge !== null && dataAge <= config.marketDataMaxAgeHours,
      detail:
        dataAge === null
          ? "no market data recorded"
          : `market data updated ${dataAge.toFixed(1)} h ago (limit ${config.marketDataMaxAgeHours} h)`,
    },
    {
      name: "no_recent_duplicate_intents",
      passed: duplicateAge === null || duplicateAge >= config.duplicateIntentWindowHours,
      detail:
        duplicateAge === null
          ? "no duplicate intent recorded"
          : `last duplicate intent ${duplicateAge.toFixed(1)} h ago (window ${config.duplicateIntentWindowHours} h)`,
    },
    {
      name: "strategy_enabled",
      passed: inputs.enabledStrategies >= 1,
      detail: `${inputs.enabledStrategies} ${inputs.enabledStrategies === 1 ? "strategy" : "strategies"} enabled`,
    },
  ];
}
