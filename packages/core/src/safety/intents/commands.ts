import { z } from "zod";
import { INTENT_TIME_BUCKET_PATTERN, ORDER_SIDES } from "./intent-id.js";

const at = z.iso.datetime({
  error: "must be an ISO-8601 UTC instant such as 2026-03-02T14:30:00Z",
});
const intentId = z.string().min(1);
const text = z.string().min(1);
const shares = z.number().int().positive({ error: "must be a whole number of shares > 0" });

/**
 * The commands of the intent book. Each names the intent it is about (CreateIntent derives the
 * id from its parts) and the instant it happens at. Validated by schema: a malformed command is
 * refused as `invalid_command`, never thrown.
 */
export const intentCommandSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("CreateIntent"),
    at,
    runId: text,
    strategy: text,
    symbol: text,
    side: z.enum(ORDER_SIDES),
    targetQuantity: shares,
    timeBucket: z
      .string()
      .regex(INTENT_TIME_BUCKET_PATTERN, { error: "must be YYYYMMDD_HH (UTC)" }),
  }),
  /** We are sending the order now (recorded before the call). */
  z.object({ type: z.literal("SubmitIntent"), at, intentId }),
  /** The submission timed out or the process crashed mid-call: nobody knows if it arrived. */
  z.object({ type: z.literal("MarkOutcomeUnknown"), at, intentId, cause: text }),
  /** The broker says it has no order under this client order id. */
  z.object({ type: z.literal("RecordNotFound"), at, intentId }),
  z.object({ type: z.literal("RecordAck"), at, intentId, brokerOrderId: text }),
  z.object({
    type: z.literal("RecordFill"),
    at,
    intentId,
    /** The broker's execution id: a fill reported twice is recognised by it. */
    executionId: text,
    quantity: shares,
    /** The execution price in integer cents; the adapter rounds a sub-penny price. */
    priceCents: z.number().int().positive({ error: "must be a whole number of cents > 0" }),
  }),
  z.object({ type: z.literal("RecordRejection"), at, intentId, reason: text }),
  /** Dropped before sending (from CREATED), or a cancel the broker confirmed. */
  z.object({ type: z.literal("CancelIntent"), at, intentId, reason: text }),
  /** Never sent and the run is over (from CREATED), or the broker expired it (day order). */
  z.object({ type: z.literal("ExpireIntent"), at, intentId, reason: text }),
]);

export type IntentCommand = z.infer<typeof intentCommandSchema>;
export type CreateIntent = Extract<IntentCommand, { type: "CreateIntent" }>;
