/**
 * The events of a simulated account: the paper simulator's `sim-<account>` stream and the
 * dry-run guard's `dry-run-<account>` stream (hypothetical orders) use the same vocabulary.
 */
import { createEventRegistry, defineEvent, type EventOf, ORDER_SIDES } from "@trader/core";
import { z } from "zod";

const instant = z.iso.datetime();
const clientOrderId = z.string().min(1);
const shares = z.number().int().positive();

/** What a submitted order was: the request plus the broker's id and the instant it arrived. */
const submittedOrder = {
  clientOrderId,
  brokerOrderId: z.string().min(1),
  symbol: z.string().min(1),
  side: z.enum(ORDER_SIDES),
  quantity: shares,
  /** Dollars, as the decision expected it. */
  decisionPrice: z.number().positive(),
  at: instant,
};

/** The simulated account exists from here on, with this much cash. Only in `sim-` streams. */
export const SimAccountOpened = defineEvent({
  type: "SimAccountOpened",
  schema: z.object({
    account: z.string().min(1),
    initialCashCents: z.number().int().nonnegative(),
    at: instant,
  }),
});

/** The order was taken and is working until it fills, is canceled or expires. */
export const SimOrderAccepted = defineEvent({
  type: "SimOrderAccepted",
  schema: z.object(submittedOrder),
});

/** The order was refused at the door (e.g. "insufficient buying power"); it never worked. */
export const SimOrderRejected = defineEvent({
  type: "SimOrderRejected",
  schema: z.object({ ...submittedOrder, reason: z.string().min(1) }),
});

/** One execution, priced by the named fill model (e.g. "decision-price@1"). */
export const SimOrderFilled = defineEvent({
  type: "SimOrderFilled",
  schema: z.object({
    clientOrderId,
    executionId: z.string().min(1),
    quantity: shares,
    priceCents: z.number().int().positive(),
    fillModel: z.string().min(1),
    at: instant,
  }),
});

export const SimOrderCanceled = defineEvent({
  type: "SimOrderCanceled",
  schema: z.object({ clientOrderId, reason: z.string().min(1), at: instant }),
});

/** A working order left at the end of the day. */
export const SimOrderExpired = defineEvent({
  type: "SimOrderExpired",
  schema: z.object({ clientOrderId, reason: z.string().min(1), at: instant }),
});

export const SIM_EVENTS = [
  SimAccountOpened,
  SimOrderAccepted,
  SimOrderRejected,
  SimOrderFilled,
  SimOrderCanceled,
  SimOrderExpired,
] as const;

export type SimEvent = EventOf<typeof SIM_EVENTS>;

export const SIM_EVENT_REGISTRY = createEventRegistry(SIM_EVENTS);
