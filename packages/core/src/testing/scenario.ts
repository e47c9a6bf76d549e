import type { Decider, Refusal } from "../decider/decider.js";
import { fold } from "../decider/decider.js";
import { deepEqual, show } from "./deep-equal.js";

/** Thrown when a given/when/then expectation does not hold; the message shows both sides. */
export class ScenarioError extends Error {
  override readonly name = "ScenarioError";
}

export interface ScenarioOutcome<E, S> {
  /** The state after the given events and the command's events. */
  readonly state: S;
  readonly events: readonly E[];
}

/**
 * Given/when/then for deciders: given past events, when a command is decided, then these events
 * (or this refusal). Framework-agnostic: it throws ScenarioError, so it works in any test runner.
 *
 *   scenario(governor).given([...]).when({ type: "ObserveEquity", ... }).thenEvents([...]);
 */
export function scenario<C, E, S, R extends Refusal>(decider: Decider<C, E, S, R>) {
  const at = (history: readonly E[]) => ({
    when(command: C) {
      const before = fold(decider, history);
      const decision = decider.decide(command, before);
      return {
        /** Expects exactly these events, in order. Returns the resulting state for further checks. */
        thenEvents(expected: readonly E[]): ScenarioOutcome<E, S> {
          if (!decision.ok) {
            throw new ScenarioError(
              `expected events ${show(expected)}\nbut the command was refused: ${show(decision.refusal)}`,
            );
          }
          if (!deepEqual(decision.events, expected)) {
            throw new ScenarioError(
              `expected events ${show(expected)}\nbut got ${show(decision.events)}`,
            );
          }
          return { state: fold(decider, decision.events, before), events: decision.events };
        },
        /** Expects a refusal with this code (and, if given, a message containing `messagePart`). */
        thenRefused(code: R["code"], messagePart?: string): R {
          if (decision.ok) {
            throw new ScenarioError(
              `expected refusal ${code}\nbut the command was accepted with events ${show(decision.events)}`,
            );
          }
          if (decision.refusal.code !== code) {
            throw new ScenarioError(`expected refusal ${code}\nbut got ${show(decision.refusal)}`);
          }
          if (messagePart !== undefined && !decision.refusal.message.includes(messagePart)) {
            throw new ScenarioError(
              `expected the refusal message to mention "${messagePart}"\nbut it was "${decision.refusal.message}"`,
            );
          }
          return decision.refusal;
        },
      };
    },
  });
  return {
    given: (events: readonly E[]) => at(events),
    /** No history: the decider's initial state. */
    when: (command: C) => at([]).when(command),
  };
}
