import type { EventOf } from "../events/registry.js";
import type { PIPELINE_EVENTS } from "../pipeline/events.js";
import {
  FUNNEL_STAGES,
  type FunnelStage,
  STOPPING_STAGES,
  type StoppingStage,
} from "../pipeline/stages.js";
import { defineProjection } from "./projection.js";

type PipelineEvent = EventOf<typeof PIPELINE_EVENTS>;

export interface StrategyFunnel {
  readonly strategy: string;
  raised: number;
  /** Stops by stage, then by reason code. */
  readonly stopped: Record<StoppingStage, Record<string, number>>;
  executed: number;
  readonly regimes: string[];
  failures: number;
}

/** Per strategy: the funnel of the events folded (one run's, or a day's). */
export type Funnel = Map<string, StrategyFunnel>;

const funnelOf = (state: Funnel, strategy: string): StrategyFunnel => {
  let funnel = state.get(strategy);
  if (!funnel) {
    funnel = {
      strategy,
      raised: 0,
      stopped: { DATA_QUALITY: {}, REGIME: {}, CORRELATION: {}, RISK: {} },
      executed: 0,
      regimes: [],
      failures: 0,
    };
    state.set(strategy, funnel);
  }
  return funnel;
};

/** The signal funnel per strategy (SPEC §7): raised, stopped by stage and reason, executed. */
export const funnelProjection = defineProjection<PipelineEvent, Funnel>(() => new Map(), {
  RunAborted: (state) => state,
  StrategyDecided: (state, { data }) => {
    const funnel = funnelOf(state, data.strategy);
    if (!funnel.regimes.includes(data.regime)) funnel.regimes.push(data.regime);
    return state;
  },
  StrategyFailed: (state, { data }) => {
    funnelOf(state, data.strategy).failures += 1;
    return state;
  },
  SignalRaised: (state, { data }) => {
    funnelOf(state, data.strategy).raised += 1;
    return state;
  },
  SignalStopped: (state, { data }) => {
    const byCode = funnelOf(state, data.strategy).stopped[data.stage];
    byCode[data.code] = (byCode[data.code] ?? 0) + 1;
    return state;
  },
  SignalExecuted: (state, { data }) => {
    funnelOf(state, data.strategy).executed += 1;
    return state;
  },
});

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/** Stops at one stage, all reasons together. */
export function stopsAt(funnel: StrategyFunnel, stage: StoppingStage): number {
  return sum(funnel.stopped[stage]);
}

/**
 * How many signals reached each stage: RAW = raised; each later stage = raised minus the stops
 * at the stages before it; EXECUTED = signals that became order intents.
 */
export function reachedByStage(funnel: StrategyFunnel): Record<FunnelStage, number> {
  const reached = { RAW: funnel.raised } as Record<FunnelStage, number>;
  let remaining = funnel.raised;
  for (const stage of STOPPING_STAGES) {
    reached[stage] = remaining;
    remaining -= stopsAt(funnel, stage);
  }
  reached.EXECUTED = funnel.executed;
  return reached;
}

/** Share of signals that got from one stage to the next (null when none entered the first). */
export function conversionRates(
  funnel: StrategyFunnel,
): { from: FunnelStage; to: FunnelStage; rate: number | null }[] {
  const reached = reachedByStage(funnel);
  return FUNNEL_STAGES.slice(1).map((to, index) => {
    const from = FUNNEL_STAGES[index] as FunnelStage;
    return { from, to, rate: reached[from] === 0 ? null : reached[to] / reached[from] };
  });
}
