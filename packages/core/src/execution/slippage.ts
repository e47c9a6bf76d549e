import { z } from "zod";
import { parseConfig } from "../config/parse-config.js";
import { formatPercent } from "../format.js";
import { denoise, requirePrice } from "../risk/input-rules.js";
import type { OrderSide } from "../safety/intents/intent-id.js";

/**
 * Slippage classes (SPEC §10, plan's SlippageValidator), on adverse slippage only:
 * ≤ 0.3% ok; > 0.3% warning (logged); > 0.5% (the configured max) warning with an alert;
 * > 1.0% critical: the remaining orders of the run are aborted.
 */
export const slippageConfigSchema = z
  .object({
    warnAbove: z.number().gt(0).default(0.003),
    /** The plan's `max_slippage_pct`: above it the warning raises an alert. */
    alertAbove: z.number().gt(0).default(0.005),
    /** Above it the run's remaining orders are aborted (the plan's 2 × max). */
    abortAbove: z.number().gt(0).default(0.01),
  })
  .superRefine((config, context) => {
    if (!(config.warnAbove <= config.alertAbove && config.alertAbove <= config.abortAbove)) {
      context.addIssue({
        code: "custom",
        path: ["alertAbove"],
        message: `slippage thresholds must be ordered warnAbove (${config.warnAbove}) ≤ alertAbove (${config.alertAbove}) ≤ abortAbove (${config.abortAbove})`,
      });
    }
  });

export type SlippageConfig = z.output<typeof slippageConfigSchema>;
export type SlippageConfigInput = z.input<typeof slippageConfigSchema>;

/** Parses a (partial) config, filling defaults; throws a RangeError naming each bad field and rule. */
export function parseSlippageConfig(input: SlippageConfigInput = {}): SlippageConfig {
  return parseConfig("slippage", slippageConfigSchema, input);
}

export const DEFAULT_SLIPPAGE_CONFIG: SlippageConfig = parseSlippageConfig();

export const SLIPPAGE_LEVELS = ["ok", "warning", "warning_alert", "critical"] as const;
export type SlippageLevel = (typeof SLIPPAGE_LEVELS)[number];

export interface SlippageCheck {
  readonly level: SlippageLevel;
  /** Adverse slippage as a fraction of the expected price; negative when the fill was better. */
  readonly slippage: number;
  /** True at `critical`: the caller aborts the run's remaining orders. */
  readonly abortRemaining: boolean;
  readonly message: string;
}

/**
 * Classifies one fill. Adverse means paying more on a buy or receiving less on a sell:
 * slippage = (fill − expected) / expected for a buy, (expected − fill) / expected for a sell.
 * Favourable slippage is ok. E.g. expected 450.00: buy filled 450.90 → 0.2% ok; 452.70 → 0.6%
 * warning_alert (allowed); 456.75 → 1.5% critical.
 */
export function classifySlippage(
  fill: {
    readonly symbol: string;
    readonly side: OrderSide;
    readonly expectedPrice: number;
    readonly fillPrice: number;
  },
  config: SlippageConfig = DEFAULT_SLIPPAGE_CONFIG,
): SlippageCheck {
  const expected = requirePrice(fill.expectedPrice, `${fill.symbol} expectedPrice`);
  const filled = requirePrice(fill.fillPrice, `${fill.symbol} fillPrice`);
  const move = (filled - expected) / expected;
  const slippage = denoise(fill.side === "buy" ? move : -move);
  const level: SlippageLevel =
    slippage > config.abortAbove
      ? "critical"
      : slippage > config.alertAbove
        ? "warning_alert"
        : slippage > config.warnAbove
          ? "warning"
          : "ok";
  const what = `${fill.symbol} ${fill.side} filled ${filled} vs expected ${expected}: ${slippage <= 0 ? "favourable or none" : `${formatPercent(slippage)} adverse`}`;
  const consequence = {
    ok: "",
    warning: ` > ${formatPercent(config.warnAbove)}`,
    warning_alert: ` > max ${formatPercent(config.alertAbove)}: alert`,
    critical: ` > ${formatPercent(config.abortAbove)}: remaining orders aborted`,
  }[level];
  return {
    level,
    slippage,
    abortRemaining: level === "critical",
    message: `${what}${consequence}`,
  };
}
