import { z } from "zod";
import { DEFERRABLE_STAGES } from "./status.js";

const when = { at: z.iso.datetime(), session: z.iso.date() };
const signalId = z.string().min(1);

/** Keep a signal the correlation or risk stage stopped, for re-evaluation on later runs. */
export const deferSignalSchema = z.object({
  type: z.literal("DeferSignal"),
  ...when,
  signalId,
  strategy: z.string().min(1),
  symbol: z.string().min(1),
  stage: z.enum(DEFERRABLE_STAGES),
  reason: z.string().min(1),
  detail: z.record(z.string(), z.unknown()).optional(),
});

/** The verdict of one re-evaluation: executed, or stopped again at a stage with a reason. */
export const reevaluationOutcomeSchema = z.discriminatedUnion("verdict", [
  z.object({ verdict: z.literal("executed") }),
  z.object({ verdict: z.literal("blocked"), stage: z.string().min(1), reason: z.string().min(1) }),
]);

export const reevaluateSignalSchema = z.object({
  type: z.literal("ReevaluateSignal"),
  ...when,
  signalId,
  outcome: reevaluationOutcomeSchema,
});

/** Expire every pending signal whose re-evaluation window ended before `session`. */
export const expirePendingSignalsSchema = z.object({
  type: z.literal("ExpirePendingSignals"),
  ...when,
});

export const pendingSignalCommandSchema = z.discriminatedUnion("type", [
  deferSignalSchema,
  reevaluateSignalSchema,
  expirePendingSignalsSchema,
]);

export type PendingSignalCommand = z.infer<typeof pendingSignalCommandSchema>;
export type PendingSignalCommandType = PendingSignalCommand["type"];
export const PENDING_SIGNAL_COMMAND_TYPES = [
  "DeferSignal",
  "ReevaluateSignal",
  "ExpirePendingSignals",
] as const satisfies readonly PendingSignalCommandType[];

export type PendingSignalRefusalCode =
  | "invalid_command"
  | "outside_calendar"
  | "not_a_session"
  /** A signal with this id is already tracked (pending or closed). */
  | "already_tracked"
  | "unknown_signal"
  /** The signal is EXECUTED or EXPIRED: terminal states never move. */
  | "signal_closed"
  /** Re-evaluation starts on the session after the one the signal was deferred on. */
  | "not_yet_due"
  /** The window has passed; the signal can only expire now. */
  | "reevaluation_window_over";
