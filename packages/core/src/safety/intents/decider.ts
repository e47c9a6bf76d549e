import {
  accept,
  type Decider,
  type Decision,
  type Refusal,
  refuse,
} from "../../decider/decider.js";
import type { Cents } from "../../money.js";
import { type CreateIntent, type IntentCommand, intentCommandSchema } from "./commands.js";
import type { IntentEvent } from "./events.js";
import { type IntentIdParts, intentId } from "./intent-id.js";
import { type IntentCommandType, type IntentStatus, TERMINAL_INTENT_STATUSES } from "./table.js";

export type IntentRefusalCode =
  /** A second CreateIntent for an id that exists: the caller trips the kill switch. */
  | "duplicate_intent"
  /** A command for an intent id nobody created. */
  | "unknown_intent"
  /** The intent's state does not allow the command (detail: intentId, from, command). */
  | "illegal_transition"
  /** The fill would take the filled quantity beyond the ordered quantity. */
  | "overfill"
  | "invalid_command";

export type IntentRefusal = Refusal<IntentRefusalCode>;

/** One order intent, as its events made it. */
export interface OrderIntent extends IntentIdParts {
  readonly intentId: string;
  readonly status: IntentStatus;
  readonly createdAt: string;
  /** The instant of the last event about it. */
  readonly updatedAt: string;
  /** The broker's own order id, from the ack; null until acked (a fill alone does not carry it). */
  readonly brokerOrderId: string | null;
  readonly filledQuantity: number;
  /** Σ quantity × price over the fills, in cents: exact, so the average price is too. */
  readonly filledNotionalCents: Cents;
  /** Execution ids already applied, in the order they arrived. */
  readonly executionIds: readonly string[];
  /** Why it is UNKNOWN, REJECTED, CANCELED or EXPIRED; null otherwise. */
  readonly statusReason: string | null;
}

/** Every intent of one stream (an account-day), keyed by intent id. */
export interface IntentBookState {
  readonly intents: Readonly<Record<string, OrderIntent>>;
}

export type IntentBookDecider = Decider<IntentCommand, IntentEvent, IntentBookState, IntentRefusal>;

export const INITIAL_INTENT_BOOK_STATE: IntentBookState = { intents: {} };

/** What the caller needs from a `duplicate_intent` refusal to trip the kill switch. */
export interface DuplicateIntentDetail extends IntentIdParts {
  readonly intentId: string;
  /** When the duplicate was attempted. */
  readonly at: string;
  /** The status of the intent that already holds the id. */
  readonly existingStatus: IntentStatus;
}

export function isTerminalIntentStatus(status: IntentStatus): boolean {
  return (TERMINAL_INTENT_STATUSES as readonly IntentStatus[]).includes(status);
}

/** The volume-weighted average fill price in cents (may hold a fraction); null before a fill. */
export function averageFillPriceCents(intent: OrderIntent): number | null {
  return intent.filledQuantity === 0 ? null : intent.filledNotionalCents / intent.filledQuantity;
}

/** The duplicate's details when a refusal is `duplicate_intent`, otherwise null. */
export function duplicateIntentDetail(refusal: Refusal): DuplicateIntentDetail | null {
  return refusal.code === "duplicate_intent" && refusal.detail
    ? (refusal.detail as unknown as DuplicateIntentDetail)
    : null;
}

type IntentDecision = Decision<IntentEvent, IntentRefusal>;
type StatusChange = Exclude<IntentCommandType, "CreateIntent" | "RecordFill">;

/**
 * Commands that set a status (the one their event carries, see evolve): the statuses they apply
 * in, and those where they repeat what the state already says (a report arriving twice, or late:
 * a fill implies the ack), hence are ignored. Anywhere else they are illegal.
 */
const STATUS_CHANGES: Record<
  StatusChange,
  { readonly from: readonly IntentStatus[]; readonly ignoredIn: readonly IntentStatus[] }
