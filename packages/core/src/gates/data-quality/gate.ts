import type { TradingCalendar } from "../../calendar/trading-calendar.js";
import { assertBarSeries } from "../../market/bar-series.js";
import type { Bar, Quote } from "../../market/bars.js";
import { scanCorporateActions } from "../../market/corporate-actions.js";
import { crossCheckQuotes } from "../../market/cross-source.js";
import {
  hoursBetween,
  newYorkDate,
  parseInstant,
  regularSessionClose,
} from "../../market/new-york-time.js";
import type { RunAbort } from "../../market/run-abort.js";
import {
  DATA_QUALITY_CHECKS,
  type DataQualityCheck,
  type DataQualityFailure,
  historyLength,
  type IndicatorWindow,
  missingIndicators,
  nanShares,
  priceOutliers,
  staleness,
} from "./checks.js";
import { type DataQualityConfig, DEFAULT_DATA_QUALITY_CONFIG } from "./config.js";

/** One symbol's data as the strategy will see it. */
export interface SymbolMarketData {
  readonly symbol: string;
  /** Oldest first; may end with today's synthetic bar (the 3:55 protocol). */
  readonly bars: readonly Bar[];
  /** Picks the staleness limit from `maxAgeHoursByAssetClass`; default limit otherwise. */
  readonly assetClass?: string;
  /**
   * The indicator series the strategy needs for this symbol, each its recent values oldest
   * first. Every series listed is required: a null/NaN latest value is missing.
   */
  readonly indicators?: Readonly<Record<string, IndicatorWindow>>;
  /** Indicators that must be present even if absent from `indicators` (absent = missing). */
  readonly requiredIndicators?: readonly string[];
}

export interface DataQualityInput {
  /** The decision instant, ISO-8601 UTC. */
  readonly at: string;
  readonly symbols: readonly SymbolMarketData[];
  /** The strategy's `historyBars`; the history check requires the larger of it and the config's. */
  readonly historyBars?: number;
  /** Live quotes, possibly several sources per symbol: each other source is checked against the first. */
  readonly quotes?: readonly Quote[];
  /** When a bar's session closed (ISO UTC); default 16:00 New York. Pass the NYSE calendar's for early closes. */
  readonly sessionClose?: (date: string) => string;
  /**
   * With a calendar, a last bar from the previous session is never stale, so a Monday holiday
   * (Friday close → Tuesday decision ≈ 96 h) does not block everything.
   */
  readonly calendar?: TradingCalendar;
}

export interface SymbolQuality {
  readonly symbol: string;
  readonly pass: boolean;
  readonly failures: readonly DataQualityFailure[];
}

export interface DataQualitySummary {
  readonly checked: number;
  readonly passed: number;
  /** Blocked symbols, in input order. */
  readonly blocked: readonly string[];
  /** How many symbols failed each check. */
  readonly failuresByCheck: Readonly<Record<DataQualityCheck, number>>;
  /** For people: "5 symbols checked, 3 passed; blocked: TMF (stale), TMV (price_outlier)". */
  readonly message: string;
}

export interface DataQualityReport {
  readonly at: string;
  /** Per symbol, in input order. */
  readonly symbols: readonly SymbolQuality[];
  readonly summary: DataQualitySummary;
  /** Run-level CRITICAL aborts (split-like jumps, quote sources disagreeing); empty when none. */
  readonly aborts: readonly RunAbort[];
}

/**
 * The data-quality gate (SPEC §8): per symbol, staleness, history length, one-day outliers,
 * missing indicators and NaN share; a symbol failing any is blocked and its signals stop at
 * DATA_QUALITY with `data_quality`. Run-level aborts (corporate actions, cross-source quote
 * mismatch) are returned separately in `aborts`. Pure: the decision instant comes in as `at`.
 * Throws on bad input: duplicate symbols, bars that are not an ordered series of positive
 * prices, bars dated after the decision date, a malformed instant.
 */
