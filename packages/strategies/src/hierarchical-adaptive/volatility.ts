import { realizedVolatility, zScore } from "@trader/core";
import type { HierarchicalAdaptiveParams, VolatilityState } from "./params.js";

type VolatilityParams = HierarchicalAdaptiveParams["volatility"];

/** One bar of the volatility engine's inputs. */
export interface VolatilityObservation {
  /** z-score of today's short realized volatility against its last `longWindow` values. */
  readonly zScore: number;
  /** Short vol's relative change over `volCrushLookbackBars` (−0.2 = fell 20%); null if undefined. */
  readonly volCrushChange: number | null;
}

export function isVolCrush(observation: VolatilityObservation, params: VolatilityParams): boolean {
  return (
    observation.volCrushChange !== null && observation.volCrushChange <= params.volCrushThreshold
  );
}

/**
 * The hysteresis step. A vol crush forces low volatility (it wins over everything); otherwise
 * low turns high when z > zUpper, high turns low when z < zLower, and the state holds in between.
 */
export function nextVolatilityState(
  state: VolatilityState,
  observation: VolatilityObservation,
  params: VolatilityParams,
): VolatilityState {
  if (isVolCrush(observation, params)) return "low_vol";
  if (state === "low_vol" && observation.zScore > params.zUpper) return "high_vol";
  if (state === "high_vol" && observation.zScore < params.zLower) return "low_vol";
  return state;
}

export interface VolatilityWalk {
  readonly state: VolatilityState;
  /** Consecutive walked bars, today included, that ended in `state`. */
  readonly barsInState: number;
}

/**
 * Derives today's state by walking the observations oldest first from low volatility, so the
 * state is a function of the window alone (no state carried between runs).
 */
export function walkVolatilityState(
  observations: readonly VolatilityObservation[],
  params: VolatilityParams,
): VolatilityWalk {
  let state: VolatilityState = "low_vol";
  let barsInState = 0;
  for (const observation of observations) {
    const next = nextVolatilityState(state, observation, params);
    barsInState = next === state ? barsInState + 1 : 1;
    state = next;
  }
  return { state, barsInState };
}

export interface VolatilityReading extends VolatilityWalk {
  /** Today's annualized short realized volatility (0.2 = 20% a year). */
  readonly shortVol: number;
  readonly zScore: number;
  readonly volCrushChange: number | null;
  /** Whether today's vol crush override applies. */
  readonly volCrush: boolean;
}

/**
 * The volatility engine over the signal symbol's closes (oldest first): short realized vol, its
 * z-score against the long window, and the hysteresis walked over the last `stateWalkBars`
 * z-scores. Needs shortWindow + longWindow − 1 + 1 closes for one z-score.
 */
export function readVolatility(
  closes: readonly number[],
  params: VolatilityParams,
): VolatilityReading {
  const { shortWindow, longWindow, volCrushLookbackBars, stateWalkBars } = params;
  const shortVols = realizedVolatility(closes, { window: shortWindow }).slice(
    shortWindow,
  ) as number[];
  const zScores = zScore(shortVols, longWindow);
  const first = Math.max(longWindow - 1, shortVols.length - stateWalkBars);
  if (first >= shortVols.length) {
    throw new RangeError(
      `readVolatility: one z-score needs ${shortWindow + longWindow} closes, got ${closes.length}`,
    );
  }
  const observations: VolatilityObservation[] = [];
  for (let index = first; index < shortVols.length; index++) {
    const earlier = shortVols[index - volCrushLookbackBars] as number;
    observations.push({
      zScore: zScores[index] as number,
      volCrushChange: earlier > 0 ? (shortVols[index] as number) / earlier - 1 : null,
    });
  }
  const today = observations.at(-1) as VolatilityObservation;
  return {
    ...walkVolatilityState(observations, params),
    shortVol: shortVols.at(-1) as number,
    zScore: today.zScore,
    volCrushChange: today.volCrushChange,
    volCrush: isVolCrush(today, params),
  };
}
