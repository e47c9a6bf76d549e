import { z } from "zod";
import { parseConfig } from "../../config/parse-config.js";

const fraction = z.number().gt(0).lt(1);
const sessionCount = z.number().int().min(1);

/**
 * The governor's numbers (SPEC §2), every one a default. Cooldowns and ramp-up are counted in
 * trading sessions through the calendar port; the two windows of the health checks in hours.
 */
export const governorConfigSchema = z
  .object({
    /** Drawdown from the high-water mark at which new entries stop (HALT). */
    haltDrawdown: fraction.default(0.08),
    /** Drawdown at which the governor panics (PANIC wins over HALT). */
    panicDrawdown: fraction.default(0.1),
    haltCooldownSessions: sessionCount.default(10),
    panicCooldownSessions: sessionCount.default(20),
    /** Sessions added to the cooldown when a health check fails at its end. */
    healthCheckExtensionSessions: sessionCount.default(5),
    rampUpSessions: sessionCount.default(5),
    /** Sizing multiplier during RAMPUP. */
    rampUpSizing: z.number().gt(0).lte(1).default(0.5),
    /** On entering PANIC, request a flatten for every position held. */
    flattenOnPanic: z.boolean().default(true),
    /** Market data older than this at the health check fails `market_data_fresh`. */
    marketDataMaxAgeHours: z.number().positive().default(72),
    /** A duplicate intent more recent than this fails `no_recent_duplicate_intents`. */
    duplicateIntentWindowHours: z.number().positive().default(24),
  })
  .superRefine((config, context) => {
    if (config.haltDrawdown >= config.panicDrawdown) {
      context.addIssue({
        code: "custom",
        path: ["haltDrawdown"],
        message: `haltDrawdown (${config.haltDrawdown}) must be below panicDrawdown (${config.panicDrawdown})`,
      });
    }
  });

export type GovernorConfig = z.output<typeof governorConfigSchema>;
export type GovernorConfigInput = z.input<typeof governorConfigSchema>;

/** Parses a (partial) config, filling defaults; throws a RangeError naming each bad field and rule. */
export function parseGovernorConfig(input: GovernorConfigInput = {}): GovernorConfig {
  return parseConfig("governor", governorConfigSchema, input);
}

export const DEFAULT_GOVERNOR_CONFIG: GovernorConfig = parseGovernorConfig();
