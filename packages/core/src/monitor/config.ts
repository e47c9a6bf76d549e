import { z } from "zod";
import { parseConfig } from "../config/parse-config.js";

/** A loss or gain as a positive fraction: 0.02 means 2%. */
const lossFraction = z.number().gt(0).lt(1);
const gainFraction = z.number().gt(0).finite();

/**
 * What a strategy profile may override: whether its positions are watched at all, and the
 * per-position thresholds. The portfolio thresholds, the interval and the position count are
 * account-wide (there is one portfolio and one monitor), so they are not per profile.
 */
const profileFields = {
  /** Watch this strategy's positions (off for strategies that only rebalance at the close). */
  enabled: z.boolean(),
  /** Exit a position whose price has moved this far against it from the entry price. */
  stopLoss: lossFraction,
  /** Exit a position whose price has moved this far in its favour from the entry price. */
  takeProfit: gainFraction,
};

export const DEFAULT_MONITOR_VALUES = {
  enabled: false,
  stopLoss: 0.02,
  takeProfit: 0.05,
  portfolioStopLoss: 0.02,
  portfolioTakeProfit: 0.05,
  intervalMinutes: 1,
  maxPositions: 2,
} as const;

/** One strategy's override of the account's monitor settings; any subset of the fields. */
export const monitorProfileSchema = z.object(profileFields).partial();
export type MonitorProfile = z.output<typeof monitorProfileSchema>;

/**
 * The intraday monitor (SPEC §17; verification report §3, §5), every number a default. Between
 * decision runs it watches open positions every `intervalMinutes`: a position exits at
 * `stopLoss` below or `takeProfit` above its entry price; every watched position exits when the
 * account's equity is `portfolioStopLoss` below or `portfolioTakeProfit` above the session's
 * starting equity. At most `maxPositions` positions get the per-position watch. Off unless
 * enabled, for the account (`enabled`) or per strategy (`profiles.<name>.enabled`).
 */
export const monitorConfigSchema = z.object({
  enabled: profileFields.enabled.default(DEFAULT_MONITOR_VALUES.enabled),
  stopLoss: profileFields.stopLoss.default(DEFAULT_MONITOR_VALUES.stopLoss),
  takeProfit: profileFields.takeProfit.default(DEFAULT_MONITOR_VALUES.takeProfit),
  /** Exit every watched position at this fall of equity from the session's start (0.02 = −2%). */
  portfolioStopLoss: lossFraction.default(DEFAULT_MONITOR_VALUES.portfolioStopLoss),
  /** Exit every watched position at this rise of equity from the session's start (0.05 = +5%). */
  portfolioTakeProfit: gainFraction.default(DEFAULT_MONITOR_VALUES.portfolioTakeProfit),
  /** Minutes between two looks during the session (a scheduler's setting; 390 is one session). */
  intervalMinutes: z.number().int().min(1).max(390).default(DEFAULT_MONITOR_VALUES.intervalMinutes),
  /** Most positions under the per-position watch at once (the verification report's 2). */
  maxPositions: z.number().int().min(1).default(DEFAULT_MONITOR_VALUES.maxPositions),
  /** Per-strategy overrides: strategy name → `enabled`, `stopLoss`, `takeProfit`. */
  profiles: z.record(z.string().min(1), monitorProfileSchema).default({}),
});

export type MonitorConfig = z.output<typeof monitorConfigSchema>;
export type MonitorConfigInput = z.input<typeof monitorConfigSchema>;

/** Parses a (partial) config, filling defaults; throws a RangeError naming each bad field and rule. */
export function parseMonitorConfig(input: MonitorConfigInput = {}): MonitorConfig {
  return parseConfig("monitor", monitorConfigSchema, input);
}

export const DEFAULT_MONITOR_CONFIG: MonitorConfig = parseMonitorConfig();

/** The per-position settings that apply to one strategy's positions: its profile over the account's. */
export interface StrategyMonitorSettings {
  readonly enabled: boolean;
  readonly stopLoss: number;
  readonly takeProfit: number;
}

export function monitorSettingsFor(
  config: MonitorConfig,
  strategy: string,
): StrategyMonitorSettings {
  const profile = Object.hasOwn(config.profiles, strategy) ? config.profiles[strategy] : undefined;
  return {
    enabled: profile?.enabled ?? config.enabled,
    stopLoss: profile?.stopLoss ?? config.stopLoss,
    takeProfit: profile?.takeProfit ?? config.takeProfit,
  };
}
