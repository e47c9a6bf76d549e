import { z } from "zod";
import { defineEvent, type EventOf } from "../../events/registry.js";
import {
  GOVERNOR_STATUSES,
  HEALTH_CHECKS,
  NORMAL_RESUME_CAUSES,
  OVERRIDE_ACTIONS,
  RAMP_UP_CAUSES,
} from "./status.js";

const at = z.iso.datetime();
const session = z.iso.date();
const cents = z.number().int().nonnegative();
const drawdown = z.number().min(0).max(1);
const status = z.enum(GOVERNOR_STATUSES);

/** When and on which exchange session the governor decided: every event carries both. */
const when = { at, session };

const breach = z.object({
  ...when,
  drawdown,
  peak: cents,
  equity: cents,
  previousStatus: status,
  /** The first session on which the health checks may run. */
  cooldownEndsOn: session,
});

export const healthCheckResultSchema = z.object({
  name: z.enum(HEALTH_CHECKS),
  passed: z.boolean(),
  /** The finding in words, e.g. "market data updated 80.0 h ago (limit 72 h)". */
  detail: z.string(),
});
export type HealthCheckResult = z.infer<typeof healthCheckResultSchema>;

/** Equity was observed; the high-water mark and drawdown after the observation. */
export const GovernorEquityObserved = defineEvent({
  type: "GovernorEquityObserved",
  schema: z.object({ ...when, equity: cents, peak: cents, drawdown }),
});

/** Drawdown reached the halt threshold: new entries stop for the halt cooldown. */
export const GovernorHalted = defineEvent({ type: "GovernorHalted", schema: breach });

/** Drawdown reached the panic threshold: new entries stop for the (longer) panic cooldown. */
export const GovernorPanicked = defineEvent({ type: "GovernorPanicked", schema: breach });

/** Flatten-on-panic: close this position (quantity as held; negative for a short). */
export const GovernorFlattenRequested = defineEvent({
  type: "GovernorFlattenRequested",
  schema: z.object({ ...when, symbol: z.string().min(1), quantity: z.number() }),
});

export const GovernorHealthChecksPassed = defineEvent({
  type: "GovernorHealthChecksPassed",
  schema: z.object({ ...when, checks: z.array(healthCheckResultSchema) }),
});

/** A health check failed at cooldown end: the cooldown runs on, the failed checks named. */
export const GovernorCooldownExtended = defineEvent({
  type: "GovernorCooldownExtended",
  schema: z.object({
    ...when,
    checks: z.array(healthCheckResultSchema),
    failedChecks: z.array(z.enum(HEALTH_CHECKS)).min(1),
    previousEndsOn: session,
    cooldownEndsOn: session,
  }),
});

/** The high-water mark was re-based to current equity, so a shrunken account can resume. */
export const GovernorPeakRebased = defineEvent({
  type: "GovernorPeakRebased",
  schema: z.object({ ...when, previousPeak: cents.nullable(), peak: cents }),
});

export const GovernorRampUpStarted = defineEvent({
  type: "GovernorRampUpStarted",
  schema: z.object({
    ...when,
    sizing: z.number().gt(0).lte(1),
    /** The session on which NORMAL resumes (the first one after the ramp-up). */
    endsOn: session,
    cause: z.enum(RAMP_UP_CAUSES),
  }),
});

export const GovernorNormalResumed = defineEvent({
  type: "GovernorNormalResumed",
  schema: z.object({ ...when, cause: z.enum(NORMAL_RESUME_CAUSES) }),
});

/** An operator overrode the governor; who and why are required. */
export const GovernorOverridden = defineEvent({
  type: "GovernorOverridden",
  schema: z.object({
    ...when,
    action: z.enum(OVERRIDE_ACTIONS),
    operator: z.string().trim().min(1),
    reason: z.string().trim().min(1),
    previousStatus: status,
  }),
});

export const GOVERNOR_EVENTS = [
  GovernorEquityObserved,
  GovernorHalted,
  GovernorPanicked,
  GovernorFlattenRequested,
  GovernorHealthChecksPassed,
  GovernorCooldownExtended,
  GovernorPeakRebased,
  GovernorRampUpStarted,
  GovernorNormalResumed,
  GovernorOverridden,
] as const;

export type GovernorEvent = EventOf<typeof GOVERNOR_EVENTS>;
export type GovernorEventType = GovernorEvent["type"];
