import type { EventOf } from "../events/registry.js";
import type { RUN_EVENTS } from "../events/run-events.js";
import type { PIPELINE_EVENTS } from "../pipeline/events.js";
import type { StoppingStage } from "../pipeline/stages.js";
import { defineProjection } from "./projection.js";

type DayEvent = EventOf<typeof RUN_EVENTS> | EventOf<typeof PIPELINE_EVENTS>;

interface StopTally {
  readonly stage: StoppingStage;
  readonly code: string;
  count: number;
  /** The first stop's message: the constraint in words, with its dates and numbers. */
  readonly message: string;
}

/** What a day's events say about trading, accumulated event by event. */
export interface DayActivity {
  runsStarted: number;
  lastOutcome: string | null;
  open: boolean;
  abort: { code: string; message: string } | null;
  strategies: Map<string, { regime: string; signals: number }>;
  failures: { strategy: string; message: string }[];
  raised: number;
  executed: number;
  stops: Map<string, StopTally>;
}

export const dayActivity = defineProjection<DayEvent, DayActivity>(
  () => ({
    runsStarted: 0,
    lastOutcome: null,
    open: false,
    abort: null,
    strategies: new Map(),
    failures: [],
    raised: 0,
    executed: 0,
    stops: new Map(),
  }),
  {
    RunStarted: (state) => {
      state.runsStarted += 1;
      state.open = true;
      return state;
    },
    RunCompleted: (state, { data }) => {
      state.open = false;
      state.lastOutcome = data.outcome;
      return state;
    },
    RunAborted: (state, { data }) => {
      state.abort = { code: data.code, message: data.message };
      return state;
    },
    StrategyDecided: (state, { data }) => {
      state.strategies.set(data.strategy, { regime: data.regime, signals: data.signals });
      return state;
    },
    StrategyFailed: (state, { data }) => {
      state.failures.push({ strategy: data.strategy, message: data.message });
      return state;
    },
    SignalRaised: (state) => {
      state.raised += 1;
      return state;
    },
    SignalStopped: (state, { data }) => {
      const key = `${data.stage}/${data.code}`;
      const tally = state.stops.get(key);
      if (tally) tally.count += 1;
      else
        state.stops.set(key, {
          stage: data.stage,
          code: data.code,
          count: 1,
          message: data.message,
        });
      return state;
    },
    SignalExecuted: (state) => {
      state.executed += 1;
      return state;
    },
  },
);

export interface StopReason {
  readonly stage: StoppingStage;
  readonly code: string;
  readonly count: number;
  readonly message: string;
}

/** Why a day traded or did not: machine-readable, with a sentence for people in `summary`. */
export type WhyNoTrade =
  | { readonly verdict: "traded"; readonly orders: number; readonly summary: string }
  | {
      readonly verdict: "no_run";
      readonly reason:
        | "no_run_recorded"
        | "market_closed"
        | "preflight_failed"
        | "crashed"
        | "failed";
      readonly summary: string;
    }
  | { readonly verdict: "aborted"; readonly code: string; readonly summary: string }
  | {
      readonly verdict: "no_signal";
      readonly strategies: readonly { strategy: string; regime: string }[];
      readonly failures: readonly { strategy: string; message: string }[];
      readonly summary: string;
    }
  | {
      readonly verdict: "all_stopped";
      /** The stage that removed the most signals. */
      readonly stage: StoppingStage;
      /** Reasons, most frequent first. */
      readonly topReasons: readonly StopReason[];
      /** The top reason's constraint in words, e.g. "HALT since 2026-11-12: drawdown 8.4%; …". */
      readonly bindingConstraint: string;
      readonly summary: string;
    };

/** Turns a day's activity into the answer to "why did nothing trade?" (SPEC §7). */
export function explainDay(activity: DayActivity): WhyNoTrade {
  if (activity.executed > 0) {
    return {
      verdict: "traded",
      orders: activity.executed,
      summary: `${activity.executed} signal(s) became orders`,
    };
  }
  if (activity.runsStarted === 0) {
    return {
      verdict: "no_run",
      reason: "no_run_recorded",
      summary: "no run happened: nothing was recorded for this day",
    };
  }
  if (activity.abort) {
    return {
      verdict: "aborted",
      code: activity.abort.code,
      summary: `the run was aborted: ${activity.abort.message}`,
    };
  }
  if (activity.open) {
    return {
      verdict: "no_run",
      reason: "crashed",
      summary: "the run started but never finished (crashed or still running)",
    };
  }
  if (activity.lastOutcome === "market_closed") {
    return { verdict: "no_run", reason: "market_closed", summary: "no run: the market was closed" };
  }
  if (activity.lastOutcome === "preflight_failed") {
    return {
      verdict: "no_run",
      reason: "preflight_failed",
      summary: "no run: the pre-flight checks failed",
    };
  }
  const reasons = [...activity.stops.values()]
    .map(({ stage, code, count, message }) => ({ stage, code, count, message }))
    .sort(
      (a, b) => b.count - a.count || a.stage.localeCompare(b.stage) || a.code.localeCompare(b.code),
    );
  const [top] = reasons;
  if (activity.raised === 0 || !top) {
    const strategies = [...activity.strategies].map(([strategy, { regime }]) => ({
      strategy,
      regime,
    }));
    const failures = activity.failures;
    const parts = [
      ...strategies.map(
        ({ strategy, regime }) => `${strategy} produced no signal (regime ${regime || "unknown"})`,
      ),
      ...failures.map(({ strategy, message }) => `${strategy} failed: ${message}`),
    ];
    if (activity.lastOutcome === "failed" && parts.length === 0) {
      return {
        verdict: "no_run",
        reason: "failed",
        summary: "the run failed before any strategy decided",
      };
    }
    return {
      verdict: "no_signal",
      strategies,
      failures,
      summary: parts.join("; ") || "no strategy decided",
    };
  }
  const byStage = new Map<StoppingStage, number>();
  for (const reason of reasons)
    byStage.set(reason.stage, (byStage.get(reason.stage) ?? 0) + reason.count);
  const [stage] = [...byStage].sort((a, b) => b[1] - a[1])[0] ?? [top.stage];
  return {
    verdict: "all_stopped",
    stage,
    topReasons: reasons,
    bindingConstraint: top.message,
    summary: `all ${activity.raised} signal(s) stopped, most at ${stage}: ${top.message}`,
  };
}
