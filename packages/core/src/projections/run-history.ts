import type { EventOf } from "../events/registry.js";
import { type RUN_EVENTS, RUN_OUTCOMES } from "../events/run-events.js";
import { defineProjection } from "./projection.js";

type RunEvent = EventOf<typeof RUN_EVENTS>;
export type RunOutcome = (typeof RUN_OUTCOMES)[number];

export interface RunHistory {
  started: number;
  completed: number;
  byOutcome: Record<RunOutcome, number>;
  /** Runs started but not completed: a crashed run stays here until it is resumed. */
  open: Set<string>;
  lastCompleted: { runId: string; outcome: RunOutcome } | null;
}

/** Which runs started, which finished and how. */
export const runHistory = defineProjection<RunEvent, RunHistory>(
  () => ({
    started: 0,
    completed: 0,
    byOutcome: Object.fromEntries(RUN_OUTCOMES.map((outcome) => [outcome, 0])) as Record<
      RunOutcome,
      number
    >,
    open: new Set(),
    lastCompleted: null,
  }),
  {
    RunStarted: (state, { data }) => {
      state.started += 1;
      state.open.add(data.runId);
      return state;
    },
    RunCompleted: (state, { data }) => {
      state.completed += 1;
      state.byOutcome[data.outcome] += 1;
      state.open.delete(data.runId);
      state.lastCompleted = { runId: data.runId, outcome: data.outcome };
      return state;
    },
  },
);
