import { z } from "zod";
import { parseConfig } from "../../config/parse-config.js";
import { corporateActionConfigSchema } from "../../market/corporate-actions.js";
import { crossSourceConfigSchema } from "../../market/cross-source.js";

/**
 * The data-quality gate's numbers (SPEC §8; seed: DATA_STALENESS_HOURS=72, MAX_NAN_PCT=0.10,
 * MIN_HISTORY_DAYS=250, > 50% single-day jump), every one a default.
 */
export const dataQualityConfigSchema = z.object({
  /** A symbol whose last bar closed more than this many hours before the decision is stale. */
  maxAgeHours: z.number().positive().default(72),
  /** Per asset class overrides of `maxAgeHours`, e.g. { crypto: 1 }; other classes use the default. */
  maxAgeHoursByAssetClass: z.record(z.string().min(1), z.number().positive()).default({}),
  /** Fewer bars than this (or than the strategy's `historyBars`, when larger) blocks the symbol. */
  minHistoryBars: z.number().int().min(1).default(250),
  /** Share of missing values (null, NaN, ±∞) in an indicator's recent window above which it is blocked. */
  maxNanShare: z.number().min(0).lt(1).default(0.1),
  /**
   * How many of an indicator's latest values the NaN share is measured over. The warm-up NaNs
   * at the start of a long series are not counted (the history-length check covers warm-up).
   */
  nanWindowBars: z.number().int().min(1).default(20),
  /** A close-to-close move larger than this (either way) anywhere in the history blocks the symbol. */
  maxDailyMove: z.number().positive().default(0.5),
  /** Split detection (a run-level abort). */
  corporateActions: corporateActionConfigSchema.prefault({}),
  /** Two quote sources apart by more than this abort the run. */
  crossSource: crossSourceConfigSchema.prefault({}),
});

export type DataQualityConfig = z.output<typeof dataQualityConfigSchema>;
export type DataQualityConfigInput = z.input<typeof dataQualityConfigSchema>;

/** Parses a (partial) config, filling defaults; throws a RangeError naming each bad field and rule. */
export function parseDataQualityConfig(input: DataQualityConfigInput = {}): DataQualityConfig {
  return parseConfig("data-quality", dataQualityConfigSchema, input);
}

export const DEFAULT_DATA_QUALITY_CONFIG: DataQualityConfig = parseDataQualityConfig();