export function checkDataQuality(
  input: DataQualityInput,
  config: DataQualityConfig = DEFAULT_DATA_QUALITY_CONFIG,
): DataQualityReport {
  parseInstant(input.at);
  const decisionDate = newYorkDate(input.at);
  const previousSession = input.calendar ? input.calendar.previousSession(decisionDate) : null;
  // Most symbols share a last date: work out each date's close once per run.
  const closeOf = input.sessionClose ?? regularSessionClose;
  const closes = new Map<string, { at: string; ageHours: number }>();
  const sessionClose = (date: string) => {
    let close = closes.get(date);
    if (!close) {
      const at = closeOf(date);
      close = { at, ageHours: Math.max(0, hoursBetween(at, input.at)) };
      closes.set(date, close);
    }
    return close;
  };
  const strategyHistoryBars = input.historyBars ?? null;
  if (
    strategyHistoryBars !== null &&
    !(Number.isInteger(strategyHistoryBars) && strategyHistoryBars >= 0)
  ) {
    throw new RangeError(
      `checkDataQuality: historyBars must be a whole number ≥ 0, got ${strategyHistoryBars}`,
    );
  }

  const seen = new Set<string>();
  const symbols: SymbolQuality[] = [];
  const aborts: RunAbort[] = [];
  for (const data of input.symbols) {
    const { symbol, bars } = data;
    if (seen.has(symbol)) throw new RangeError(`checkDataQuality: symbol ${symbol} appears twice`);
    seen.add(symbol);
    assertBarSeries(symbol, bars);
    const lastBar = bars.at(-1);
    if (lastBar && lastBar.date > decisionDate) {
      throw new RangeError(
        `checkDataQuality: ${symbol} has a bar dated ${lastBar.date}, after the decision date ${decisionDate} (data from the future)`,
      );
    }
    const maxAgeHours =
      (data.assetClass !== undefined
        ? config.maxAgeHoursByAssetClass[data.assetClass]
        : undefined) ?? config.maxAgeHours;
    const lastClose = lastBar ? sessionClose(lastBar.date) : null;
    const indicators = data.indicators ?? {};
    const required = [...new Set([...Object.keys(indicators), ...(data.requiredIndicators ?? [])])];
    const failures = [
      staleness(symbol, {
        lastBarDate: lastBar?.date ?? null,
        lastCloseAt: lastClose?.at ?? null,
        ageHours: lastClose?.ageHours ?? null,
        maxAgeHours,
        assetClass: data.assetClass ?? null,
        previousSession,
      }),
      historyLength(symbol, bars, config, strategyHistoryBars),
      priceOutliers(symbol, bars, config),
      missingIndicators(symbol, indicators, required),
      nanShares(symbol, indicators, config),
    ].filter((entry): entry is DataQualityFailure => entry !== null);
    symbols.push({ symbol, pass: failures.length === 0, failures });

    const corporateAction = scanCorporateActions(symbol, bars, config.corporateActions);
    if (!corporateAction.pass) aborts.push(corporateAction);
  }
  aborts.push(...quoteMismatches(input.quotes ?? [], config));
  return { at: input.at, symbols, summary: summarize(symbols), aborts };
}

function quoteMismatches(quotes: readonly Quote[], config: DataQualityConfig): RunAbort[] {
  const primary = new Map<string, Quote>();
  const found: RunAbort[] = [];
  for (const quote of quotes) {
    const first = primary.get(quote.symbol);
    if (!first) {
      primary.set(quote.symbol, quote);
      continue;
    }
    const check = crossCheckQuotes(first, quote, config.crossSource);
    if (!check.pass) found.push(check);
  }
  return found;
}

function summarize(symbols: readonly SymbolQuality[]): DataQualitySummary {
  const failuresByCheck = Object.fromEntries(
    DATA_QUALITY_CHECKS.map((check) => [check, 0]),
  ) as Record<DataQualityCheck, number>;
  const blocked: string[] = [];
  const words: string[] = [];
  for (const { symbol, pass, failures } of symbols) {
    for (const { check } of failures) failuresByCheck[check] += 1;
    if (!pass) {
      blocked.push(symbol);
      words.push(`${symbol} (${failures.map((entry) => entry.check).join(", ")})`);
    }
  }
  const passed = symbols.length - blocked.length;
  const noun = symbols.length === 1 ? "symbol" : "symbols";
  const message =
    blocked.length === 0
      ? `${symbols.length} ${noun} checked, all passed`
      : `${symbols.length} ${noun} checked, ${passed} passed; blocked: ${words.join(", ")}`;
  return { checked: symbols.length, passed, blocked, failuresByCheck, message };
}

/** What the funnel records for a signal on a symbol: pass, or `data_quality` with the failed checks. */
export type DataQualityVerdict =
  | { readonly pass: true }
  | {
      readonly pass: false;
      readonly code: "data_quality";
      readonly message: string;
      readonly detail: {
        readonly symbol: string;
        /** The failed checks, in report order; the first is the headline. */
        readonly checks: readonly DataQualityCheck[];
        readonly failures: readonly DataQualityFailure[];
      };
    };

/** The verdict for one symbol of a report; a symbol the report did not check throws. */
export function dataQualityVerdict(report: DataQualityReport, symbol: string): DataQualityVerdict {
  const entry = report.symbols.find((candidate) => candidate.symbol === symbol);
  if (!entry) {
    const known = report.symbols.map((candidate) => candidate.symbol).join(", ");
    throw new RangeError(
      `dataQualityVerdict: ${symbol} was not checked; the report covers ${known || "no symbols"}`,
    );
  }
  if (entry.pass) return { pass: true };
  return {
    pass: false,
    code: "data_quality",
    message: entry.failures.map((failure) => failure.message).join("; "),
    detail: {
      symbol,
      checks: entry.failures.map((failure) => failure.check),
      failures: entry.failures,
    },
  };
}
