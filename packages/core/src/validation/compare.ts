import type { z } from "zod";
import type { RunAborted, SignalRaised, StrategyDecided } from "../pipeline/events.js";
import { DEFAULT_VALIDATION_CONFIG } from "./config.js";
import type { DecisionDifference, DecisionSummary, Target } from "./events.js";

type DataOf<Definition extends { schema: z.ZodType }> = z.infer<Definition["schema"]>;

/**
 * The logic of a decision out of its events: the run's abort code, each strategy's regime
 * (StrategyDecided) and each strategy's target per symbol (SignalRaised; a later signal for the
 * same strategy and symbol stands).
 */
export function summarizeDecision(
  events: Iterable<{ readonly type: string; readonly data: unknown }>,
): DecisionSummary {
  let aborted: string | null = null;
  const regimes: Record<string, string> = {};
  const targets: Record<string, Record<string, Target>> = {};
  for (const event of events) {
    if (event.type === "RunAborted") {
      aborted = (event.data as DataOf<typeof RunAborted>).code;
    } else if (event.type === "StrategyDecided") {
      const data = event.data as DataOf<typeof StrategyDecided>;
      regimes[data.strategy] = data.regime;
    } else if (event.type === "SignalRaised") {
      const data = event.data as DataOf<typeof SignalRaised>;
      targets[data.strategy] = { ...targets[data.strategy], [data.symbol]: data.intent };
    }
  }
  return { aborted, regimes, targets };
}

export interface DecisionComparison {
  /** Same abort, same regime for every strategy, same targets (within the tolerance). */
  readonly logicMatch: boolean;
  readonly differences: readonly DecisionDifference[];
}

/** "weight 0.45", "entry 0.3", "exit 1": a target for people. */
export function describeTarget(target: Target): string {
  return target.kind === "target_weight"
    ? `weight ${target.weight}`
    : `${target.kind} ${target.fraction}`;
}

const amountOf = (target: Target) =>
  target.kind === "target_weight" ? target.weight : target.fraction;

const sortedUnion = (a: object, b: object) =>
  [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();

/**
 * Compares the recorded decision with the official-close one (SPEC §13 "logic match"): the
 * same abort, the same regime cell per strategy, and the same target per strategy and symbol —
 * the same kind, with amounts within `weightTolerance` (float noise is not a different decision).
 */
export function compareDecisions(
  recorded: DecisionSummary,
  official: DecisionSummary,
  weightTolerance: number = DEFAULT_VALIDATION_CONFIG.weightTolerance,
): DecisionComparison {
  if (!(Number.isFinite(weightTolerance) && weightTolerance >= 0)) {
    throw new RangeError(`weightTolerance must be a finite number ≥ 0, got ${weightTolerance}`);
  }
  const differences: DecisionDifference[] = [];
  if (recorded.aborted !== official.aborted) {
    differences.push({
      kind: "aborted",
      strategy: null,
      symbol: null,
      recorded: recorded.aborted,
      official: official.aborted,
    });
  }
  for (const strategy of sortedUnion(recorded.regimes, official.regimes)) {
    const before = recorded.regimes[strategy] ?? null;
    const after = official.regimes[strategy] ?? null;
    if (before !== after) {
      differences.push({
        kind: "regime",
        strategy,
        symbol: null,
        recorded: before,
        official: after,
      });
    }
  }
  for (const strategy of sortedUnion(recorded.targets, official.targets)) {
    const before = recorded.targets[strategy] ?? {};
    const after = official.targets[strategy] ?? {};
    for (const symbol of sortedUnion(before, after)) {
      const a = before[symbol];
      const b = after[symbol];
      const same =
        a !== undefined &&
        b !== undefined &&
        a.kind === b.kind &&
        Math.abs(amountOf(a) - amountOf(b)) <= weightTolerance;
      if (!same) {
        differences.push({
          kind: "target",
          strategy,
          symbol,
          recorded: a ? describeTarget(a) : null,
          official: b ? describeTarget(b) : null,
        });
      }
    }
  }
  return { logicMatch: differences.length === 0, differences };
}
