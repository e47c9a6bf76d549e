export {
  DATA_QUALITY_CHECKS,
  type DailyMove,
  type DataQualityCheck,
  type DataQualityFailure,
  type IndicatorWindow,
  type NanShare,
  type StalenessFacts,
} from "./checks.js";
export {
  type DataQualityConfig,
  type DataQualityConfigInput,
  DEFAULT_DATA_QUALITY_CONFIG,
  dataQualityConfigSchema,
  parseDataQualityConfig,
} from "./config.js";
export {
  checkDataQuality,
  type DataQualityInput,
  type DataQualityReport,
  type DataQualitySummary,
  type DataQualityVerdict,
  dataQualityVerdict,
  type SymbolMarketData,
  type SymbolQuality,
} from "./gate.js";
