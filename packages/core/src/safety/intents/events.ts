import { z } from "zod";
import type { EventOf } from "../../events/registry.js";
import { defineEvent } from "../../events/registry.js";
import { INTENT_TIME_BUCKET_PATTERN, ORDER_SIDES } from "./intent-id.js";

const instant = z.iso.datetime();
const intentId = z.string().regex(/^[0-9a-f]{16}$/);
const shares = z.number().int().positive();

/** An order intent came to be, before anything is sent to the broker. */
export const IntentCreated = defineEvent({
  type: "IntentCreated",
  schema: z.object({
    intentId,
    runId: z.string().min(1),
    strategy: z.string().min(1),
    symbol: z.string().min(1),
    side: z.enum(ORDER_SIDES),
    targetQuantity: shares,
    timeBucket: z.string().regex(INTENT_TIME_BUCKET_PATTERN),
    at: instant,
  }),
});

/** The order is about to go to the broker (recorded before the call is made). */
export const IntentSubmitted = defineEvent({
  type: "IntentSubmitted",
  schema: z.object({ intentId, at: instant }),
});

/** The submission's outcome is not known (timeout, crash): only broker evidence resolves it. */
export const IntentOutcomeUnknown = defineEvent({
  type: "IntentOutcomeUnknown",
  schema: z.object({ intentId, at: instant, cause: z.string().min(1) }),
});

/** The broker reported it has not got the order: it may be submitted again under the same id. */
export const IntentNotFoundAtBroker = defineEvent({
  type: "IntentNotFoundAtBroker",
  schema: z.object({ intentId, at: instant }),
});

export const IntentAcked = defineEvent({
  type: "IntentAcked",
  schema: z.object({ intentId, at: instant, brokerOrderId: z.string().min(1) }),
});

/** An execution: shares filled at a price in integer cents (SPEC money rule). */
export const IntentFillRecorded = defineEvent({
  type: "IntentFillRecorded",
  schema: z.object({
    intentId,
    at: instant,
    executionId: z.string().min(1),
    quantity: shares,
    priceCents: z.number().int().positive(),
  }),
});

export const IntentRejected = defineEvent({
  type: "IntentRejected",
  schema: z.object({ intentId, at: instant, reason: z.string().min(1) }),
});

export const IntentCanceled = defineEvent({
  type: "IntentCanceled",
  schema: z.object({ intentId, at: instant, reason: z.string().min(1) }),
});

export const IntentExpired = defineEvent({
  type: "IntentExpired",
  schema: z.object({ intentId, at: instant, reason: z.string().min(1) }),
});

export const INTENT_EVENTS = [
  IntentCreated,
  IntentSubmitted,
  IntentOutcomeUnknown,
  IntentNotFoundAtBroker,
  IntentAcked,
  IntentFillRecorded,
  IntentRejected,
  IntentCanceled,
  IntentExpired,
] as const;

export type IntentEvent = EventOf<typeof INTENT_EVENTS>;
