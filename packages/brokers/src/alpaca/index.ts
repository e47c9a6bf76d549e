export {
  ALPACA_LIVE_BASE_URL,
  ALPACA_ORDERS_PAGE_SIZE,
  ALPACA_PAPER_BASE_URL,
  type AlpacaBroker,
  type AlpacaBrokerOptions,
  createAlpacaBroker,
  DEFAULT_ALPACA_TIMEOUT_MS,
} from "./alpaca-broker.js";
export {
  ALPACA_KEY_ID_VARIABLE,
  ALPACA_PAPER_VARIABLE,
  ALPACA_SECRET_VARIABLE,
  type AlpacaCredentials,
  type AlpacaCredentialsOptions,
  alpacaCredentialsFromEnv,
} from "./credentials.js";
export {
  type AlpacaOrderWire,
  type MockAlpacaFault,
  type MockAlpacaRequest,
  type MockAlpacaServer,
  type MockAlpacaServerOptions,
  startMockAlpacaServer,
} from "./mock-alpaca-server.js";
export {
  ALPACA_ORDER_STATUS_MAPPING,
  ALPACA_ORDER_STATUSES,
  type AlpacaOrderStatus,
  brokerOrderStatusFor,
  isTerminalBrokerStatus,
} from "./status-mapping.js";
