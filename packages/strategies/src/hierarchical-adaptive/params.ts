import {
  DEFAULT_KALMAN_VELOCITY_CONFIG,
  kalmanVelocityConfigSchema,
  parseConfig,
} from "@trader/core";
import { z } from "zod";

/**
 * Hierarchical Adaptive v3.5b's parameters (SPEC §16), with the plan's "Titan" config as the
 * defaults. docs/strategies/hierarchical-adaptive-v3.5b.md states every rule they drive.
 */

export const EQUITY_TRENDS = ["bull", "neutral", "bear"] as const;
export type EquityTrend = (typeof EQUITY_TRENDS)[number];
export const VOLATILITY_STATES = ["low_vol", "high_vol"] as const;
export type VolatilityState = (typeof VOLATILITY_STATES)[number];
export const BOND_TRENDS = ["up", "down", "flat"] as const;
export type BondTrend = (typeof BOND_TRENDS)[number];

/** The regime cells (equity trend × volatility); post-market validation compares them by name. */
export const REGIME_CELLS = [
  "bull_low_vol",
  "bull_high_vol",
  "neutral_low_vol",
  "neutral_high_vol",
  "bear_low_vol",
  "bear_high_vol",
] as const;
export type RegimeCell = (typeof REGIME_CELLS)[number];

export function regimeCell(trend: EquityTrend, volatility: VolatilityState): RegimeCell {
  return `${trend}_${volatility}`;
}

/** The regime reported while the snapshot holds fewer bars than `historyBars`. */
export const INSUFFICIENT_HISTORY_REGIME = "insufficient_history";

const fraction = z.number().finite().min(0).max(1);
const window = (minimum: number) => z.number().int().min(minimum);

/** One cell's target: fractions of equity per sleeve, before the leverage scalar and bond cap. */
const cellWeightsSchema = z
  .object({
    /** The leveraged equity ETF (`bullSymbol`, TQQQ). */
    leveragedEquity: fraction,
    /** The unleveraged equity (`signalSymbol`, QQQ). */
    equity: fraction,
    /** The safe-haven bond sleeve: `bullBond` (TMF) or `bearBond` (TMV) by the bond trend. */
    bonds: fraction,
  })
  .strict();
export type CellWeights = z.output<typeof cellWeightsSchema>;

const DEFAULT_CELL_WEIGHTS: Record<RegimeCell, CellWeights> = {
  bull_low_vol: { leveragedEquity: 1, equity: 0, bonds: 0 },
  bull_high_vol: { leveragedEquity: 0.4, equity: 0.3, bonds: 0.3 },
  neutral_low_vol: { leveragedEquity: 0.3, equity: 0.3, bonds: 0.4 },
  neutral_high_vol: { leveragedEquity: 0, equity: 0.3, bonds: 0.4 },
  bear_low_vol: { leveragedEquity: 0, equity: 0, bonds: 0.4 },
  bear_high_vol: { leveragedEquity: 0, equity: 0, bonds: 0.25 },
};

const symbol = z.string().min(1);

