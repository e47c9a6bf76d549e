import { denoise } from "../risk/input-rules.js";
import type { DaySlippage, RollingValidation } from "./events.js";

/** What the rolling statistics need of one validated session (a ValidationReport has it). */
export interface ValidationSession {
  readonly date: string;
  readonly logicMatch: boolean;
  readonly averageDrift: number;
  readonly maxDrift: number;
  readonly slippage: DaySlippage;
}

/**
 * The rolling view over the last `sessions` validated sessions (SPEC §13; the plan's 20):
 * logic match %, the mean of the sessions' mean drifts, the largest drift, and the mean adverse
 * slippage over every fill (weighted by fills, so a day with one fill does not count like a day
 * with ten). Sessions are taken by date; a date given twice keeps its later entry.
 */
export function rollingValidation(
  reports: readonly ValidationSession[],
  sessions = 20,
): RollingValidation {
  if (!(Number.isInteger(sessions) && sessions >= 1)) {
    throw new RangeError(`rollingValidation: sessions must be a whole number ≥ 1, got ${sessions}`);
  }
  const byDate = new Map<string, ValidationSession>();
  for (const report of reports) byDate.set(report.date, report);
  const window = [...byDate.values()]
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
    .slice(-sessions);
  if (window.length === 0) {
    throw new RangeError("rollingValidation: needs at least one validated session");
  }
  let logicMatches = 0;
  let driftSum = 0;
  let maxDrift = 0;
  let fills = 0;
  let slippageSum = 0;
  for (const session of window) {
    for (const [name, value] of [
      ["averageDrift", session.averageDrift],
      ["maxDrift", session.maxDrift],
    ] as const) {
      if (!(Number.isFinite(value) && value >= 0)) {
        throw new RangeError(
          `rollingValidation: ${session.date} ${name} must be a finite fraction ≥ 0, got ${value}`,
        );
      }
    }
    if (session.logicMatch) logicMatches++;
    driftSum += session.averageDrift;
    maxDrift = Math.max(maxDrift, session.maxDrift);
    if (session.slippage.fills > 0 && session.slippage.average !== null) {
      fills += session.slippage.fills;
      slippageSum += session.slippage.average * session.slippage.fills;
    }
  }
  return {
    sessions: window.length,
    logicMatches,
    logicMatchPct: denoise((logicMatches / window.length) * 100),
    averageDrift: denoise(driftSum / window.length),
    maxDrift,
    averageSlippage: fills > 0 ? denoise(slippageSum / fills) : null,
    fills,
  };
}
