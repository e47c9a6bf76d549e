/** Why a decider refused a command: a stable code to branch on, a message for people, details. */
export interface Refusal<Code extends string = string> {
  readonly code: Code;
  readonly message: string;
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** What `decide` returns: the events to append, or a typed refusal (never an exception). */
export type Decision<E, R extends Refusal = Refusal> =
  | { readonly ok: true; readonly events: readonly E[] }
  | { readonly ok: false; readonly refusal: R };

/**
 * A state machine as a decider: commands are decided against the state into events, and state
 * is only ever the fold of those events. `decide` and `evolve` are pure.
 */
export interface Decider<C, E, S, R extends Refusal = Refusal> {
  readonly initialState: S;
  decide(command: C, state: S): Decision<E, R>;
  evolve(state: S, event: E): S;
}

export function accept<E>(...events: E[]): { readonly ok: true; readonly events: readonly E[] } {
  return { ok: true, events };
}

export function refuse<const Code extends string>(
  code: Code,
  message: string,
  detail?: Readonly<Record<string, unknown>>,
): { readonly ok: false; readonly refusal: Refusal<Code> } {
  return {
    ok: false,
    refusal: detail === undefined ? { code, message } : { code, message, detail },
  };
}

/** Rebuilds state from events: the only way state comes to be. */
export function fold<C, E, S, R extends Refusal>(
  decider: Decider<C, E, S, R>,
  events: Iterable<E>,
  from: S = decider.initialState,
): S {
  let state = from;
  for (const event of events) state = decider.evolve(state, event);
  return state;
}

export type RunResult<E, S, R extends Refusal> =
  | { readonly ok: true; readonly events: readonly E[]; readonly state: S }
  | { readonly ok: false; readonly refusal: R; readonly state: S };

/** Decides one command and evolves the state by the resulting events. */
export function runDecider<C, E, S, R extends Refusal>(
  decider: Decider<C, E, S, R>,
  state: S,
  command: C,
): RunResult<E, S, R> {
  const decision = decider.decide(command, state);
  if (!decision.ok) return { ok: false, refusal: decision.refusal, state };
  return { ok: true, events: decision.events, state: fold(decider, decision.events, state) };
}

/** Runs commands in order; refused commands change nothing and are collected. */
export function runCommands<C, E, S, R extends Refusal>(
  decider: Decider<C, E, S, R>,
  commands: Iterable<C>,
  from: S = decider.initialState,
): { state: S; events: E[]; refusals: R[] } {
  let state = from;
  const events: E[] = [];
  const refusals: R[] = [];
  for (const command of commands) {
    const result = runDecider(decider, state, command);
    state = result.state;
    if (result.ok) events.push(...result.events);
    else refusals.push(result.refusal);
  }
  return { state, events, refusals };
}
