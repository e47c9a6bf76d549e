import { kalmanVelocity, sma } from "@trader/core";
import type { BondTrend, EquityTrend, HierarchicalAdaptiveParams } from "./params.js";

type TrendParams = HierarchicalAdaptiveParams["trend"];

/** The latest SMA over the last `period` values (the SMA of a window depends only on it). */
function latestSma(values: readonly number[], period: number): number {
  const latest = sma(values.slice(-period), period).at(-1);
  if (latest === null || latest === undefined) {
    throw new RangeError(`an SMA of ${period} needs ${period} closes, got ${values.length}`);
  }
  return latest;
}

export interface EquityTrendReading {
  readonly trend: EquityTrend;
  readonly fastSma: number;
  readonly slowSma: number;
  /** fastSma / slowSma − 1. */
  readonly smaSpread: number;
  /** The Kalman filter's velocity at the last bar, log return per bar. */
  readonly kalmanVelocity: number;
  /** +1 fast above slow, −1 otherwise. */
  readonly smaVote: 1 | -1;
  /** +1 velocity above the deadband, −1 below minus the deadband, 0 inside it. */
  readonly kalmanVote: 1 | 0 | -1;
}

/**
 * Equity trend from the signal symbol's closes (oldest first, the window the strategy reads):
 * bull when the SMA and the Kalman velocity both vote up, bear when both vote down, neutral
 * otherwise. The Kalman filter runs over the whole window given, so its value is a function of
 * that window alone.
 */
export function readEquityTrend(
  closes: readonly number[],
  params: TrendParams,
): EquityTrendReading {
  const fastSma = latestSma(closes, params.equityFastSma);
  const slowSma = latestSma(closes, params.equitySlowSma);
  const latest = kalmanVelocity(closes, params.kalman).at(-1);
  if (!latest) {
    throw new RangeError(
      `readEquityTrend: the Kalman filter needs more than ${params.kalman.warmUpBars} closes, got ${closes.length}`,
    );
  }
  const velocity = latest.velocity;
  const smaVote = fastSma > slowSma ? 1 : -1;
  const deadband = params.kalmanVelocityDeadband;
  const kalmanVote = velocity > deadband ? 1 : velocity < -deadband ? -1 : 0;
  const votes = smaVote + kalmanVote;
  return {
    trend: votes === 2 ? "bull" : votes === -2 ? "bear" : "neutral",
    fastSma,
    slowSma,
    smaSpread: fastSma / slowSma - 1,
    kalmanVelocity: velocity,
    smaVote,
    kalmanVote,
  };
}

export interface BondTrendReading {
  readonly trend: BondTrend;
  readonly fastSma: number;
  readonly slowSma: number;
  readonly smaSpread: number;
}

/** Bond trend from the bond signal's closes: up/down by the SMA spread, flat inside the band. */
export function readBondTrend(closes: readonly number[], params: TrendParams): BondTrendReading {
  const fastSma = latestSma(closes, params.bondFastSma);
  const slowSma = latestSma(closes, params.bondSlowSma);
  const smaSpread = fastSma / slowSma - 1;
  const trend = Math.abs(smaSpread) <= params.bondFlatBand ? "flat" : smaSpread > 0 ? "up" : "down";
  return { trend, fastSma, slowSma, smaSpread };
}
