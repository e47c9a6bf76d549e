import { z } from "zod";
import { defineEvent, type EventOf } from "../../events/registry.js";
import { killLevelSchema } from "./config.js";

/** What a kill applies to: every strategy, or one. */
export const killScopeSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("global") }),
  z.object({ kind: z.literal("strategy"), strategy: z.string().min(1) }),
]);
export type KillScope = z.infer<typeof killScopeSchema>;

export const AUTOMATIC_KILL_CAUSES = [
  "reconciliation_failure",
  "duplicate_intent",
  "excessive_rejections",
  "consecutive_failed_runs",
] as const;
export const KILL_CAUSES = ["manual", ...AUTOMATIC_KILL_CAUSES] as const;
export type KillCause = (typeof KILL_CAUSES)[number];
export type AutomaticKillCause = (typeof AUTOMATIC_KILL_CAUSES)[number];
export const killCauseSchema = z.enum(KILL_CAUSES);

/** Where a manual kill came from (`TRADING_DISABLED` / `STRATEGY_DISABLED_LIST`, CLI, control API, emergency exit). */
export const MANUAL_KILL_SOURCES = ["config", "cli", "control_api", "emergency_exit"] as const;
export type ManualKillSource = (typeof MANUAL_KILL_SOURCES)[number];
export const KILL_SOURCES = [...MANUAL_KILL_SOURCES, "automatic"] as const;
export type KillSource = (typeof KILL_SOURCES)[number];
export const killSourceSchema = z.enum(KILL_SOURCES);

const at = z.iso.datetime();
/** Numbers and ids behind an automatic kill, for the alert and the audit trail. */
const evidenceSchema = z.record(z.string(), z.union([z.string(), z.number()]));

/** A kill became active, or an active kill was raised to a stricter level. */
export const KillSwitchActivated = defineEvent({
  type: "KillSwitchActivated",
  schema: z.object({
    killId: z.string().min(1),
    scope: killScopeSchema,
    cause: killCauseSchema,
    source: killSourceSchema,
    level: killLevelSchema,
    /** Who pulled it; null for an automatic kill. */
    operator: z.string().min(1).nullable(),
    reason: z.string().min(1),
    evidence: evidenceSchema,
    at,
  }),
});

/** An operator reset a kill (who, why). */
export const KillSwitchReset = defineEvent({
  type: "KillSwitchReset",
  schema: z.object({
    killId: z.string().min(1),
    scope: killScopeSchema,
    cause: killCauseSchema,
    operator: z.string().min(1),
    reason: z.string().min(1),
    at,
  }),
});

/** A reconciliation-failure kill cleared itself because a later reconciliation passed. */
export const KillSwitchCleared = defineEvent({
  type: "KillSwitchCleared",
  schema: z.object({
    killId: z.string().min(1),
    cause: z.literal("reconciliation_failure"),
    clearedBy: z.literal("reconciliation_passed"),
    at,
  }),
});

/** The broker's verdict on one order, counted towards the rejection rate. */
export const KillSwitchOrderOutcomeRecorded = defineEvent({
  type: "KillSwitchOrderOutcomeRecorded",
  schema: z.object({
    intentId: z.string().min(1),
    outcome: z.enum(["accepted", "rejected"]),
    at,
  }),
});

/** How a run ended, counted towards consecutive failed runs. */
export const KillSwitchRunOutcomeRecorded = defineEvent({
  type: "KillSwitchRunOutcomeRecorded",
  schema: z.object({
    runId: z.string().min(1),
    outcome: z.enum(["succeeded", "failed"]),
    at,
  }),
});

export const KILL_SWITCH_EVENTS = [
  KillSwitchActivated,
  KillSwitchReset,
  KillSwitchCleared,
  KillSwitchOrderOutcomeRecorded,
  KillSwitchRunOutcomeRecorded,
] as const;

export type KillSwitchEvent = EventOf<typeof KILL_SWITCH_EVENTS>;