> = {
  SubmitIntent: { from: ["CREATED"], ignoredIn: [] },
  MarkOutcomeUnknown: { from: ["SUBMITTED"], ignoredIn: ["UNKNOWN"] },
  RecordNotFound: { from: ["UNKNOWN"], ignoredIn: ["CREATED"] },
  RecordAck: {
    from: ["SUBMITTED", "UNKNOWN"],
    ignoredIn: ["ACKED", "PARTIAL", "FILLED"],
  },
  RecordRejection: {
    from: ["SUBMITTED", "UNKNOWN", "ACKED"],
    ignoredIn: ["REJECTED"],
  },
  CancelIntent: {
    from: ["CREATED", "SUBMITTED", "UNKNOWN", "ACKED", "PARTIAL"],
    ignoredIn: ["CANCELED"],
  },
  ExpireIntent: {
    from: ["CREATED", "SUBMITTED", "UNKNOWN", "ACKED", "PARTIAL"],
    ignoredIn: ["EXPIRED"],
  },
};

/** Fills count wherever the order may be at the broker, and late on a canceled or expired one. */
const FILLABLE: readonly IntentStatus[] = [
  "SUBMITTED",
  "UNKNOWN",
  "ACKED",
  "PARTIAL",
  "FILLED",
  "CANCELED",
  "EXPIRED",
];

function illegal(intent: OrderIntent, command: IntentCommandType): IntentDecision {
  const terminal = isTerminalIntentStatus(intent.status) ? " (terminal)" : "";
  return refuse(
    "illegal_transition",
    `intent ${intent.intentId} is ${intent.status}${terminal}: ${command} is not allowed`,
    { intentId: intent.intentId, from: intent.status, command },
  );
}

function decideCreate(command: CreateIntent, state: IntentBookState): IntentDecision {
  const { type: _type, at, ...parts } = command;
  const id = intentId(parts);
  const existing = state.intents[id];
  if (existing) {
    const detail: DuplicateIntentDetail = {
      intentId: id,
      ...parts,
      at,
      existingStatus: existing.status,
    };
    return refuse(
      "duplicate_intent",
      `duplicate order intent ${id} (strategy ${parts.strategy}, ${parts.side} ${parts.targetQuantity} ${parts.symbol}): it already exists as ${existing.status}`,
      { ...detail },
    );
  }
  return accept<IntentEvent>({ type: "IntentCreated", data: { intentId: id, ...parts, at } });
}

type FillCommand = Extract<IntentCommand, { type: "RecordFill" }>;

function decideFill(command: FillCommand, intent: OrderIntent): IntentDecision {
  if (intent.executionIds.includes(command.executionId)) return accept();
  if (!FILLABLE.includes(intent.status)) return illegal(intent, command.type);
  const filledAfter = intent.filledQuantity + command.quantity;
  if (filledAfter > intent.targetQuantity) {
    return refuse(
      "overfill",
      `fill ${command.executionId} of ${command.quantity} would take intent ${intent.intentId} to ${filledAfter} of ${intent.targetQuantity} shares`,
      {
        intentId: intent.intentId,
        executionId: command.executionId,
        quantity: command.quantity,
        filledQuantity: intent.filledQuantity,
        targetQuantity: intent.targetQuantity,
      },
    );
  }
  const { type: _type, ...data } = command;
  return accept<IntentEvent>({ type: "IntentFillRecorded", data });
}

function statusEvent(command: Exclude<IntentCommand, CreateIntent | FillCommand>): IntentEvent {
  const { intentId: id, at } = command;
  switch (command.type) {
    case "SubmitIntent":
      return { type: "IntentSubmitted", data: { intentId: id, at } };
    case "MarkOutcomeUnknown":
      return { type: "IntentOutcomeUnknown", data: { intentId: id, at, cause: command.cause } };
    case "RecordNotFound":
      return { type: "IntentNotFoundAtBroker", data: { intentId: id, at } };
    case "RecordAck":
      return {
        type: "IntentAcked",
        data: { intentId: id, at, brokerOrderId: command.brokerOrderId },
      };
    case "RecordRejection":
      return { type: "IntentRejected", data: { intentId: id, at, reason: command.reason } };
    case "CancelIntent":
      return { type: "IntentCanceled", data: { intentId: id, at, reason: command.reason } };
    case "ExpireIntent":
      return { type: "IntentExpired", data: { intentId: id, at, reason: command.reason } };
  }
}

