import fc from "fast-check";
import type { Decider, Refusal } from "../decider/decider.js";
import { fold } from "../decider/decider.js";
import { type TransitionTable, transitionViolation } from "../decider/transition-table.js";
import { deepEqual, show } from "./deep-equal.js";

export interface DeciderPropertyOptions<
  C,
  E,
  S,
  R extends Refusal,
  SN extends string,
  CN extends string,
> {
  readonly decider: Decider<C, E, S, R>;
  /** Random commands for the machine (every machine exports an arbitrary for its commands). */
  readonly commands: fc.Arbitrary<C>;
  /** Invariants checked after every command; return a message when violated, null when fine. */
  readonly invariants?: readonly ((state: S) => string | null)[];
  /** With a table: every change of state must be one of its transitions. */
  readonly table?: TransitionTable<SN, CN>;
  readonly stateName?: (state: S) => SN;
  readonly commandName?: (command: C) => CN;
  readonly maxCommands?: number;
  readonly parameters?: fc.Parameters<[C[]]>;
}

/**
 * The property every decider must have, over random command sequences:
 * - each change of state is in its transition table (when one is given);
 * - the invariants hold after every command;
 * - the state equals the fold of all events the machine emitted (rebuild from events = live state).
 */
export function assertDeciderProperties<
  C,
  E,
  S,
  R extends Refusal,
  SN extends string,
  CN extends string,
>(options: DeciderPropertyOptions<C, E, S, R, SN, CN>): void {
  const { decider, table, stateName, commandName } = options;
  if (table && (!stateName || !commandName)) {
    throw new TypeError("assertDeciderProperties: a table needs stateName and commandName");
  }
  fc.assert(
    fc.property(
      fc.array(options.commands, { maxLength: options.maxCommands ?? 60, size: "max" }),
      (commands) => {
        let state = decider.initialState;
        const emitted: E[] = [];
        for (const command of commands) {
          const decision = decider.decide(command, state);
          if (!decision.ok) continue;
          const next = fold(decider, decision.events, state);
          if (table && stateName && commandName) {
            const step = { from: stateName(state), on: commandName(command), to: stateName(next) };
            // A name outside the table would make every check pass vacuously.
            for (const name of [step.from, step.to]) {
              if (!table.states.includes(name)) {
                throw new Error(
                  `stateName returned ${show(name)}, not one of ${table.machine}'s states`,
                );
              }
            }
            if (!table.commands.includes(step.on)) {
              throw new Error(
                `commandName returned ${show(step.on)}, not one of ${table.machine}'s commands`,
              );
            }
            const violation = transitionViolation(table, step);
            if (violation) throw new Error(`${violation}\ncommand: ${show(command)}`);
          }
          emitted.push(...decision.events);
          state = next;
          for (const invariant of options.invariants ?? []) {
            const broken = invariant(state);
            if (broken) throw new Error(`invariant broken after ${show(command)}: ${broken}`);
          }
        }
        const rebuilt = fold(decider, emitted);
        if (!deepEqual(rebuilt, state)) {
          throw new Error(
            `state rebuilt from events differs from live state:\n${show(rebuilt)}\n${show(state)}`,
          );
        }
      },
    ),
    { includeErrorInReport: true, ...options.parameters },
  );
}
