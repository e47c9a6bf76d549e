/**
 * Technical indicators (docs/indicators.md states each definition exactly). Every indicator has
 * a batch form over an array (output aligned with the input, `null` during warm-up, never NaN)
 * and a streaming form (`update(input)` → value or null) that agrees with it bit for bit. Bad
 * input (NaN, ±Infinity, a non-positive price where a log or a return needs it, a window below
 * its minimum) throws a RangeError naming the indicator, the input and the rule.
 *
 * Arbitraries for property tests live in `./testing.ts` (not re-exported here, so fast-check
 * stays out of the runtime import graph).
 */
export { atr, atrStream, type HighLowClose, trueRange } from "./atr.js";
export { ema, emaAlpha, emaStream } from "./ema.js";
export {
  DEFAULT_KALMAN_VELOCITY_CONFIG,
  type KalmanVelocityConfig,
  type KalmanVelocityConfigInput,
  type KalmanVelocityPoint,
  kalmanVelocity,
  kalmanVelocityConfigSchema,
  kalmanVelocityStream,
  parseKalmanVelocityConfig,
} from "./kalman-velocity.js";
export {
  DEFAULT_REALIZED_VOLATILITY_CONFIG,
  logReturn,
  parseRealizedVolatilityConfig,
  type RealizedVolatilityConfig,
  type RealizedVolatilityConfigInput,
  realizedVolatility,
  realizedVolatilityConfigSchema,
  realizedVolatilityStream,
} from "./realized-volatility.js";
export { returnCorrelation, returnCorrelationStream, simpleReturn } from "./return-correlation.js";
export { rollingStd, rollingStdStream } from "./rolling-std.js";
export { rsi, rsiFromAverages, rsiStream } from "./rsi.js";
export { sma, smaStream } from "./sma.js";
export type { DeviationEstimator, IndicatorSeries, IndicatorStream } from "./types.js";
export { FLAT_WINDOW_TOLERANCE } from "./window-math.js";
export { zScore, zScoreStream } from "./z-score.js";