export const hierarchicalAdaptiveParamsSchema = z
  .object({
    universe: z
      .object({
        /** Equity signal, also the unleveraged equity sleeve. */
        signalSymbol: symbol.default("QQQ"),
        /** Leveraged equity traded in bull cells. */
        bullSymbol: symbol.default("TQQQ"),
        /** Bond signal (read only). */
        bondSignal: symbol.default("TLT"),
        /** Safe haven while the bond trend is up. */
        bullBond: symbol.default("TMF"),
        /** Safe haven while the bond trend is down. */
        bearBond: symbol.default("TMV"),
      })
      .strict()
      .prefault({}),
    trend: z
      .object({
        equityFastSma: window(1).default(40),
        equitySlowSma: window(2).default(140),
        bondFastSma: window(1).default(20),
        bondSlowSma: window(2).default(60),
        /** The Kalman vote is 0 (no opinion) while |velocity| ≤ this, in log return per bar. */
        kalmanVelocityDeadband: z.number().finite().min(0).default(0),
        /** The bond trend is "flat" (cash) while |fast / slow − 1| ≤ this. */
        bondFlatBand: z.number().finite().min(0).lt(1).default(0),
        kalman: kalmanVelocityConfigSchema.default(DEFAULT_KALMAN_VELOCITY_CONFIG),
      })
      .strict()
      .prefault({}),
    volatility: z
      .object({
        /** Realized volatility window, daily log returns. */
        shortWindow: window(2).default(21),
        /** The z-score window over the short volatility series. */
        longWindow: window(2).default(126),
        /** Enter high volatility when z > zUpper. */
        zUpper: z.number().finite().default(1.0),
        /** Leave high volatility when z < zLower. */
        zLower: z.number().finite().default(0.2),
        /** Vol crush: short vol's relative change over `volCrushLookbackBars` ≤ this (−0.15 = fell 15%). */
        volCrushThreshold: z.number().finite().gt(-1).lt(0).default(-0.15),
        volCrushLookbackBars: window(1).default(5),
        /** How many z-scores the hysteresis walks, oldest first, to derive the current state. */
        stateWalkBars: window(1).default(126),
      })
      .strict()
      .prefault({}),
    allocation: z
      .object({
        /** Scales the leveraged sleeve; the part it removes stays in cash. */
        leverageScalar: z.number().finite().gt(0).max(1).default(1.0),
        /** Inverse hedging (e.g. SQQQ in bear cells) is not part of this implementation. */
        inverseHedge: z
          .literal(false, { error: "inverseHedge: true is not supported (no inverse symbol)" })
          .default(false),
        /** Off: the bond sleeve stays in cash. */
        safeHavenActive: z.boolean().default(true),
        /** The bond sleeve never exceeds this fraction of equity; the excess stays in cash. */
        maxBondWeight: fraction.default(0.4),
        cells: z
          .object({
            bull_low_vol: cellWeightsSchema,
            bull_high_vol: cellWeightsSchema,
            neutral_low_vol: cellWeightsSchema,
            neutral_high_vol: cellWeightsSchema,
            bear_low_vol: cellWeightsSchema,
            bear_high_vol: cellWeightsSchema,
          })
          .strict()
          .default(DEFAULT_CELL_WEIGHTS),
        /** Confidence of a bull or bear cell reaches 1 when the SMAs are this far apart (relative). */
        fullConfidenceSmaSpread: z.number().finite().gt(0).default(0.05),
        /** Confidence of a neutral cell (the trend votes disagree). */
        neutralConfidence: fraction.default(0.5),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((params, context) => {
    const issue = (path: (string | number)[], message: string) =>
      context.addIssue({ code: "custom", path, message });
    const { universe, trend, volatility, allocation } = params;
    if (trend.equityFastSma >= trend.equitySlowSma) {
      issue(
        ["trend", "equityFastSma"],
        `equityFastSma must be < equitySlowSma (${trend.equitySlowSma}), got ${trend.equityFastSma}`,
      );
    }
    if (trend.bondFastSma >= trend.bondSlowSma) {
      issue(
        ["trend", "bondFastSma"],
        `bondFastSma must be < bondSlowSma (${trend.bondSlowSma}), got ${trend.bondFastSma}`,
      );
    }
    if (volatility.zLower >= volatility.zUpper) {
      issue(
        ["volatility", "zLower"],
        `zLower must be < zUpper (${volatility.zUpper}) for hysteresis, got ${volatility.zLower}`,
      );
    }
    if (volatility.volCrushLookbackBars >= volatility.longWindow) {
      issue(
        ["volatility", "volCrushLookbackBars"],
        `volCrushLookbackBars must be < longWindow (${volatility.longWindow}), got ${volatility.volCrushLookbackBars}`,
      );
    }
    const traded = [
      universe.signalSymbol,
      universe.bullSymbol,
      universe.bullBond,
      universe.bearBond,
    ];
    if (new Set(traded).size !== traded.length) {
      issue(["universe"], `traded symbols must be distinct, got ${traded.join(", ")}`);
    }
    for (const cell of REGIME_CELLS) {
      const { leveragedEquity, equity, bonds } = allocation.cells[cell];
      const total = leveragedEquity + equity + bonds;
      if (total > 1 + 1e-9) {
        issue(
          ["allocation", "cells", cell],
          `${cell} weights must sum to ≤ 1 (cash is the rest), got ${total}`,
        );
      }
    }
  });

export type HierarchicalAdaptiveParams = z.output<typeof hierarchicalAdaptiveParamsSchema>;
export type HierarchicalAdaptiveParamsInput = z.input<typeof hierarchicalAdaptiveParamsSchema>;

/** Parses (partial) params, filling the Titan defaults; a RangeError names each bad field and rule. */
export function parseHierarchicalAdaptiveParams(input: unknown = {}): HierarchicalAdaptiveParams {
  return parseConfig("hierarchical-adaptive-v3.5b", hierarchicalAdaptiveParamsSchema, input);
}

export const DEFAULT_HIERARCHICAL_ADAPTIVE_PARAMS: HierarchicalAdaptiveParams =
  parseHierarchicalAdaptiveParams();

/**
 * Bars of history one decision reads: the first z-score needs shortWindow + longWindow prices
 * (21 + 126 − 1 + 1 = 147), and the hysteresis walks `stateWalkBars` of them (272 by default);
 * the SMAs and the Kalman filter fit inside that window. Also what the data-quality gate checks.
 */
export function historyBarsNeeded(params: HierarchicalAdaptiveParams): number {
  const { trend, volatility } = params;
  const volatilityBars =
    volatility.shortWindow + volatility.longWindow - 1 + volatility.stateWalkBars;
  return Math.max(
    volatilityBars,
    trend.equitySlowSma,
    trend.bondSlowSma,
    trend.kalman.warmUpBars + 1,
  );
}
