/**
 * The intraday monitor (SPEC §17): per-position and portfolio stop-loss / take-profit between
 * decision runs, whose exits go through the decision pipeline as a strategy's exit signals.
 */
export * from "./config.js";
export * from "./evaluate.js";
export * from "./strategy.js";
