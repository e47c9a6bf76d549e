import type { BondTrend, HierarchicalAdaptiveParams, RegimeCell } from "./params.js";
import type { EquityTrendReading } from "./trend.js";

export interface Allocation {
  /** Every traded symbol → fraction of equity (0 included, so the planner sells what is not wanted). */
  readonly weights: Readonly<Record<string, number>>;
  /** Which bond ETF holds the bond sleeve, or null when it stays in cash. */
  readonly bondSymbol: string | null;
  readonly bondWeight: number;
  /** The cell asked for more bonds than `maxBondWeight`; the excess stays in cash. */
  readonly bondWeightCapped: boolean;
}

/**
 * The cell's sleeves turned into symbol weights: the leveraged sleeve times the leverage scalar,
 * the bond sleeve capped at `maxBondWeight` and sent to the bull bond (bond trend up), the bear
 * bond (down) or cash (flat, or safe haven off). Whatever is not allocated is cash.
 */
export function allocate(
  cell: RegimeCell,
  bondTrend: BondTrend,
  params: HierarchicalAdaptiveParams,
): Allocation {
  const { universe, allocation } = params;
  const sleeves = allocation.cells[cell];
  const bondSymbol = !allocation.safeHavenActive
    ? null
    : bondTrend === "up"
      ? universe.bullBond
      : bondTrend === "down"
        ? universe.bearBond
        : null;
  const bondWeight = bondSymbol === null ? 0 : Math.min(sleeves.bonds, allocation.maxBondWeight);
  return {
    weights: {
      [universe.bullSymbol]: sleeves.leveragedEquity * allocation.leverageScalar,
      [universe.signalSymbol]: sleeves.equity,
      [universe.bullBond]: bondSymbol === universe.bullBond ? bondWeight : 0,
      [universe.bearBond]: bondSymbol === universe.bearBond ? bondWeight : 0,
    },
    bondSymbol,
    bondWeight,
    bondWeightCapped: sleeves.bonds > allocation.maxBondWeight,
  };
}

/**
 * How sure the strategy is: a bull or bear cell (both trend votes agree) scores
 * 0.5 + 0.5 × min(1, |SMA spread| / fullConfidenceSmaSpread); a neutral cell (the votes
 * disagree) scores `neutralConfidence`.
 */
export function confidenceOf(
  reading: EquityTrendReading,
  params: HierarchicalAdaptiveParams["allocation"],
): number {
  if (reading.trend === "neutral") return params.neutralConfidence;
  return 0.5 + 0.5 * Math.min(1, Math.abs(reading.smaSpread) / params.fullConfidenceSmaSpread);
}
