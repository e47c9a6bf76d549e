/**
 * Order intents (SPEC §6): one decider (`intentBook`) over every intent of a stream, keyed by
 * intent id (one stream per account-day holds many intents).
 *
 * - `intentId(parts)`: first 16 hex chars of SHA-256 over run id | strategy | symbol | side |
 *   target quantity | time bucket (in that order, via `deterministicId`). The time bucket is the
 *   hour `YYYYMMDD_HH` in UTC (`intentTimeBucket(at)`). The id is the broker's client order id.
 * - CREATED → SUBMITTED → ACKED → PARTIAL → FILLED; REJECTED, CANCELED, EXPIRED (and FILLED)
 *   are terminal. UNKNOWN: a submission whose outcome is not known (timeout, crash); only broker
 *   evidence moves it: ack → ACKED, fill → PARTIAL/FILLED, rejection → REJECTED, cancel/expiry
 *   → CANCELED/EXPIRED, not found → back to CREATED.
 * - Illegal transitions are refused (`illegal_transition`, naming intent, from-state, command).
 * - A fill implies the ack: a fill in SUBMITTED or UNKNOWN goes straight to PARTIAL/FILLED.
 *   A fill with an execution id already applied is ignored (accepted, no events); a fill past
 *   the ordered quantity is refused (`overfill`). Filled quantity and average price (Σ q×p / Σ q)
 *   come from the fill events.
 * - A second CreateIntent for an existing id is refused `duplicate_intent`; its detail
 *   (`duplicateIntentDetail(refusal)`) holds intentId, strategy and at — what the kill switch's
 *   RecordDuplicateIntent needs — plus the other id parts and the existing status.
 *
 * Choices where the spec is silent:
 * - Not found at the broker (from UNKNOWN) → CREATED: the order may be submitted again under the
 *   same id, which the venue deduplicates, so an original that arrives late cannot double the
 *   order; or it may be canceled/expired from CREATED. (EXPIRED would leave a late original's
 *   fills with nowhere to go.)
 * - A report the state already reflects is ignored, not refused: a second ack, a late ack after
 *   a fill, a repeated unknown/not-found/rejection/cancel/expiry. A second SubmitIntent is
 *   refused: resubmitting needs broker evidence first.
 * - A fill with a new execution id on a CANCELED or EXPIRED intent (the cancel report overtook
 *   the fill) is booked so positions stay true; the status does not move. On REJECTED or
 *   CREATED a fill is refused.
 * - Fill prices are integer cents (the money rule); the adapter rounds sub-penny prices. The
 *   average fill price may hold a fraction of a cent.
 * - A retried run must look up its intents (`state.intents[intentId(parts)]`) and resume them;
 *   creating them again is the duplicate the kill switch exists for.
 * - Every command is validated by schema; malformed input is refused `invalid_command`.
 *
 * Test arbitraries live in ./testing.ts (not re-exported here, so the main entry does not load
 * fast-check): `intentCommand`, `intentLifecycleSequences`, `sampleIntentParts`.
 */
export { type CreateIntent, type IntentCommand, intentCommandSchema } from "./commands.js";
export {
  averageFillPriceCents,
  type DuplicateIntentDetail,
  duplicateIntentDetail,
  evolveIntentBook,
  INITIAL_INTENT_BOOK_STATE,
  type IntentBookDecider,
  type IntentBookState,
  type IntentRefusal,
  type IntentRefusalCode,
  intentBook,
  isTerminalIntentStatus,
  type OrderIntent,
} from "./decider.js";
export {
  INTENT_EVENTS,
  IntentAcked,
  IntentCanceled,
  IntentCreated,
  type IntentEvent,
  IntentExpired,
  IntentFillRecorded,
  IntentNotFoundAtBroker,
  IntentOutcomeUnknown,
  IntentRejected,
  IntentSubmitted,
} from "./events.js";
export {
  INTENT_TIME_BUCKET_PATTERN,
  type IntentIdParts,
  intentId,
  intentTimeBucket,
  ORDER_SIDES,
  type OrderSide,
} from "./intent-id.js";
export {
  INTENT_COMMAND_TYPES,
  INTENT_STATUSES,
  INTENT_TABLE,
  type IntentCommandType,
  type IntentStatus,
  TERMINAL_INTENT_STATUSES,
} from "./table.js";
