import { defineTransitionTable } from "../../decider/transition-table.js";

export const BROKER_BREAKER_STATUSES = ["CLOSED", "OPEN", "HALF_OPEN"] as const;
export type BrokerBreakerStatus = (typeof BROKER_BREAKER_STATUSES)[number];

/** The broker call breaker's transitions (SPEC §5) as data; the decider is tested against it. */
export const BROKER_BREAKER_TABLE = defineTransitionTable({
  machine: "broker call breaker",
  states: BROKER_BREAKER_STATUSES,
  commands: ["RequestCall", "RecordSuccess", "RecordFailure"],
  initial: "CLOSED",
  terminal: [],
  transitions: [
    { from: "CLOSED", on: "RecordFailure", to: "OPEN", when: "failures in a row ≥ 5" },
    { from: "OPEN", on: "RequestCall", to: "HALF_OPEN", when: "recovery timeout passed" },
    { from: "HALF_OPEN", on: "RecordSuccess", to: "CLOSED", when: "the trial call succeeded" },
    {
      from: "HALF_OPEN",
      on: "RecordFailure",
      to: "OPEN",
      when: "the trial call failed; timeout doubles, capped",
    },
  ],
});
