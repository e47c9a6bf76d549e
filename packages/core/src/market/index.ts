export { assertBarSeries } from "./bar-series.js";
export * from "./bars.js";
export {
  type CorporateActionCheck,
  type CorporateActionConfig,
  type CorporateActionConfigInput,
  type CorporateActionDetail,
  type CorporateActionEvidence,
  corporateActionConfigSchema,
  DEFAULT_CORPORATE_ACTION_CONFIG,
  detectCorporateActions,
  parseCorporateActionConfig,
  splitPriceRatio,
} from "./corporate-actions.js";
export {
  type CrossSourceCheck,
  type CrossSourceConfig,
  type CrossSourceConfigInput,
  crossCheckQuotes,
  crossSourceConfigSchema,
  DEFAULT_CROSS_SOURCE_CONFIG,
  parseCrossSourceConfig,
  type QuoteMismatchDetail,
} from "./cross-source.js";
export {
  hoursBetween,
  newYorkDate,
  newYorkInstant,
  newYorkOffsetMinutes,
  parseInstant,
  regularSessionClose,
  usDaylightSavingDates,
} from "./new-york-time.js";
export { RUN_ABORT_CODES, type RunAbort, type RunAbortCode, type RunCheck } from "./run-abort.js";
export { type SessionSoFar, type SyntheticBarResult, withSyntheticBar } from "./synthetic-bar.js";
