export {
  ALPACA_ADJUSTMENTS,
  ALPACA_BARS_PAGE_LIMIT,
  ALPACA_FEEDS,
  ALPACA_MARKET_DATA_BASE_URL,
  ALPACA_SYMBOLS_PER_REQUEST,
  type AlpacaAdjustment,
  type AlpacaFeed,
  type AlpacaMarketData,
  type AlpacaMarketDataOptions,
  createAlpacaMarketData,
  DEFAULT_ALPACA_MARKET_DATA_RETRIES,
  DEFAULT_ALPACA_MARKET_DATA_TIMEOUT_MS,
} from "./alpaca-market-data.js";
export type { AlpacaBarWire, AlpacaQuoteWire } from "./alpaca-market-json.js";
export { type CsvMarketDataOptions, createCsvMarketData } from "./csv-provider.js";
export {
  alpacaDailyBarWire,
  MOCK_BARS_PATH,
  MOCK_LATEST_QUOTES_PATH,
  type MockMarketDataFault,
  type MockMarketDataRequest,
  type MockMarketDataServer,
  type MockMarketDataServerOptions,
  startMockMarketDataServer,
} from "./mock-market-data-server.js";
export {
  MarketDataError,
  type MarketDataErrorKind,
  type MarketDataProvider,
  RETRYABLE_MARKET_DATA_ERRORS,
} from "./port.js";
export { type RetryPolicy, type Sleep, withRetry } from "./retry.js";
export {
  BarConflictError,
  type CsvUpdateReport,
  DEFAULT_MAX_PRICE_DIFF_PCT,
  DEFAULT_OVERLAP_SESSIONS,
  lastClosedSession,
  type SymbolUpdate,
  type UpdateCsvDirectoryOptions,
  updateCsvDirectory,
} from "./update-csv.js";
