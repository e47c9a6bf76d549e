import { defineTransitionTable } from "../../decider/transition-table.js";

export const INTENT_STATUSES = [
  "CREATED",
  "SUBMITTED",
  "ACKED",
  "PARTIAL",
  "FILLED",
  "REJECTED",
  "CANCELED",
  "EXPIRED",
  "UNKNOWN",
] as const;
export type IntentStatus = (typeof INTENT_STATUSES)[number];

export const TERMINAL_INTENT_STATUSES = ["FILLED", "REJECTED", "CANCELED", "EXPIRED"] as const;

export const INTENT_COMMAND_TYPES = [
  "CreateIntent",
  "SubmitIntent",
  "MarkOutcomeUnknown",
  "RecordNotFound",
  "RecordAck",
  "RecordFill",
  "RecordRejection",
  "CancelIntent",
  "ExpireIntent",
] as const;
export type IntentCommandType = (typeof INTENT_COMMAND_TYPES)[number];

const LIVE_AT_BROKER = ["SUBMITTED", "UNKNOWN", "ACKED", "PARTIAL"] as const;

/**
 * One order intent's lifecycle (SPEC §6) as data; the decider is tested against it. Staying put
 * is always allowed: a repeated report, a late ack after a fill, a late fill on a canceled order.
 */
export const INTENT_TABLE = defineTransitionTable({
  machine: "order intent",
  states: INTENT_STATUSES,
  commands: INTENT_COMMAND_TYPES,
  initial: "CREATED",
  terminal: TERMINAL_INTENT_STATUSES,
  transitions: [
    { from: "CREATED", on: "SubmitIntent", to: "SUBMITTED" },
    { from: "SUBMITTED", on: "MarkOutcomeUnknown", to: "UNKNOWN", when: "timeout or crash" },
    { from: "UNKNOWN", on: "RecordNotFound", to: "CREATED", when: "broker never got it" },
    { from: "SUBMITTED", on: "RecordAck", to: "ACKED" },
    { from: "UNKNOWN", on: "RecordAck", to: "ACKED" },
    ...(["SUBMITTED", "UNKNOWN", "ACKED"] as const).flatMap((from) => [
      { from, on: "RecordFill" as const, to: "PARTIAL" as const, when: "filled < ordered" },
      { from, on: "RecordFill" as const, to: "FILLED" as const, when: "filled = ordered" },
      { from, on: "RecordRejection" as const, to: "REJECTED" as const },
    ]),
    { from: "PARTIAL", on: "RecordFill", to: "FILLED", when: "filled = ordered" },
    ...(["CREATED", ...LIVE_AT_BROKER] as const).flatMap((from) => [
      { from, on: "CancelIntent" as const, to: "CANCELED" as const },
      { from, on: "ExpireIntent" as const, to: "EXPIRED" as const },
    ]),
  ],
});
