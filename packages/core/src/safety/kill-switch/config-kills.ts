import type { ActivateKill, ResetKill } from "./decider.js";
import { type KillSwitchState, killIdOf } from "./state.js";

/** The manual kill settings of the effective config (`TRADING_DISABLED`, `STRATEGY_DISABLED_LIST`). */
export interface ConfigKillSettings {
  readonly tradingDisabled: boolean;
  readonly strategyDisabledList: readonly string[];
}

/**
 * The commands that bring the config-sourced kills in line with the effective config: pull the
 * kills it asks for, lift the config kills it no longer asks for (the operator's config change is
 * the reset, recorded with operator "config"). Kills from any other source are left alone.
 */
export function configKillCommands(
  state: KillSwitchState,
  settings: ConfigKillSettings,
  at: string,
): (ActivateKill | ResetKill)[] {
  const commands: (ActivateKill | ResetKill)[] = [];
  const globalKillId = killIdOf({ kind: "global" }, "manual", "config");
  if (settings.tradingDisabled && !state.active[globalKillId]) {
    commands.push({
      type: "ActivateKill",
      scope: { kind: "global" },
      source: "config",
      operator: "config",
      reason: "TRADING_DISABLED=true",
      at,
    });
  }
  if (!settings.tradingDisabled && state.active[globalKillId]) {
    commands.push({
      type: "ResetKill",
      scope: { kind: "global" },
      cause: "manual",
      source: "config",
      operator: "config",
      reason: "TRADING_DISABLED is no longer set",
      at,
    });
  }
  const disabled = new Set(settings.strategyDisabledList.filter((name) => name.trim() !== ""));
  for (const strategy of [...disabled].sort()) {
    if (state.active[killIdOf({ kind: "strategy", strategy }, "manual", "config")]) continue;
    commands.push({
      type: "ActivateKill",
      scope: { kind: "strategy", strategy },
      source: "config",
      operator: "config",
      reason: `STRATEGY_DISABLED_LIST includes ${strategy}`,
      at,
    });
  }
  for (const kill of Object.values(state.active)) {
    if (kill.scope.kind !== "strategy" || kill.cause !== "manual" || kill.source !== "config") {
      continue;
    }
    if (disabled.has(kill.scope.strategy)) continue;
    commands.push({
      type: "ResetKill",
      scope: kill.scope,
      cause: "manual",
      source: "config",
      operator: "config",
      reason: `STRATEGY_DISABLED_LIST no longer includes ${kill.scope.strategy}`,
      at,
    });
  }
  return commands;
}
