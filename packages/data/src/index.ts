export {
  CSV_ADJ_CLOSE_COLUMN,
  CSV_COLUMNS,
  CsvFormatError,
  formatCsvBars,
  parseCsvBars,
} from "./csv.js";
export { type LoadCsvDirectoryOptions, loadCsvDirectory, writeCsv } from "./csv-directory.js";
export * from "./market-data/index.js";
export { type SeededRandom, seededRandom } from "./random.js";
export {
  DEFAULT_SYNTHETIC_MARKET_PARAMS,
  MARKET_REGIMES,
  type MarketRegime,
  parseSyntheticMarketParams,
  SYNTHETIC_SYMBOLS,
  type SyntheticMarket,
  type SyntheticMarketOptions,
  type SyntheticMarketParams,
  type SyntheticMarketParamsInput,
  type SyntheticSymbol,
  syntheticMarket,
  syntheticMarketParamsSchema,
} from "./synthetic-market.js";
