import { z } from "zod";
import { parseConfig } from "../config/parse-config.js";
import { denoise, lookup, requireFinite } from "./input-rules.js";
import { type GateFailure, gateFailure } from "./verdict.js";

/**
 * Correlation-aware sizing (SPEC §9, seed safety implementation §9): a new signal is sized by
 * its strongest return correlation with any position already held. |ρ| ≤ 0.5 → full size;
 * 0.5 < |ρ| ≤ 0.8 → linear from 1.0 down to 0.25; |ρ| > 0.8 → rejected (`high_correlation`).
 * ρ comes in as an input: the indicators module computes it over a configurable lookback.
 */
export const correlationSizingConfigSchema = z
  .object({
    /** At or below this |ρ| the signal keeps its full size. */
    fullSizeMaxCorrelation: z.number().min(0).max(1).default(0.5),
    /** Above this |ρ| the signal is rejected; at it the size is `minMultiplier`. */
    rejectAboveCorrelation: z.number().min(0).max(1).default(0.8),
    /** The size multiplier at `rejectAboveCorrelation`. */
    minMultiplier: z.number().gt(0).max(1).default(0.25),
  })
  .superRefine((config, context) => {
    if (config.fullSizeMaxCorrelation >= config.rejectAboveCorrelation) {
      context.addIssue({
        code: "custom",
        path: ["fullSizeMaxCorrelation"],
        message: `fullSizeMaxCorrelation (${config.fullSizeMaxCorrelation}) must be below rejectAboveCorrelation (${config.rejectAboveCorrelation})`,
      });
    }
  });

export type CorrelationSizingConfig = z.output<typeof correlationSizingConfigSchema>;
export type CorrelationSizingConfigInput = z.input<typeof correlationSizingConfigSchema>;

/** Parses a (partial) config, filling defaults; throws a RangeError naming each bad field and rule. */
export function parseCorrelationSizingConfig(
  input: CorrelationSizingConfigInput = {},
): CorrelationSizingConfig {
  return parseConfig("correlation sizing", correlationSizingConfigSchema, input);
}

export const DEFAULT_CORRELATION_SIZING_CONFIG: CorrelationSizingConfig =
  parseCorrelationSizingConfig();

/**
 * The size multiplier for a correlation ρ (its sign is ignored), or 0 when the signal is
 * rejected. Monotone non-increasing in |ρ|, continuous at the lower threshold.
 */
export function correlationSizeMultiplier(
  correlation: number,
  config: CorrelationSizingConfig = DEFAULT_CORRELATION_SIZING_CONFIG,
): number {
  const strength = denoise(Math.abs(requireFinite(correlation, "correlation")));
  if (strength > 1) throw new RangeError(`correlation must lie in [-1, 1], got ${correlation}`);
  const { fullSizeMaxCorrelation: low, rejectAboveCorrelation: high, minMultiplier } = config;
  if (strength <= low) return 1;
  if (strength > high) return 0;
  return 1 - ((strength - low) / (high - low)) * (1 - minMultiplier);
}

export interface CorrelationCandidate {
  /** The symbol the signal wants to buy. */
  readonly symbol: string;
  /** Symbols held now (any strategy). The candidate's own symbol is ignored: adding to it is not diversification risk. */
  readonly heldSymbols: readonly string[];
  /** ρ of the candidate's daily returns with each held symbol's. */
  readonly correlations: Readonly<Record<string, number>>;
}

export type CorrelationVerdict =
  | {
      readonly pass: true;
      readonly multiplier: number;
      /** The held symbol with the strongest |ρ|, null when nothing else is held. */
      readonly against: string | null;
      readonly maxAbsCorrelation: number;
    }
  | GateFailure<"high_correlation">;

/**
 * The CORRELATION stage: the multiplier from the strongest |ρ| against any held position, or
 * `high_correlation` above the reject threshold. A missing ρ for a held symbol is an error.
 */
export function correlationGate(
  candidate: CorrelationCandidate,
  config: CorrelationSizingConfig = DEFAULT_CORRELATION_SIZING_CONFIG,
): CorrelationVerdict {
  let against: string | null = null;
  let maxAbsCorrelation = 0;
  for (const held of [...new Set(candidate.heldSymbols)].sort()) {
    if (held === candidate.symbol) continue;
    const rho = lookup(candidate.correlations, held, `correlations of ${candidate.symbol}`);
    const strength = Math.abs(requireFinite(rho, `correlation ${candidate.symbol}/${held}`));
    if (strength > maxAbsCorrelation || against === null) {
      against = held;
      maxAbsCorrelation = strength;
    }
  }
  const multiplier = correlationSizeMultiplier(maxAbsCorrelation, config);
  if (multiplier > 0) return { pass: true, multiplier, against, maxAbsCorrelation };
  return gateFailure(
    "high_correlation",
    `${candidate.symbol} correlation with held ${against} is ${maxAbsCorrelation.toFixed(2)} > limit ${config.rejectAboveCorrelation.toFixed(2)}`,
    {
      symbol: candidate.symbol,
      against,
      correlation: maxAbsCorrelation,
      limit: config.rejectAboveCorrelation,
    },
  );
}
