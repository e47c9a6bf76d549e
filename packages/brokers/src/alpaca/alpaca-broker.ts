/**
 * The Broker port on Alpaca's Trading API v2, through @alpacahq/alpaca-trade-api v4's generated
 * REST clients. The SDK carries the credentials, the per-request timeout and the typed HTTP
 * errors; this adapter validates Alpaca's documented JSON itself and maps it onto the port.
 *
 * The SDK's automatic retry and client-side rate limiter stay off: the broker call breaker
 * wraps every call and must see every failure, and an order POST must never be replayed.
 */
import { trading } from "@alpacahq/alpaca-trade-api/rest";
import { parseConfig, parseIsoInstant, toIsoUtc } from "@trader/core";
import { z } from "zod";
import {
  type Broker,
  BrokerError,
  type BrokerLogger,
  type BrokerOrder,
  SILENT_LOGGER,
} from "../port.js";
import { requireInstant, validateSubmitRequest } from "../validate-request.js";
import { type AlpacaOperation, brokerErrorFromAlpaca } from "./alpaca-errors.js";
import {
  alpacaAccountJsonSchema,
  alpacaOrderJsonSchema,
  alpacaPositionJsonSchema,
  parseAlpacaJson,
  toBrokerAccount,
  toBrokerOrder,
  toBrokerPosition,
} from "./alpaca-json.js";
import { REDACTED } from "./credentials.js";
import { createFillLedger, type FillLedger } from "./fill-ledger.js";
import { isTerminalBrokerStatus } from "./status-mapping.js";

export const ALPACA_PAPER_BASE_URL = "https://paper-api.alpaca.markets";
export const ALPACA_LIVE_BASE_URL = "https://api.alpaca.markets";
export const DEFAULT_ALPACA_TIMEOUT_MS = 10_000;
/** Alpaca's largest page of GET /v2/orders. */
export const ALPACA_ORDERS_PAGE_SIZE = 500;
/** Alpaca refuses a longer client_order_id. */
const MAX_CLIENT_ORDER_ID_LENGTH = 128;

export interface AlpacaBrokerOptions {
  readonly keyId: string;
  readonly secret: string;
  /** true: the paper account; false: the live account, real money. */
  readonly paper: boolean;
  /** Another host for the same API, e.g. a local mock server in tests. Wins over `paper`. */
  readonly baseUrl?: string;
  /** Per request; a request that takes longer fails as `timeout`. Default 10 s. */
  readonly timeoutMs?: number;
  readonly logger?: BrokerLogger;
}

export interface AlpacaBroker extends Broker {
  readonly paper: boolean;
  readonly baseUrl: string;
}

const optionsSchema = z.object({
  keyId: z.string().trim().min(1, { error: "must be a non-empty Alpaca API key id" }),
  secret: z.string().trim().min(1, { error: "must be a non-empty Alpaca API secret key" }),
  paper: z.boolean({ error: "must be true (paper account) or false (live account)" }),
  baseUrl: z
    .url({ protocol: /^https?$/, error: "must be an http(s) URL such as http://127.0.0.1:8080" })
    .optional(),
  timeoutMs: z
    .number()
    .int()
    .positive({ error: "must be a whole number of milliseconds > 0" })
    .default(DEFAULT_ALPACA_TIMEOUT_MS),
  logger: z
    .custom<BrokerLogger>(
      (value) =>
        typeof value === "object" &&
        value !== null &&
        typeof (value as BrokerLogger).info === "function" &&
        typeof (value as BrokerLogger).warn === "function",
      { error: "must have info(message) and warn(message)" },
    )
    .default(SILENT_LOGGER),
});

