import { formatPercent } from "../format.js";
import { denoise, requirePrice } from "../risk/input-rules.js";
import { DEFAULT_VALIDATION_CONFIG, type ValidationConfig } from "./config.js";
import type { ValidationStatus } from "./events.js";

/**
 * How far the official close moved from the price the decision used, as a fraction of that
 * price: |close − decision| / decision. Float noise is rounded away, so 100 → 100.2 is exactly
 * 0.2% and lands on the YELLOW boundary rather than a hair beside it.
 */
export function priceDrift(decisionPrice: number, officialClose: number, symbol = "price"): number {
  const decided = requirePrice(decisionPrice, `${symbol} decisionPrice`);
  const close = requirePrice(officialClose, `${symbol} officialClose`);
  return denoise(Math.abs(close - decided) / decided);
}

export interface ValidationVerdict {
  readonly status: ValidationStatus;
  /** The largest drift (0 without any). */
  readonly maxDrift: number;
  /** The symbol with the largest drift; null without any. */
  readonly maxDriftSymbol: string | null;
  readonly reason: string;
}

/**
 * SPEC §13: GREEN when the logic matches and every drift is < 0.2%; YELLOW when it matches and
 * the largest drift is 0.2%–0.5% (both ends included); RED on a logic mismatch or a drift > 0.5%.
 * `drifts` are fractions by symbol.
 */
export function classifyValidation(
  input: { readonly logicMatch: boolean; readonly drifts: Readonly<Record<string, number>> },
  config: ValidationConfig = DEFAULT_VALIDATION_CONFIG,
): ValidationVerdict {
  let maxDrift = 0;
  let maxDriftSymbol: string | null = null;
  for (const symbol of Object.keys(input.drifts).sort()) {
    const drift = input.drifts[symbol] as number;
    if (!(Number.isFinite(drift) && drift >= 0)) {
      throw new RangeError(`drift of ${symbol} must be a finite fraction ≥ 0, got ${drift}`);
    }
    if (maxDriftSymbol === null || drift > maxDrift) {
      maxDrift = denoise(drift);
      maxDriftSymbol = symbol;
    }
  }
  const { greenBelow, yellowUpTo } = config;
  const largest =
    maxDriftSymbol === null
      ? "no price to compare"
      : `largest drift ${formatPercent(maxDrift)} (${maxDriftSymbol})`;
  const tooFar = maxDrift > yellowUpTo;
  if (!input.logicMatch) {
    const drift = tooFar ? `, and ${largest} > ${formatPercent(yellowUpTo)}` : `; ${largest}`;
    return {
      status: "RED",
      maxDrift,
      maxDriftSymbol,
      reason: `logic mismatch: the official close decides differently${drift}`,
    };
  }
  if (tooFar) {
    return {
      status: "RED",
      maxDrift,
      maxDriftSymbol,
      reason: `logic match, but ${largest} > ${formatPercent(yellowUpTo)}`,
    };
  }
  if (maxDrift >= greenBelow) {
    return {
      status: "YELLOW",
      maxDrift,
      maxDriftSymbol,
      reason: `logic match; ${largest} is within ${formatPercent(greenBelow)}–${formatPercent(yellowUpTo)}`,
    };
  }
  return {
    status: "GREEN",
    maxDrift,
    maxDriftSymbol,
    reason: `logic match; ${maxDriftSymbol === null ? largest : `${largest} < ${formatPercent(greenBelow)}`}`,
  };
}
