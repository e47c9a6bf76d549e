import { z } from "zod";
import { parseConfig } from "../config/parse-config.js";
import { assertBarSeries } from "./bar-series.js";
import type { Bar } from "./bars.js";
import type { RunCheck } from "./run-abort.js";

/**
 * Corporate-action (split) detection over unadjusted daily bars (SPEC §8; plan: "corporate
 * action detected" aborts the run). A split does not change what a holding is worth, but in
 * unadjusted history it looks like a crash (2:1 → price halves) or a rally (1:10 reverse split
 * → price × 10), and every indicator built on it would be wrong. So a split-like jump aborts
 * the run as CRITICAL for a person to look at.
 *
 * Two kinds of evidence:
 * 1. Close ratio: the day-over-day close ratio is within `closeRatioTolerance` (distance in log
 *    space, |ln(ratio / splitRatio)|, so a split and its reverse are judged alike) of a split's
 *    price ratio. Genuine moves must not match: 3× leveraged ETFs have moved 30–40% in a day,
 *    so a −34% day (ratio 0.66) looks like a 3:2 split (0.667) and +45% like 2:3 (1.5).
 *    Candidates are therefore only splits whose band lies wholly outside ±`genuineMoveLimit`
 *    (45%): 2:1 (0.5) is the closest, and with tolerance 0.08 its band ends at 0.5 × e^0.08 ≈
 *    0.542 < 0.55. The config refuses a candidate list or tolerance that breaks this.
 *    The price of that choice: a 3:2 split is not seen from closes alone, and a genuine
 *    crash of 46–54% is flagged (it is also a > 50% outlier for the data-quality gate).
 * 2. Adjusted close (strong evidence): when both days carry `adjClose`, a real move shows in
 *    both series alike, while a split makes the unadjusted close jump and the adjusted one move
 *    smoothly. The divergence (close ratio ÷ adjusted ratio) then equals the split's price
 *    ratio almost exactly (a dividend on the day shifts it by its yield, ~1%), so it is
 *    matched with a tight tolerance against a wider list that includes 3:2 and 2:3.
 * A day that matches neither passes. When the adjusted series also jumps (a source that has
 * not yet adjusted), evidence 1 still applies.
 */

const SPLIT = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/;

/** "N:M" — N new shares for M old — moves the unadjusted price by the ratio M / N. */
export function splitPriceRatio(split: string): number {
  if (!isSplit(split)) {
    throw new RangeError(
      `split "${split}" must be written N:M with N ≠ M, both > 0 (e.g. 2:1, 1:10)`,
    );
  }
  const [newShares, oldShares] = split.split(":").map(Number) as [number, number];
  return oldShares / newShares;
}

function isSplit(split: string): boolean {
  const parts = SPLIT.exec(split);
  const newShares = Number(parts?.[1]);
  const oldShares = Number(parts?.[2]);
  return parts !== null && newShares > 0 && oldShares > 0 && newShares !== oldShares;
}

const splitList = z.array(
  z.string().refine(isSplit, {
    message: "a split is written N:M with N ≠ M, both > 0, e.g. 2:1 or 1:10",
  }),
);