export function createAlpacaBroker(options: AlpacaBrokerOptions): AlpacaBroker {
  const { keyId, secret, paper, baseUrl, timeoutMs, logger } = parseConfig(
    "Alpaca broker",
    optionsSchema,
    options,
  );
  const name = paper ? "alpaca-paper" : "alpaca-live";
  const host = (baseUrl ?? (paper ? ALPACA_PAPER_BASE_URL : ALPACA_LIVE_BASE_URL)).replace(
    /\/+$/,
    "",
  );
  const configuration = new trading.Configuration({ basePath: host, keyId, secret, timeoutMs });
  const accounts = new trading.AccountsApi(configuration);
  const positionsApi = new trading.PositionsApi(configuration);
  const orders = new trading.OrdersApi(configuration);
  const ledger = createFillLedger();

  const redact = (text: string) => text.split(secret).join(REDACTED).split(keyId).join(REDACTED);

  async function call<T>(operation: AlpacaOperation, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const brokerError = brokerErrorFromAlpaca(error, { operation, timeoutMs, redact });
      logger.warn(`${name}: ${brokerError.kind}: ${brokerError.message}`);
      throw brokerError;
    }
  }

  /** The order under a client order id, or null on Alpaca's 404. */
  async function findOrder(clientOrderId: string): Promise<BrokerOrder | null> {
    let response: Awaited<ReturnType<typeof orders.getOrderByClientOrderIdRaw>>;
    try {
      response = await orders.getOrderByClientOrderIdRaw({ clientOrderId });
    } catch (error) {
      if (error instanceof trading.ApiError && error.status === 404) return null;
      throw error;
    }
    const order = orderFrom(`order ${clientOrderId}`, await response.raw.json(), ledger);
    if (order.clientOrderId !== clientOrderId) {
      throw new BrokerError(
        "protocol",
        `Alpaca answered the look-up of client order id ${clientOrderId} with order ${order.clientOrderId}`,
        { clientOrderId, answered: order.clientOrderId },
      );
    }
    return order;
  }

  const broker: AlpacaBroker = {
    name,
    paper,
    baseUrl: host,

    account: () =>
      call("account", async () => {
        const response = await accounts.getAccountRaw();
        const json = await response.raw.json();
        return toBrokerAccount(parseAlpacaJson("account", alpacaAccountJsonSchema, json));
      }),

    positions: () =>
      call("positions", async () => {
        const response = await positionsApi.getAllOpenPositionsRaw();
        const json = await response.raw.json();
        return parseAlpacaJson("positions", z.array(alpacaPositionJsonSchema), json).map(
          toBrokerPosition,
        );
      }),

    submitOrder: (request) =>
      call("submitOrder", async () => {
        validateSubmitRequest(name, request);
        checkClientOrderId(request.clientOrderId);
        const { clientOrderId, symbol, side, quantity } = request;
        logger.info(`${name}: submitting ${side} ${quantity} ${symbol} as ${clientOrderId}`);
        const response = await orders.postOrderRaw({
          postOrderRequest: {
            symbol,
            qty: String(quantity),
            side,
            type: "market",
            timeInForce: "day",
            clientOrderId,
          },
        });
        const order = orderFrom(`order ${clientOrderId}`, await response.raw.json(), ledger);
        logger.info(
          `${name}: order ${clientOrderId} is ${order.status} (Alpaca id ${order.brokerOrderId})`,
        );
        return order;
      }),

    orderByClientId: (clientOrderId) =>
      call("orderByClientId", async () => {
        checkClientOrderId(clientOrderId);
        return findOrder(clientOrderId);
      }),

    cancelOrder: (clientOrderId) =>
      call("cancelOrder", async () => {
        checkClientOrderId(clientOrderId);
        const order = await findOrder(clientOrderId);
        if (order === null) {
          throw new BrokerError(
            "not_found",
            `Alpaca has no order with client order id ${clientOrderId} to cancel`,
            { clientOrderId },
          );
        }
        if (isTerminalBrokerStatus(order.status)) {
          logger.info(
            `${name}: order ${clientOrderId} is already ${order.status}; nothing to cancel`,
          );
          return;
        }
        try {
          await orders.deleteOrderByOrderIDRaw({ orderId: order.brokerOrderId });
          logger.info(`${name}: cancel requested for order ${clientOrderId}`);
        } catch (error) {
          // 422: no longer cancelable. Fine if it finished meanwhile; a refusal otherwise.
          if (!(error instanceof trading.ApiError && error.status === 422)) throw error;
          const now = await findOrder(clientOrderId);
          if (now !== null && isTerminalBrokerStatus(now.status)) return;
          throw new BrokerError(
            "rejected",
            `Alpaca refused to cancel order ${clientOrderId} (${now?.status ?? "not found"}): ${error.message}`,
            { clientOrderId, status: 422 },
          );
        }
      }),

    ordersSince: (since) =>
      call("ordersSince", async () => {
        const sinceMs = requireInstant(name, "ordersSince", "since", since);
        const byId = new Map<string, BrokerOrder>();
        // Alpaca's `after` is exclusive; start 1 ms early and filter, so "at since" is included.
        let after = toIsoUtc(sinceMs - 1);
        for (;;) {
          const response = await orders.getAllOrdersRaw({
            status: "all",
            after,
            direction: "asc",
            limit: ALPACA_ORDERS_PAGE_SIZE,
          });
          const page = parseAlpacaJson(
            "orders",
            z.array(alpacaOrderJsonSchema),
            await response.raw.json(),
          );
          let added = 0;
          for (const json of page) {
            if (byId.has(json.id)) continue;
            byId.set(json.id, toBrokerOrder(json, ledger));
            added += 1;
          }
          const last = page.at(-1);
          // A short page is the last; a page of nothing new would loop forever.
          if (page.length < ALPACA_ORDERS_PAGE_SIZE || added === 0 || last === undefined) break;
          // The next page starts 1 ms before the last order seen; repeats are dropped by id.
          after = toIsoUtc(parseIsoInstant(last.submitted_at ?? last.created_at) - 1);
        }
        return [...byId.values()]
          .filter((order) => parseIsoInstant(order.submittedAt) >= sinceMs)
          .sort((a, b) =>
            a.submittedAt < b.submittedAt ? -1 : a.submittedAt > b.submittedAt ? 1 : 0,
          );
      }),
  };
  return broker;
}

function orderFrom(what: string, json: unknown, ledger: FillLedger): BrokerOrder {
  return toBrokerOrder(parseAlpacaJson(what, alpacaOrderJsonSchema, json), ledger);
}

function checkClientOrderId(clientOrderId: unknown): void {
  if (
    typeof clientOrderId !== "string" ||
    clientOrderId.trim() === "" ||
    clientOrderId.length > MAX_CLIENT_ORDER_ID_LENGTH
  ) {
    throw new BrokerError(
      "invalid_request",
      `Alpaca: clientOrderId must be a non-empty string of at most ${MAX_CLIENT_ORDER_ID_LENGTH} characters, got ${JSON.stringify(clientOrderId)}`,
      { field: "clientOrderId" },
    );
  }
}