function decideIntentCommand(input: IntentCommand, state: IntentBookState): IntentDecision {
  const parsed = intentCommandSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    return refuse("invalid_command", `invalid ${input.type} command: ${issues.join("; ")}`, {
      issues,
    });
  }
  const command = parsed.data;
  if (command.type === "CreateIntent") return decideCreate(command, state);
  const intent = state.intents[command.intentId];
  if (!intent) {
    return refuse("unknown_intent", `no order intent ${command.intentId} in this stream`, {
      intentId: command.intentId,
      command: command.type,
    });
  }
  if (command.type === "RecordFill") return decideFill(command, intent);
  const rule = STATUS_CHANGES[command.type];
  if (rule.ignoredIn.includes(intent.status)) return accept();
  if (!rule.from.includes(intent.status)) return illegal(intent, command.type);
  return accept(statusEvent(command));
}

function moved(
  state: IntentBookState,
  id: string,
  change: (intent: OrderIntent) => OrderIntent,
): IntentBookState {
  const intent = state.intents[id];
  return intent ? { intents: { ...state.intents, [id]: change(intent) } } : state;
}

/** The book after one event. Events about an unknown intent change nothing (evolve is total). */
export function evolveIntentBook(state: IntentBookState, event: IntentEvent): IntentBookState {
  const { intentId: id, at } = event.data;
  const status = (to: IntentStatus, statusReason: string | null = null) =>
    moved(state, id, (intent) => ({ ...intent, status: to, statusReason, updatedAt: at }));
  switch (event.type) {
    case "IntentCreated": {
      if (state.intents[id]) return state;
      const { at: createdAt, ...parts } = event.data;
      const intent: OrderIntent = {
        ...parts,
        status: "CREATED",
        createdAt,
        updatedAt: createdAt,
        brokerOrderId: null,
        filledQuantity: 0,
        filledNotionalCents: 0,
        executionIds: [],
        statusReason: null,
      };
      return { intents: { ...state.intents, [id]: intent } };
    }
    case "IntentSubmitted":
      return status("SUBMITTED");
    case "IntentOutcomeUnknown":
      return status("UNKNOWN", event.data.cause);
    case "IntentNotFoundAtBroker":
      return status("CREATED");
    case "IntentAcked": {
      const { brokerOrderId } = event.data;
      return moved(state, id, (intent) => ({
        ...intent,
        status: "ACKED",
        statusReason: null,
        brokerOrderId,
        updatedAt: at,
      }));
    }
    case "IntentFillRecorded": {
      const { quantity, priceCents, executionId } = event.data;
      return moved(state, id, (intent) => {
        const filledQuantity = intent.filledQuantity + quantity;
        const complete = filledQuantity >= intent.targetQuantity;
        return {
          ...intent,
          // A late fill on a canceled or expired order is booked; the status stays.
          status: isTerminalIntentStatus(intent.status)
            ? intent.status
            : complete
              ? "FILLED"
              : "PARTIAL",
          statusReason: isTerminalIntentStatus(intent.status) ? intent.statusReason : null,
          filledQuantity,
          filledNotionalCents: intent.filledNotionalCents + quantity * priceCents,
          executionIds: [...intent.executionIds, executionId],
          updatedAt: at,
        };
      });
    }
    case "IntentRejected":
      return status("REJECTED", event.data.reason);
    case "IntentCanceled":
      return status("CANCELED", event.data.reason);
    case "IntentExpired":
      return status("EXPIRED", event.data.reason);
  }
}

/**
 * The order-intent book (SPEC §6): one decider over every intent of a stream, each following
 * the lifecycle in INTENT_TABLE.
 */
export const intentBook: IntentBookDecider = {
  initialState: INITIAL_INTENT_BOOK_STATE,
  decide: decideIntentCommand,
  evolve: evolveIntentBook,
};
