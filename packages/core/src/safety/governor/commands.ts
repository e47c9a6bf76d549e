import { z } from "zod";
import type { OperatorActionRefusalCode } from "../operator-action.js";

const at = z.iso.datetime();
const session = z.iso.date();
const when = { at, session };

export const positionSchema = z.object({
  symbol: z.string().min(1),
  /** Signed: negative for a short. */
  quantity: z.number().finite(),
});

/** One run's observation: account equity (integer cents) and the positions held. */
export const observeEquitySchema = z.object({
  type: z.literal("ObserveEquity"),
  ...when,
  equity: z.number().int().nonnegative(),
  positions: z
    .array(positionSchema)
    .refine(
      (positions) => new Set(positions.map((p) => p.symbol)).size === positions.length,
      "each symbol may appear once",
    ),
});

/** The facts the health checks judge; the governor applies the windows from its config. */
export const healthInputsSchema = z.object({
  /** The last reconciliation's result, or null when none ran. */
  lastReconciliation: z.enum(["PASS", "FAIL"]).nullable(),
  marketDataUpdatedAt: at.nullable(),
  /** When the last duplicate intent was detected, or null when never. */
  lastDuplicateIntentAt: at.nullable(),
  enabledStrategies: z.number().int().nonnegative(),
});
export type HealthInputs = z.infer<typeof healthInputsSchema>;

/** At or after cooldown end: judge the health checks (RAMPUP when all pass, else extend). */
export const runHealthChecksSchema = z.object({
  type: z.literal("RunHealthChecks"),
  ...when,
  health: healthInputsSchema,
});

/** Operator override: skip the rest of HALT/PANIC and go to RAMPUP. */
export const forceResumeSchema = z.object({
  type: z.literal("ForceResume"),
  ...when,
  operator: z.string(),
  reason: z.string(),
});

/** Operator override: back to NORMAL from any state, high-water mark re-based. */
export const resetGovernorSchema = z.object({
  type: z.literal("ResetGovernor"),
  ...when,
  operator: z.string(),
  reason: z.string(),
});

export const governorCommandSchema = z.discriminatedUnion("type", [
  observeEquitySchema,
  runHealthChecksSchema,
  forceResumeSchema,
  resetGovernorSchema,
]);

export type GovernorCommand = z.infer<typeof governorCommandSchema>;
export type GovernorCommandType = GovernorCommand["type"];
export const GOVERNOR_COMMAND_TYPES = [
  "ObserveEquity",
  "RunHealthChecks",
  "ForceResume",
  "ResetGovernor",
] as const satisfies readonly GovernorCommandType[];

export type GovernorRefusalCode =
  /** The command does not match its schema (the detail lists the issues). */
  | "invalid_command"
  /** The session date is outside the calendar's covered range. */
  | "outside_calendar"
  | "not_a_session"
  /** The session is earlier than one the governor has already decided on. */
  | "session_in_the_past"
  /** Health checks asked for outside HALT/PANIC. */
  | "not_cooling_down"
  | "cooldown_not_over"
  /** Force resume asked for outside HALT/PANIC. */
  | "not_halted"
  /** An override without an operator name or a reason. */
  | OperatorActionRefusalCode;
