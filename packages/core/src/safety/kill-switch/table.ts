import { defineTransitionTable, type Transition } from "../../decider/transition-table.js";
import type { KillSwitchCommandType } from "./decider.js";
import type { KillSwitchStatus } from "./state.js";

type KillSwitchTransition = Transition<KillSwitchStatus, KillSwitchCommandType>;

/** Automatic triggers raise the switch to the configured automatic level (`entries` by default). */
const automaticTrips = (
  on: KillSwitchCommandType,
  when: string,
): readonly KillSwitchTransition[] => [
  { from: "INACTIVE", on, to: "ENTRIES", when },
  { from: "INACTIVE", on, to: "ALL", when: `${when}, automatic level all` },
  { from: "ENTRIES", on, to: "ALL", when: `${when}, automatic level all` },
];

/**
 * The kill switch's status is the strictest level of any active kill (global or per strategy).
 * A reset or a passing reconciliation lifts some kills, so the status may step down or stay.
 */
export const KILL_SWITCH_TABLE = defineTransitionTable<KillSwitchStatus, KillSwitchCommandType>({
  machine: "kill switch",
  states: ["INACTIVE", "ENTRIES", "ALL"],
  commands: [
    "ActivateKill",
    "ResetKill",
    "RecordReconciliation",
    "RecordDuplicateIntent",
    "RecordOrderOutcome",
    "RecordRunOutcome",
  ],
  initial: "INACTIVE",
  terminal: [],
  transitions: [
    { from: "INACTIVE", on: "ActivateKill", to: "ENTRIES", when: "manual kill, level entries" },
    { from: "INACTIVE", on: "ActivateKill", to: "ALL", when: "manual kill, level all" },
    { from: "ENTRIES", on: "ActivateKill", to: "ALL", when: "manual kill, level all" },
    ...automaticTrips("RecordReconciliation", "reconciliation failed"),
    ...automaticTrips("RecordDuplicateIntent", "duplicate intent"),
    ...automaticTrips("RecordOrderOutcome", "> 50% of recent orders rejected, ≥ 5 rejected"),
    ...automaticTrips("RecordRunOutcome", "≥ 3 consecutive failed runs"),
    {
      from: "ENTRIES",
      on: "RecordReconciliation",
      to: "INACTIVE",
      when: "reconciliation passed, last kill",
    },
    { from: "ALL", on: "RecordReconciliation", to: "ENTRIES", when: "reconciliation passed" },
    {
      from: "ALL",
      on: "RecordReconciliation",
      to: "INACTIVE",
      when: "reconciliation passed, last kill",
    },
    { from: "ENTRIES", on: "ResetKill", to: "INACTIVE", when: "operator and reason, last kill" },
    { from: "ALL", on: "ResetKill", to: "ENTRIES", when: "operator and reason" },
    { from: "ALL", on: "ResetKill", to: "INACTIVE", when: "operator and reason, last kill" },
  ],
});
