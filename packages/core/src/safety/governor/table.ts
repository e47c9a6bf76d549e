import { defineTransitionTable } from "../../decider/transition-table.js";
import { GOVERNOR_COMMAND_TYPES } from "./commands.js";
import { GOVERNOR_STATUSES } from "./status.js";

/** The governor's transitions as data (SPEC §2); the decider is property-tested against it. */
export const GOVERNOR_TABLE = defineTransitionTable({
  machine: "drawdown governor",
  states: GOVERNOR_STATUSES,
  commands: GOVERNOR_COMMAND_TYPES,
  initial: "NORMAL",
  terminal: [],
  transitions: [
    { from: "NORMAL", on: "ObserveEquity", to: "HALT", when: "drawdown ≥ 8%" },
    { from: "NORMAL", on: "ObserveEquity", to: "PANIC", when: "drawdown ≥ 10%" },
    { from: "RAMPUP", on: "ObserveEquity", to: "HALT", when: "drawdown ≥ 8%" },
    { from: "RAMPUP", on: "ObserveEquity", to: "PANIC", when: "drawdown ≥ 10%" },
    { from: "HALT", on: "ObserveEquity", to: "PANIC", when: "drawdown ≥ 10%" },
    { from: "RAMPUP", on: "ObserveEquity", to: "NORMAL", when: "5 sessions of ramp-up done" },
    { from: "HALT", on: "RunHealthChecks", to: "RAMPUP", when: "cooldown over, all checks pass" },
    { from: "PANIC", on: "RunHealthChecks", to: "RAMPUP", when: "cooldown over, all checks pass" },
    { from: "HALT", on: "ForceResume", to: "RAMPUP", when: "operator and reason given" },
    { from: "PANIC", on: "ForceResume", to: "RAMPUP", when: "operator and reason given" },
    { from: "HALT", on: "ResetGovernor", to: "NORMAL", when: "operator and reason given" },
    { from: "PANIC", on: "ResetGovernor", to: "NORMAL", when: "operator and reason given" },
    { from: "RAMPUP", on: "ResetGovernor", to: "NORMAL", when: "operator and reason given" },
  ],
});
