import { denoise, requireFinite } from "../risk/input-rules.js";
import { classifyValidation, priceDrift } from "./classify.js";
import { compareDecisions } from "./compare.js";
import { DEFAULT_VALIDATION_CONFIG, type ValidationConfig } from "./config.js";
import type { DaySlippage, DecisionSummary, SymbolDrift, ValidationReport } from "./events.js";
import { rollingValidation, type ValidationSession } from "./rolling.js";

/** The day's fills as their adverse slippages (SlippageRecorded.adverse): count and mean. */
export function daySlippage(adverse: readonly number[]): DaySlippage {
  if (adverse.length === 0) return { fills: 0, average: null };
  let sum = 0;
  for (const [index, value] of adverse.entries()) {
    sum += requireFinite(value, `adverse slippage of fill ${index + 1}`);
  }
  return { fills: adverse.length, average: denoise(sum / adverse.length) };
}

export interface ValidationReportInput {
  readonly date: string;
  /** The decision run validated. */
  readonly runId: string;
  readonly recorded: DecisionSummary;
  readonly official: DecisionSummary;
  /** Per symbol the decision priced: the price it used and the official close. */
  readonly prices: readonly Omit<SymbolDrift, "drift">[];
  readonly slippage: DaySlippage;
  /** Sessions validated before this one (the rolling view takes the last ones by date). */
  readonly previous: readonly ValidationSession[];
}

/**
 * One day's validation report (SPEC §13): the logic comparison, the drift per symbol, the
 * status, and the rolling view over this session and the ones before it.
 */
export function validationReport(
  input: ValidationReportInput,
  config: ValidationConfig = DEFAULT_VALIDATION_CONFIG,
): ValidationReport {
  const comparison = compareDecisions(input.recorded, input.official, config.weightTolerance);
  const prices: SymbolDrift[] = [...input.prices]
    .sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0))
    .map((line) => ({
      ...line,
      drift: priceDrift(line.decisionPrice, line.officialClose, line.symbol),
    }));
  const verdict = classifyValidation(
    {
      logicMatch: comparison.logicMatch,
      drifts: Object.fromEntries(prices.map((line) => [line.symbol, line.drift])),
    },
    config,
  );
  const averageDrift =
    prices.length === 0
      ? 0
      : denoise(prices.reduce((sum, line) => sum + line.drift, 0) / prices.length);
  const session: ValidationSession = {
    date: input.date,
    logicMatch: comparison.logicMatch,
    averageDrift,
    maxDrift: verdict.maxDrift,
    slippage: input.slippage,
  };
  const earlier = input.previous.filter((previous) => previous.date < input.date);
  return {
    date: input.date,
    runId: input.runId,
    status: verdict.status,
    reason: verdict.reason,
    logicMatch: comparison.logicMatch,
    differences: [...comparison.differences],
    prices,
    averageDrift,
    maxDrift: verdict.maxDrift,
    regimes: { recorded: input.recorded.regimes, official: input.official.regimes },
    targets: { recorded: input.recorded.targets, official: input.official.targets },
    aborted: { recorded: input.recorded.aborted, official: input.official.aborted },
    slippage: input.slippage,
    rolling: rollingValidation([...earlier, session], config.rollingSessions),
    thresholds: { greenBelow: config.greenBelow, yellowUpTo: config.yellowUpTo },
  };
}
