/** One allowed state change: in state `from`, on command `on`, the machine may move to `to`. */
export interface Transition<S extends string, C extends string> {
  readonly from: S;
  readonly on: C;
  readonly to: S;
  /** The condition in words, shown on diagrams ("drawdown ≥ 10%"). */
  readonly when?: string;
}

/**
 * A state machine's transitions as data. Documentation diagrams are generated from it and
 * property tests check the decider against it. Staying in the same state is always allowed;
 * every change of state must be listed.
 */
export interface TransitionTable<S extends string, C extends string> {
  readonly machine: string;
  readonly states: readonly S[];
  readonly commands: readonly C[];
  readonly initial: S;
  readonly terminal: readonly S[];
  readonly transitions: readonly Transition<S, C>[];
}

/** Declares a table and checks it is well formed: known states and commands, terminal states final. */
export function defineTransitionTable<const S extends string, const C extends string>(
  table: TransitionTable<S, C>,
): TransitionTable<S, C> {
  const problems: string[] = [];
  const states = new Set<string>(table.states);
  const commands = new Set<string>(table.commands);
  if (!states.has(table.initial)) problems.push(`initial state ${table.initial} is not in states`);
  for (const state of table.terminal) {
    if (!states.has(state)) problems.push(`terminal state ${state} is not in states`);
  }
  for (const { from, on, to } of table.transitions) {
    if (!states.has(from))
      problems.push(`transition ${from} --${on}--> ${to}: unknown state ${from}`);
    if (!states.has(to)) problems.push(`transition ${from} --${on}--> ${to}: unknown state ${to}`);
    if (!commands.has(on))
      problems.push(`transition ${from} --${on}--> ${to}: unknown command ${on}`);
    if (table.terminal.includes(from) && from !== to) {
      problems.push(`transition ${from} --${on}--> ${to}: ${from} is terminal and cannot move`);
    }
  }
  if (problems.length > 0) {
    throw new RangeError(
      `transition table ${table.machine} is malformed:\n  - ${problems.join("\n  - ")}`,
    );
  }
  return table;
}

/** The states a command may move the machine to from a state (excluding staying put). */
export function allowedTargets<S extends string, C extends string>(
  table: TransitionTable<S, C>,
  from: S,
  on: C,
): S[] {
  return table.transitions.filter((t) => t.from === from && t.on === on).map((t) => t.to);
}

/** Null when the step obeys the table, otherwise a message naming the forbidden change. */
export function transitionViolation<S extends string, C extends string>(
  table: TransitionTable<S, C>,
  step: { from: S; on: C; to: S },
): string | null {
  if (step.from === step.to) return null;
  if (allowedTargets(table, step.from, step.on).includes(step.to)) return null;
  return `${table.machine}: ${step.from} --${step.on}--> ${step.to} is not in the transition table`;
}

/** A Mermaid state diagram of the table; docs are generated from this, never drawn by hand. */
export function toMermaid<S extends string, C extends string>(
  table: TransitionTable<S, C>,
): string {
  const lines = ["stateDiagram-v2", `  [*] --> ${table.initial}`];
  for (const { from, on, to, when } of table.transitions) {
    lines.push(`  ${from} --> ${to}: ${when ? `${on} [${when}]` : on}`);
  }
  for (const state of table.terminal) lines.push(`  ${state} --> [*]`);
  return lines.join("\n");
}
