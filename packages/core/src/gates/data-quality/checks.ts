import { formatPercent } from "../../format.js";
import type { Bar } from "../../market/bars.js";
import type { DataQualityConfig } from "./config.js";

/** The per-symbol checks, in the order they are reported. */
export const DATA_QUALITY_CHECKS = [
  "stale",
  "insufficient_history",
  "price_outlier",
  "missing_indicator",
  "nan_share",
] as const;
export type DataQualityCheck = (typeof DATA_QUALITY_CHECKS)[number];

/** One failed check. The funnel code is always `data_quality`; `check` says which. */
export interface DataQualityFailure {
  readonly check: DataQualityCheck;
  readonly code: "data_quality";
  readonly message: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

/** An indicator's recent values, oldest first; null or NaN is a missing value. */
export type IndicatorWindow = readonly (number | null)[];

// Floating-point slack so that a value exactly at a limit passes however it was computed.
const LIMIT_SLACK = 1e-9;

const oneDecimal = (value: number): number => Number(value.toFixed(1));

const failure = (
  check: DataQualityCheck,
  message: string,
  detail: Readonly<Record<string, unknown>>,
): DataQualityFailure => ({ check, code: "data_quality", message, detail });

export interface StalenessFacts {
  readonly lastBarDate: string | null;
  /** The instant the last bar's session closed (ISO UTC), when there is a last bar. */
  readonly lastCloseAt: string | null;
  /** Hours from that close to the decision; 0 for today's bar (the session has not closed). */
  readonly ageHours: number | null;
  readonly maxAgeHours: number;
  readonly assetClass: string | null;
  /** The last session before the decision date, when a calendar was given. */
  readonly previousSession: string | null;
}

export function staleness(symbol: string, facts: StalenessFacts): DataQualityFailure | null {
  const { lastBarDate, ageHours, maxAgeHours, previousSession } = facts;
  if (lastBarDate === null || ageHours === null) {
    return failure("stale", `${symbol} has no bars at all`, { ...facts });
  }
  if (ageHours <= maxAgeHours) return null;
  // A long weekend is not stale data: nothing newer than the previous session can exist.
  if (previousSession !== null && lastBarDate >= previousSession) return null;
  return failure(
    "stale",
    `${symbol} last bar ${lastBarDate} closed ${oneDecimal(ageHours)} h before the decision (limit ${maxAgeHours} h)`,
    { ...facts },
  );
}

export function historyLength(
  symbol: string,
  bars: readonly Bar[],
  config: DataQualityConfig,
  strategyHistoryBars: number | null,
): DataQualityFailure | null {
  const required = Math.max(config.minHistoryBars, strategyHistoryBars ?? 0);
  if (bars.length >= required) return null;
  return failure(
    "insufficient_history",
    `${symbol} has ${bars.length} bars of history, fewer than the ${required} required`,
    {
      bars: bars.length,
      required,
      minHistoryBars: config.minHistoryBars,
      strategyHistoryBars,
    },
  );
}

export interface DailyMove {
  readonly date: string;
  readonly previousDate: string;
  readonly priorClose: number;
  readonly close: number;
  /** close / priorClose − 1. */
  readonly move: number;
}

export function priceOutliers(
  symbol: string,
  bars: readonly Bar[],
  config: DataQualityConfig,
): DataQualityFailure | null {
  const limit = config.maxDailyMove + LIMIT_SLACK;
  const moves: DailyMove[] = [];
  for (let index = 1; index < bars.length; index++) {
    const previous = bars[index - 1] as Bar;
    const current = bars[index] as Bar;
    const move = (current.close - previous.close) / previous.close;
    if (Math.abs(move) > limit) {
      moves.push({
        date: current.date,
        previousDate: previous.date,
        priorClose: previous.close,
        close: current.close,
        move,
      });
    }
  }
  const [largest] = [...moves].sort((a, b) => Math.abs(b.move) - Math.abs(a.move));
  if (!largest) return null;
  const more = moves.length > 1 ? ` (${moves.length} such days)` : "";
  return failure(
    "price_outlier",
    `${symbol} moved ${largest.move > 0 ? "+" : ""}${formatPercent(largest.move)} in one day on ${largest.date} (${largest.priorClose} → ${largest.close}), more than the ${formatPercent(config.maxDailyMove)} limit${more}`,
    { moves, maxDailyMove: config.maxDailyMove },
  );
}

const isMissing = (value: number | null | undefined): boolean =>
  value === null || value === undefined || !Number.isFinite(value);

export function missingIndicators(
  symbol: string,
  indicators: Readonly<Record<string, IndicatorWindow>>,
  required: readonly string[],
): DataQualityFailure | null {
  const missing = required.filter((name) => isMissing(indicators[name]?.at(-1)));
  if (missing.length === 0) return null;
  const latest: Record<string, number | null> = {};
  for (const name of missing) {
    const value = indicators[name]?.at(-1);
    latest[name] = value === undefined ? null : value;
  }
  return failure(
    "missing_indicator",
    `${symbol} is missing the latest value of ${missing.join(", ")}`,
    { missing, latest },
  );
}

export interface NanShare {
  readonly indicator: string;
  readonly missing: number;
  readonly window: number;
  readonly share: number;
}

export function nanShares(
  symbol: string,
  indicators: Readonly<Record<string, IndicatorWindow>>,
  config: DataQualityConfig,
): DataQualityFailure | null {
  const offending: NanShare[] = [];
  for (const [indicator, series] of Object.entries(indicators)) {
    const window = series.slice(-config.nanWindowBars);
    if (window.length === 0) continue;
    const missing = window.filter(isMissing).length;
    const share = missing / window.length;
    if (share > config.maxNanShare + LIMIT_SLACK) {
      offending.push({ indicator, missing, window: window.length, share });
    }
  }
  if (offending.length === 0) return null;
  const words = offending.map(
    (entry) =>
      `${entry.indicator} ${entry.missing} of ${entry.window} (${formatPercent(entry.share)})`,
  );
  return failure(
    "nan_share",
    `${symbol} has too many missing indicator values: ${words.join(", ")}; limit ${formatPercent(config.maxNanShare)}`,
    { indicators: offending, maxNanShare: config.maxNanShare, nanWindowBars: config.nanWindowBars },
  );
}
