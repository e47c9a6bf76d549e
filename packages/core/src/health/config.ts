import { z } from "zod";
import { parseConfig } from "../config/parse-config.js";

const points = z.number().min(0).max(100);

/** Strategy health scoring (SPEC §11, seed safety implementation §7), every number a default. */
export const healthConfigSchema = z
  .object({
    shortWindowDays: z.number().int().min(1).default(7),
    longWindowDays: z.number().int().min(1).default(30),
    /** Fewer closed trades than this in the long window: "insufficient data", no score. */
    minTrades: z.number().int().min(1).default(5),
    /** A rejection rate at or above this earns no rejection points. */
    maxRejectionRate: z.number().gt(0).max(1).default(0.8),
    /** Expectancy (mean P&L per trade, cents) at or below this earns no expectancy points. */
    minExpectancyCents: z.number().default(0),
    /** Closed trades in the long window that earn the full activity points. */
    fullActivityTrades: z.number().int().min(1).default(10),
    /** Profit factor (gross wins / gross losses) that earns the full expectancy points. */
    fullProfitFactor: z.number().gt(1).default(1.5),
    /** A drawdown (fraction of capital) at or above this earns no drawdown points. */
    maxDrawdown: z.number().gt(0).max(1).default(0.1),
    points: z
      .object({
        activity: points.default(30),
        expectancy: points.default(30),
        rejectionRate: points.default(20),
        drawdown: points.default(20),
      })
      .default({ activity: 30, expectancy: 30, rejectionRate: 20, drawdown: 20 }),
    /** Score thresholds: HEALTHY ≥ 80, WARNING ≥ 60, DEGRADED ≥ 40, else CRITICAL. */
    healthyFrom: points.default(80),
    warningFrom: points.default(60),
    degradedFrom: points.default(40),
  })
  .superRefine((config, context) => {
    const issue = (path: string, message: string) =>
      context.addIssue({ code: "custom", path: [path], message });
    if (config.shortWindowDays >= config.longWindowDays) {
      issue(
        "shortWindowDays",
        `shortWindowDays (${config.shortWindowDays}) must be below longWindowDays (${config.longWindowDays})`,
      );
    }
    if (config.minTrades > config.fullActivityTrades) {
      issue(
        "minTrades",
        `minTrades (${config.minTrades}) must not exceed fullActivityTrades (${config.fullActivityTrades})`,
      );
    }
    const total = Object.values(config.points).reduce((a, b) => a + b, 0);
    if (total !== 100) issue("points", `points must add up to 100, got ${total}`);
    if (!(config.degradedFrom < config.warningFrom && config.warningFrom < config.healthyFrom)) {
      issue(
        "warningFrom",
        `status thresholds must be ordered degradedFrom (${config.degradedFrom}) < warningFrom (${config.warningFrom}) < healthyFrom (${config.healthyFrom})`,
      );
    }
  });

export type HealthConfig = z.output<typeof healthConfigSchema>;
export type HealthConfigInput = z.input<typeof healthConfigSchema>;

/** Parses a (partial) config, filling defaults; throws a RangeError naming each bad field and rule. */
export function parseHealthConfig(input: HealthConfigInput = {}): HealthConfig {
  return parseConfig("health", healthConfigSchema, input);
}

export const DEFAULT_HEALTH_CONFIG: HealthConfig = parseHealthConfig();