export const corporateActionConfigSchema = z
  .object({
    /** Splits recognised from the close ratio alone. */
    closeRatioSplits: splitList
      .min(1)
      .default([
        "2:1",
        "3:1",
        "4:1",
        "5:1",
        "10:1",
        "20:1",
        "1:2",
        "1:3",
        "1:4",
        "1:5",
        "1:8",
        "1:10",
        "1:15",
        "1:20",
      ]),
    /** Largest |ln(closeRatio / splitRatio)| that still counts as that split. */
    closeRatioTolerance: z.number().gt(0).lt(0.5).default(0.08),
    /** One-day moves up to this size (either way) are taken as genuine and must never match. */
    genuineMoveLimit: z.number().gt(0).lt(1).default(0.45),
    /** Splits recognised when the adjusted close moves smoothly while the close jumps. */
    adjustedSplits: splitList
      .min(1)
      .default([
        "3:2",
        "2:1",
        "3:1",
        "4:1",
        "5:1",
        "10:1",
        "20:1",
        "2:3",
        "1:2",
        "1:3",
        "1:4",
        "1:5",
        "1:8",
        "1:10",
        "1:15",
        "1:20",
      ]),
    /** Largest |ln(divergence / splitRatio)| for the adjusted-close evidence. */
    adjustedTolerance: z.number().gt(0).lt(0.2).default(0.02),
  })
  .superRefine((config, context) => {
    const lowest = 1 - config.genuineMoveLimit;
    const highest = 1 + config.genuineMoveLimit;
    for (const split of config.closeRatioSplits) {
      if (!isSplit(split)) continue;
      const ratio = splitPriceRatio(split);
      const bandLow = ratio * Math.exp(-config.closeRatioTolerance);
      const bandHigh = ratio * Math.exp(config.closeRatioTolerance);
      if (bandHigh >= lowest && bandLow <= highest) {
        context.addIssue({
          code: "custom",
          path: ["closeRatioSplits"],
          message: `split ${split} (price ratio ${round(ratio)}) with closeRatioTolerance ${config.closeRatioTolerance} matches ratios ${round(bandLow)}–${round(bandHigh)}, which overlaps genuine moves of up to ±${config.genuineMoveLimit * 100}% (${round(lowest)}–${round(highest)})`,
        });
      }
    }
    for (const split of config.adjustedSplits) {
      if (!isSplit(split)) continue;
      if (Math.abs(Math.log(splitPriceRatio(split))) <= config.adjustedTolerance) {
        context.addIssue({
          code: "custom",
          path: ["adjustedSplits"],
          message: `split ${split} is within adjustedTolerance ${config.adjustedTolerance} of no change at all`,
        });
      }
    }
  });

const round = (value: number): number => Number(value.toFixed(4));

export type CorporateActionConfig = z.output<typeof corporateActionConfigSchema>;
export type CorporateActionConfigInput = z.input<typeof corporateActionConfigSchema>;

export function parseCorporateActionConfig(
  input: CorporateActionConfigInput = {},
): CorporateActionConfig {
  return parseConfig("corporate-action", corporateActionConfigSchema, input);
}

export const DEFAULT_CORPORATE_ACTION_CONFIG: CorporateActionConfig = parseCorporateActionConfig();

/** Why one day looks like a split. */
export interface CorporateActionEvidence {
  readonly date: string;
  readonly previousDate: string;
  readonly priorClose: number;
  readonly close: number;
  /** close / priorClose. */
  readonly ratio: number;
  /** adjClose / prior adjClose, when both days have one. */
  readonly adjustedRatio: number | null;
  /** The split it looks like, e.g. "2:1", and that split's price ratio (0.5). */
  readonly nearestSplit: string;
  readonly splitPriceRatio: number;
  /** |ln(observed / splitPriceRatio)|: 0 is an exact match. */
  readonly distance: number;
  readonly tolerance: number;
  /** `adjusted_close_divergence`: close jumped while the adjusted close did not (strong). */
  readonly method: "close_ratio" | "adjusted_close_divergence";
}

export interface CorporateActionDetail {
  readonly symbol: string;
  readonly evidence: readonly CorporateActionEvidence[];
}

export type CorporateActionCheck = RunCheck<"corporate_action", CorporateActionDetail>;

interface Candidate {
  readonly split: string;
  readonly ratio: number;
  readonly logRatio: number;
}

/** The candidate nearest to `observed` in log space, if within tolerance. */
function nearest(
  observed: number,
  candidates: readonly Candidate[],
  tolerance: number,
): { candidate: Candidate; distance: number } | null {
  const logObserved = Math.log(observed);
  let best: { candidate: Candidate; distance: number } | null = null;
  for (const candidate of candidates) {
    const distance = Math.abs(logObserved - candidate.logRatio);
    if (distance <= tolerance && (best === null || distance < best.distance)) {
      best = { candidate, distance };
    }
  }
  return best;
}

interface Candidates {
  readonly close: readonly Candidate[];
  readonly adjusted: readonly Candidate[];
  /** Close ratios strictly inside (quietLow, quietHigh) cannot match any close-ratio candidate. */
  readonly quietLow: number;
  readonly quietHigh: number;
}

