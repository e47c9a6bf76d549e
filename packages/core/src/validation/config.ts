import { z } from "zod";
import { parseConfig } from "../config/parse-config.js";

/**
 * Post-market validation thresholds (SPEC §13): GREEN when the logic matches and every drift is
 * below `greenBelow` (0.2%); YELLOW when it matches and the largest drift is from `greenBelow` up
 * to and including `yellowUpTo` (0.5%); RED on a logic mismatch or a drift above `yellowUpTo`.
 * Drifts are fractions: 0.002 is 0.2%.
 */
export const validationConfigSchema = z
  .object({
    greenBelow: z.number().gt(0).default(0.002),
    yellowUpTo: z.number().gt(0).default(0.005),
    /** Target weights this close count as the same target (float noise, not a decision). */
    weightTolerance: z.number().nonnegative().max(0.01).default(1e-9),
    /** How many sessions the rolling statistics cover (the plan's 20). */
    rollingSessions: z.number().int().min(1).default(20),
  })
  .superRefine((config, context) => {
    if (!(config.greenBelow <= config.yellowUpTo)) {
      context.addIssue({
        code: "custom",
        path: ["yellowUpTo"],
        message: `validation thresholds must be ordered greenBelow (${config.greenBelow}) ≤ yellowUpTo (${config.yellowUpTo})`,
      });
    }
  });

export type ValidationConfig = z.output<typeof validationConfigSchema>;
export type ValidationConfigInput = z.input<typeof validationConfigSchema>;

/** Parses a (partial) config, filling defaults; throws a RangeError naming each bad field and rule. */
export function parseValidationConfig(input: ValidationConfigInput = {}): ValidationConfig {
  return parseConfig("validation", validationConfigSchema, input);
}

export const DEFAULT_VALIDATION_CONFIG: ValidationConfig = parseValidationConfig();
