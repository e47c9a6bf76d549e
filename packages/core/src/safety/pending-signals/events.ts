import { z } from "zod";
import { defineEvent, type EventOf } from "../../events/registry.js";
import { DEFERRABLE_STAGES } from "./status.js";

const when = { at: z.iso.datetime(), session: z.iso.date() };
const signalId = z.string().min(1);

/** A signal stopped by correlation or risk was kept for re-evaluation. */
export const PendingSignalDeferred = defineEvent({
  type: "PendingSignalDeferred",
  schema: z.object({
    ...when,
    signalId,
    strategy: z.string().min(1),
    symbol: z.string().min(1),
    stage: z.enum(DEFERRABLE_STAGES),
    /** The funnel's reason code, e.g. `high_correlation`, `portfolio_heat_exceeded`. */
    reason: z.string().min(1),
    detail: z.record(z.string(), z.unknown()),
    /** The last session on which it is re-evaluated; the first run after that expires it. */
    reevaluateUntil: z.iso.date(),
  }),
});

/** Re-evaluated and stopped again (by whichever stage stopped it this time). */
export const PendingSignalStillBlocked = defineEvent({
  type: "PendingSignalStillBlocked",
  schema: z.object({ ...when, signalId, stage: z.string().min(1), reason: z.string().min(1) }),
});

/** A later run let the signal through. */
export const PendingSignalExecuted = defineEvent({
  type: "PendingSignalExecuted",
  schema: z.object({ ...when, signalId }),
});

/** Its re-evaluation window passed without it getting through. */
export const PendingSignalExpired = defineEvent({
  type: "PendingSignalExpired",
  schema: z.object({ ...when, signalId, reevaluateUntil: z.iso.date() }),
});

export const PENDING_SIGNAL_EVENTS = [
  PendingSignalDeferred,
  PendingSignalStillBlocked,
  PendingSignalExecuted,
  PendingSignalExpired,
] as const;

export type PendingSignalEvent = EventOf<typeof PENDING_SIGNAL_EVENTS>;