// Parsed configs are immutable values; their candidate lists are computed once per config.
const candidatesCache = new WeakMap<CorporateActionConfig, Candidates>();

function candidatesOf(config: CorporateActionConfig): Candidates {
  let cached = candidatesCache.get(config);
  if (!cached) {
    const toCandidate = (split: string): Candidate => {
      const ratio = splitPriceRatio(split);
      return { split, ratio, logRatio: Math.log(ratio) };
    };
    const close = config.closeRatioSplits.map(toCandidate);
    const quietLogMove =
      Math.min(...close.map((candidate) => Math.abs(candidate.logRatio))) -
      config.closeRatioTolerance;
    cached = {
      close,
      adjusted: config.adjustedSplits.map(toCandidate),
      quietLow: Math.exp(-quietLogMove),
      quietHigh: Math.exp(quietLogMove),
    };
    candidatesCache.set(config, cached);
  }
  return cached;
}

/**
 * Scans one symbol's unadjusted bars (oldest first) for split-like jumps. Returns pass, or a
 * CRITICAL `corporate_action` abort with the evidence of every suspicious day. Bars that are
 * not a usable series (unordered dates, non-positive prices) throw.
 */
export function detectCorporateActions(
  symbol: string,
  bars: readonly Bar[],
  config: CorporateActionConfig = DEFAULT_CORPORATE_ACTION_CONFIG,
): CorporateActionCheck {
  assertBarSeries(symbol, bars);
  return scanCorporateActions(symbol, bars, config);
}

/** `detectCorporateActions` for bars the caller has already checked with `assertBarSeries`. */
export function scanCorporateActions(
  symbol: string,
  bars: readonly Bar[],
  config: CorporateActionConfig,
): CorporateActionCheck {
  const candidates = candidatesOf(config);
  const evidence: CorporateActionEvidence[] = [];
  for (let index = 1; index < bars.length; index++) {
    const previous = bars[index - 1] as Bar;
    const current = bars[index] as Bar;
    const ratio = current.close / previous.close;
    const adjustedRatio =
      current.adjClose !== undefined && previous.adjClose !== undefined
        ? current.adjClose / previous.adjClose
        : null;
    const base = {
      date: current.date,
      previousDate: previous.date,
      priorClose: previous.close,
      close: current.close,
      ratio,
      adjustedRatio,
    };
    if (adjustedRatio !== null) {
      const match = nearest(ratio / adjustedRatio, candidates.adjusted, config.adjustedTolerance);
      if (match) {
        evidence.push({
          ...base,
          nearestSplit: match.candidate.split,
          splitPriceRatio: match.candidate.ratio,
          distance: match.distance,
          tolerance: config.adjustedTolerance,
          method: "adjusted_close_divergence",
        });
        continue;
      }
    }
    if (ratio > candidates.quietLow && ratio < candidates.quietHigh) continue;
    const match = nearest(ratio, candidates.close, config.closeRatioTolerance);
    if (match) {
      evidence.push({
        ...base,
        nearestSplit: match.candidate.split,
        splitPriceRatio: match.candidate.ratio,
        distance: match.distance,
        tolerance: config.closeRatioTolerance,
        method: "close_ratio",
      });
    }
  }
  const [first] = evidence;
  if (!first) return { pass: true };
  const more = evidence.length > 1 ? ` (and ${evidence.length - 1} more suspicious days)` : "";
  const how =
    first.method === "adjusted_close_divergence"
      ? ` while the adjusted close moved ×${round(first.adjustedRatio ?? 1)}`
      : "";
  return {
    pass: false,
    severity: "CRITICAL",
    code: "corporate_action",
    message: `${symbol} close went from ${first.priorClose} on ${first.previousDate} to ${first.close} on ${first.date} (×${round(first.ratio)})${how}: looks like a ${first.nearestSplit} split (price ×${round(first.splitPriceRatio)}) in unadjusted data${more}; review and adjust the history before trading`,
    detail: { symbol, evidence },
  };
}
