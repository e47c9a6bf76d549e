import { z } from "zod";

export const KILL_LEVELS = ["entries", "all"] as const;
/** `entries`: risk-increasing orders blocked, exits and flattening allowed; `all`: every order blocked. */
export type KillLevel = (typeof KILL_LEVELS)[number];
export const killLevelSchema = z.enum(KILL_LEVELS);

/** The kill switch's numbers (SPEC §3). Every one is a default a deployment may override. */
export const killSwitchConfigSchema = z
  .object({
    /** Level of a manual kill whose command names none (the runbook's default). */
    defaultManualLevel: killLevelSchema.default("entries"),
    /** Level of every automatic kill. */
    automaticLevel: killLevelSchema.default("entries"),
    /** How many of the most recent orders the rejection rate is computed over. */
    rejectionWindowOrders: z.number().int().positive().default(20),
    /** At least this many rejected orders in the window … */
    minRejectedOrders: z.number().int().positive().default(5),
    /** … and strictly more than this fraction of the window rejected, trip the kill. */
    maxRejectionRate: z.number().min(0).max(1).default(0.5),
    /** This many failed runs in a row trip the kill. */
    maxConsecutiveFailedRuns: z.number().int().positive().default(3),
  })
  .refine((config) => config.minRejectedOrders <= config.rejectionWindowOrders, {
    message:
      "minRejectedOrders must be ≤ rejectionWindowOrders, or the rejection kill can never trip",
    path: ["minRejectedOrders"],
  });

export type KillSwitchConfig = z.infer<typeof killSwitchConfigSchema>;

export const DEFAULT_KILL_SWITCH_CONFIG: KillSwitchConfig = killSwitchConfigSchema.parse({});
