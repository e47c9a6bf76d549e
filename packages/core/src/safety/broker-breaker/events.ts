import { z } from "zod";
import type { EventOf } from "../../events/registry.js";
import { defineEvent } from "../../events/registry.js";

const instant = z.iso.datetime();
const callId = z.string().min(1);

/** A broker call was let through; `trial` marks the single call HALF_OPEN allows. */
export const BrokerBreakerCallPermitted = defineEvent({
  type: "BrokerBreakerCallPermitted",
  schema: z.object({ callId, at: instant, trial: z.boolean() }),
});

export const BrokerBreakerCallSucceeded = defineEvent({
  type: "BrokerBreakerCallSucceeded",
  schema: z.object({ callId, at: instant }),
});

export const BrokerBreakerCallFailed = defineEvent({
  type: "BrokerBreakerCallFailed",
  schema: z.object({ callId, at: instant, error: z.string() }),
});

export const BROKER_BREAKER_OPEN_REASONS = ["consecutive_failures", "trial_failed"] as const;

/** The circuit opened: calls fail fast until `retryAt`, `recoveryMs` after `at`. */
export const BrokerBreakerOpened = defineEvent({
  type: "BrokerBreakerOpened",
  schema: z.object({
    at: instant,
    reason: z.enum(BROKER_BREAKER_OPEN_REASONS),
    consecutiveFailures: z.number().int().nonnegative(),
    recoveryMs: z.number().int().positive(),
    retryAt: instant,
  }),
});

/** The recovery timeout has passed and a call was requested: one trial call goes through. */
export const BrokerBreakerHalfOpened = defineEvent({
  type: "BrokerBreakerHalfOpened",
  schema: z.object({ at: instant }),
});

/** The trial call succeeded: calls flow again and the backoff starts over. */
export const BrokerBreakerClosed = defineEvent({
  type: "BrokerBreakerClosed",
  schema: z.object({ at: instant, trialCallId: callId }),
});

export const BROKER_BREAKER_EVENTS = [
  BrokerBreakerCallPermitted,
  BrokerBreakerCallSucceeded,
  BrokerBreakerCallFailed,
  BrokerBreakerOpened,
  BrokerBreakerHalfOpened,
  BrokerBreakerClosed,
] as const;

export type BrokerBreakerEvent = EventOf<typeof BROKER_BREAKER_EVENTS>;
