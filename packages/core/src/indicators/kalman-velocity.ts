import { z } from "zod";
import { parseConfig } from "../config/parse-config.js";
import type { IndicatorSeries, IndicatorStream } from "./types.js";
import { requireFinite, requirePositivePrice } from "./validate.js";

const NAME = "kalmanVelocity";

/**
 * The constant-velocity Kalman filter's settings (docs/indicators.md has the model). The noises
 * are variances in the filtered space: with `space: "log"`, a measurement noise of 1e-4 is a 1%
 * daily price noise and a process noise of 1e-8 lets the trend (log return per bar) drift by
 * about 0.01% per bar per bar. In `space: "price"` they are dollars² and must suit the price scale.
 */
export const kalmanVelocityConfigSchema = z
  .object({
    /** Filter ln(price) (velocity ≈ log return per bar) or the price itself (dollars per bar). */
    space: z.enum(["log", "price"]).default("log"),
    /** q: variance of the per-bar acceleration (piecewise-constant white acceleration). */
    processNoise: z.number().positive().finite().default(1e-8),
    /** r: variance of the observation noise around the true level. */
    measurementNoise: z.number().positive().finite().default(1e-4),
    /** Prior variance of the velocity at the first observation (its prior mean is 0). */
    initialVelocityVariance: z.number().positive().finite().default(1e-4),
    /** Leading outputs reported as null while the gains settle (within 0.2% of steady state by 40 with the defaults). */
    warmUpBars: z.number().int().min(0).default(40),
  })
  .strict();

export type KalmanVelocityConfig = z.output<typeof kalmanVelocityConfigSchema>;
export type KalmanVelocityConfigInput = z.input<typeof kalmanVelocityConfigSchema>;

/** Parses (partial) settings, filling defaults; throws a RangeError naming each bad field and rule. */
export function parseKalmanVelocityConfig(
  input: KalmanVelocityConfigInput = {},
): KalmanVelocityConfig {
  return parseConfig(NAME, kalmanVelocityConfigSchema, input);
}

export const DEFAULT_KALMAN_VELOCITY_CONFIG: KalmanVelocityConfig = parseKalmanVelocityConfig();

export interface KalmanVelocityPoint {
  /** The filtered price level, in dollars (converted back from log space when filtering logs). */
  readonly level: number;
  /** The filtered trend per bar: a log return per bar in log space, dollars per bar in price space. */
  readonly velocity: number;
}

/** The filter's state: the mean [level, velocity] and its symmetric covariance P. */
interface FilterState {
  readonly level: number;
  readonly velocity: number;
  readonly p00: number;
  readonly p01: number;
  readonly p11: number;
}

function initialState(observation: number, config: KalmanVelocityConfig): FilterState {
  return {
    level: observation,
    velocity: 0,
    p00: config.measurementNoise,
    p01: 0,
    p11: config.initialVelocityVariance,
  };
}

/** One predict (F = [[1,1],[0,1]], Q = q·[[¼,½],[½,1]]) and update (H = [1,0], R = r) step. */
function step(state: FilterState, observation: number, config: KalmanVelocityConfig): FilterState {
  const q = config.processNoise;
  const predictedLevel = state.level + state.velocity;
  const predicted00 = state.p00 + 2 * state.p01 + state.p11 + q / 4;
  const predicted01 = state.p01 + state.p11 + q / 2;
  const predicted11 = state.p11 + q;
  const innovationVariance = predicted00 + config.measurementNoise;
  const levelGain = predicted00 / innovationVariance;
  const velocityGain = predicted01 / innovationVariance;
  const innovation = observation - predictedLevel;
  return {
    level: predictedLevel + levelGain * innovation,
    velocity: state.velocity + velocityGain * innovation,
    p00: predicted00 - levelGain * predicted00,
    p01: predicted01 - levelGain * predicted01,
    p11: predicted11 - velocityGain * predicted01,
  };
}

function observe(price: number, what: string, config: KalmanVelocityConfig): number {
  if (config.space === "log") {
    requirePositivePrice(NAME, what, price, "the log-space filter takes its log");
    return Math.log(price);
  }
  requireFinite(NAME, what, price);
  return price;
}

function pointOf(state: FilterState, config: KalmanVelocityConfig): KalmanVelocityPoint {
  return {
    level: config.space === "log" ? Math.exp(state.level) : state.level,
    velocity: state.velocity,
  };
}

/**
 * A constant-velocity (level + trend) Kalman filter over prices, deterministic: the filtered
 * level and velocity after each price, `warmUpBars` leading nulls.
 */
export function kalmanVelocity(
  prices: readonly number[],
  config: KalmanVelocityConfigInput = {},
): IndicatorSeries<KalmanVelocityPoint> {
  const settings = parseKalmanVelocityConfig(config);
  const observations = prices.map((price, index) => observe(price, `prices[${index}]`, settings));
  const output: IndicatorSeries<KalmanVelocityPoint> = [];
  let state: FilterState | null = null;
  for (let index = 0; index < observations.length; index++) {
    const observation = observations[index] as number;
    state =
      state === null ? initialState(observation, settings) : step(state, observation, settings);
    output.push(index < settings.warmUpBars ? null : pointOf(state, settings));
  }
  return output;
}

export function kalmanVelocityStream(
  config: KalmanVelocityConfigInput = {},
): IndicatorStream<number, KalmanVelocityPoint> {
  const settings = parseKalmanVelocityConfig(config);
  let state: FilterState | null = null;
  let count = 0;
  return {
    update(price) {
      const observation = observe(price, `price #${count + 1}`, settings);
      count++;
      state =
        state === null ? initialState(observation, settings) : step(state, observation, settings);
      return count <= settings.warmUpBars ? null : pointOf(state, settings);
    },
  };
}
