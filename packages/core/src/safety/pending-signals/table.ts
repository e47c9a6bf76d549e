import { defineTransitionTable } from "../../decider/transition-table.js";
import { PENDING_SIGNAL_COMMAND_TYPES } from "./commands.js";
import { PENDING_SIGNAL_STATUSES } from "./status.js";

/** One pending signal's life (SPEC §9); DeferSignal creates it in PENDING. */
export const PENDING_SIGNALS_TABLE = defineTransitionTable({
  machine: "pending signal",
  states: PENDING_SIGNAL_STATUSES,
  commands: PENDING_SIGNAL_COMMAND_TYPES,
  initial: "PENDING",
  terminal: ["EXECUTED", "EXPIRED"],
  transitions: [
    {
      from: "PENDING",
      on: "ReevaluateSignal",
      to: "EXECUTED",
      when: "a later run lets it through",
    },
    {
      from: "PENDING",
      on: "ExpirePendingSignals",
      to: "EXPIRED",
      when: "3 sessions of re-evaluation passed",
    },
  ],
});
