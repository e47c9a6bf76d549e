/**
 * A stand-in for Alpaca's Trading API v2 on 127.0.0.1, for tests: no network, no account. It
 * answers the routes the adapter uses with Alpaca's documented JSON shapes and error envelopes
 * (`{ code, message }`), keeps orders, cash and positions in memory, refuses a reused
 * client_order_id the way Alpaca does (HTTP 422, code 40010001) and an order the account cannot
 * pay for or does not hold (HTTP 403), and takes injected faults: an HTTP status, a request that
 * never answers, malformed JSON, a dropped connection.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Clock, toIsoUtc, uuidFromName } from "@trader/core";

export type MockAlpacaFault =
  | {
      readonly kind: "status";
      readonly status: number;
      /** The JSON body, or a function of the request (e.g. to echo a header back). */
      readonly body?: unknown;
      readonly bodyFor?: (request: MockAlpacaRequest) => unknown;
      readonly headers?: Readonly<Record<string, string>>;
    }
  /** Headers never come: the client's timeout has to end it. */
  | { readonly kind: "hang" }
  /** HTTP 200 with a body that is not JSON. */
  | { readonly kind: "malformed_json" }
  /** The connection is destroyed without an answer. */
  | { readonly kind: "reset" };

export interface MockAlpacaRequest {
  readonly method: string;
  /** The path without the query, e.g. "/v2/orders:by_client_order_id". */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: unknown;
}

export type AlpacaOrderWire = Record<string, unknown> & {
  id: string;
  client_order_id: string;
  symbol: string;
  qty: string | null;
  filled_qty: string;
  filled_avg_price: string | null;
  status: string;
  submitted_at: string;
};

export interface MockAlpacaServerOptions {
  /** The credentials the server accepts; anything else gets HTTP 401. */
  readonly keyId?: string;
  readonly secret?: string;
  /**
   * Fields laid over the default account: a cash account with cash, equity and buying_power
   * "100000". Fills move cash and buying_power by their cost and recompute equity.
   */
  readonly account?: Readonly<Record<string, unknown>>;
  /** Position JSON as GET /v2/positions returns it; fills update or add the symbol's entry. */
  readonly positions?: readonly Readonly<Record<string, unknown>>[];
  /** Stamps created_at / submitted_at / filled_at; default: the wall clock. */
  readonly clock?: Clock;
  /**
   * Symbol → price in dollars: a market order for a priced symbol fills in full at once, like a
   * liquid symbol in market hours; other orders stay "accepted" until `fillOrder`.
   */
  readonly prices?: Readonly<Record<string, number>>;
}

export interface MockAlpacaServer {
  /** e.g. "http://127.0.0.1:43121": pass as the adapter's baseUrl. */
  readonly baseUrl: string;
  readonly keyId: string;
  readonly secret: string;
  /** Every request received, oldest first. */
  readonly requests: readonly MockAlpacaRequest[];
  orders(): readonly AlpacaOrderWire[];
  setAccount(fields: Readonly<Record<string, unknown>>): void;
  setPositions(positions: readonly Readonly<Record<string, unknown>>[]): void;
  /** Adds an order as if placed elsewhere; missing fields get a new market day order's values. */
  addOrder(
    fields: Readonly<Record<string, unknown>> & { client_order_id: string },
  ): AlpacaOrderWire;
  /** Changes an order in place, e.g. `{ status: "done_for_day" }`; no bookkeeping. */
  updateOrder(clientOrderId: string, fields: Readonly<Record<string, unknown>>): AlpacaOrderWire;
  /**
   * Fills `quantity` more shares (default: the rest) at `price` dollars, as Alpaca reports it:
   * cumulative filled_qty, the average filled_avg_price, partially_filled or filled; cash,
   * buying power and the position move with it.
   */
  fillOrder(clientOrderId: string, fill: { price: number; quantity?: number }): AlpacaOrderWire;
  /** The price of a symbol from now on: fills new orders at once and marks its position. */
  setPrice(symbol: string, price: number): void;
  /** The next `times` requests (to `path` only, when given) get `fault` instead of an answer. */
  injectFault(fault: MockAlpacaFault, options?: { times?: number; path?: string }): void;
  close(): Promise<void>;
}

const TERMINAL_STATUSES = new Set(["filled", "canceled", "expired", "rejected", "replaced"]);

const DEFAULT_ACCOUNT = {
  id: "904837e3-3b76-47ec-b432-046db621571b",
  account_number: "PA2MOCKALPACA",
  status: "ACTIVE",
  crypto_status: "ACTIVE",
  currency: "USD",
  cash: "100000",
  portfolio_value: "100000",
  equity: "100000",
  last_equity: "100000",
  buying_power: "100000",
  regt_buying_power: "100000",
  daytrading_buying_power: "0",
  non_marginable_buying_power: "100000",
  long_market_value: "0",
  short_market_value: "0",
  initial_margin: "0",
  maintenance_margin: "0",
  last_maintenance_margin: "0",
  sma: "0",
  multiplier: "1",
  accrued_fees: "0",
  pending_transfer_in: "0",
  pattern_day_trader: false,
  trading_blocked: false,
  transfers_blocked: false,
  account_blocked: false,
  trade_suspended_by_user: false,
  shorting_enabled: true,
  daytrade_count: 0,
  created_at: "2026-01-05T15:00:00Z",
};

export async function startMockAlpacaServer(
  options: MockAlpacaServerOptions = {},
): Promise<MockAlpacaServer> {
  const keyId = options.keyId ?? "mock-key-id";
  const secret = options.secret ?? "mock-secret-key";
  const clock: Clock = options.clock ?? { now: () => Date.now() };
  const prices = new Map(Object.entries(options.prices ?? {}));
  let account: Record<string, unknown> = { ...DEFAULT_ACCOUNT, ...options.account };
  let positions: Record<string, unknown>[] = (options.positions ?? []).map((p) => ({ ...p }));
  const orders: AlpacaOrderWire[] = [];
  const requests: MockAlpacaRequest[] = [];
  const faults: { fault: MockAlpacaFault; remaining: number; path?: string }[] = [];
  let requestCount = 0;

  function newOrder(fields: Readonly<Record<string, unknown>>): AlpacaOrderWire {
    const now = toIsoUtc(clock.now());
    const order = {
      id: uuidFromName(`mock-alpaca-order:${orders.length + 1}`),
      client_order_id: "",
      created_at: now,
      updated_at: now,
      submitted_at: now,
      filled_at: null,
      expired_at: null,
      canceled_at: null,
      failed_at: null,
      replaced_at: null,
      replaced_by: null,
      replaces: null,
      asset_id: uuidFromName(`mock-alpaca-asset:${String(fields.symbol)}`),
      symbol: "",
      asset_class: "us_equity",
      notional: null,
      qty: null,
      filled_qty: "0",
      filled_avg_price: null,
      order_class: "",
      order_type: "market",
      type: "market",
      side: "buy",
      position_intent: fields.side === "sell" ? "sell_to_close" : "buy_to_open",
      time_in_force: "day",
      limit_price: null,
      stop_price: null,
      status: "accepted",
      extended_hours: false,
      legs: null,
      trail_percent: null,
      trail_price: null,
      hwm: null,
      ...fields,
    } as AlpacaOrderWire;
    orders.push(order);
    return order;
  }

  function findByClientId(clientOrderId: string): AlpacaOrderWire {
    const order = orders.find((o) => o.client_order_id === clientOrderId);
    if (!order) throw new Error(`mock Alpaca: no order with client_order_id ${clientOrderId}`);
    return order;
  }

  function route(request: MockAlpacaRequest): { status: number; body?: unknown } {
    const { method, path, query } = request;
    if (method === "GET" && path === "/v2/account") return { status: 200, body: account };
    if (method === "GET" && path === "/v2/positions") return { status: 200, body: positions };
    if (method === "GET" && path === "/v2/orders:by_client_order_id") {
      const order = orders.find((o) => o.client_order_id === query.client_order_id);
      return order
        ? { status: 200, body: order }
        : alpacaError(404, 40410000, `order not found for ${query.client_order_id ?? ""}`);
    }
    if (method === "GET" && path === "/v2/orders") return listOrders(query);
    if (method === "POST" && path === "/v2/orders") return placeOrder(request.body);
    const cancel = /^\/v2\/orders\/([^/]+)$/.exec(path);
    if (method === "DELETE" && cancel) {
      const order = orders.find((o) => o.id === cancel[1]);
      if (!order) return alpacaError(404, 40410000, "order not found");
      if (TERMINAL_STATUSES.has(order.status)) {
        return alpacaError(422, 42210000, `order is not cancelable (status ${order.status})`);
      }
      const now = toIsoUtc(clock.now());
      Object.assign(order, { status: "canceled", canceled_at: now, updated_at: now });
      return { status: 204 };
    }
    return alpacaError(404, 40410000, `mock Alpaca has no route ${method} ${path}`);
  }

  function listOrders(query: Readonly<Record<string, string>>): { status: number; body: unknown } {
    const limit = Math.min(Number(query.limit ?? 50), 500);
    const after = query.after === undefined ? undefined : Date.parse(query.after);
    const until = query.until === undefined ? undefined : Date.parse(query.until);
    const status = query.status ?? "open";
    const selected = orders
      .filter((o) => {
        const submitted = Date.parse(o.submitted_at);
        if (after !== undefined && !(submitted > after)) return false;
        if (until !== undefined && !(submitted < until)) return false;
        if (status === "open") return !TERMINAL_STATUSES.has(o.status);
        if (status === "closed") return TERMINAL_STATUSES.has(o.status);
        return true;
      })
      .sort((a, b) => Date.parse(a.submitted_at) - Date.parse(b.submitted_at));
    if (query.direction !== "asc") selected.reverse();
    return { status: 200, body: selected.slice(0, limit) };
  }

  function placeOrder(body: unknown): { status: number; body: unknown } {
    if (typeof body !== "object" || body === null) {
      return alpacaError(400, 40010000, "request body format is invalid");
    }
    const fields = body as Record<string, unknown>;
    const problem = orderProblem(fields);
    if (problem) return alpacaError(422, 40010000, problem);
    const clientOrderId = String(fields.client_order_id);
    if (orders.some((o) => o.client_order_id === clientOrderId)) {
      return alpacaError(422, 40010001, "client_order_id must be unique");
    }
    const symbol = String(fields.symbol);
    const quantity = Number(fields.qty);
    const price = prices.get(symbol);
    if (price !== undefined) {
      // Alpaca refuses up front what the account cannot pay for or does not hold (HTTP 403).
      if (fields.side === "buy" && centsOf(price) * quantity > centsOf(account.buying_power)) {
        return alpacaError(403, 40310000, "insufficient buying power");
      }
      if (fields.side === "sell" && quantity > Number(positionOf(symbol)?.qty ?? 0)) {
        return alpacaError(403, 40310000, "insufficient qty available for order");
      }
    }
    const order = newOrder({
      client_order_id: clientOrderId,
      symbol,
      qty: fields.qty,
      side: fields.side,
      type: fields.type,
      order_type: fields.type,
      time_in_force: fields.time_in_force,
    });
    if (price !== undefined) fill(order, quantity, price);
    return { status: 200, body: order };
  }

  function positionOf(symbol: string): Record<string, unknown> | undefined {
    return positions.find((p) => p.symbol === symbol);
  }

  /** Alpaca's bookkeeping of one execution: the order's cumulative fields, cash, position. */
  function fill(order: AlpacaOrderWire, quantity: number, price: number): void {
    const ordered = Number(order.qty);
    const before = Number(order.filled_qty);
    if (!(Number.isInteger(quantity) && quantity > 0 && before + quantity <= ordered)) {
      throw new Error(`mock Alpaca: cannot fill ${quantity} more of ${before}/${ordered} shares`);
    }
    const filled = before + quantity;
    const average = (Number(order.filled_avg_price ?? 0) * before + price * quantity) / filled;
    const now = toIsoUtc(clock.now());
    Object.assign(order, {
      filled_qty: String(filled),
      filled_avg_price: decimalText(average),
      status: filled === ordered ? "filled" : "partially_filled",
      updated_at: now,
      ...(filled === ordered ? { filled_at: now } : {}),
    });
    const signed = order.side === "buy" ? quantity : -quantity;
    const costCents = centsOf(price) * signed;
    account = {
      ...account,
      cash: dollarsText(centsOf(account.cash) - costCents),
      buying_power: dollarsText(centsOf(account.buying_power) - costCents),
    };
    const held = positionOf(order.symbol);
    const heldQuantity = Number(held?.qty ?? 0);
    const heldAverage = Number(held?.avg_entry_price ?? 0);
    const nextQuantity = heldQuantity + signed;
    // Average cost: buying moves it, selling leaves the average of what is left.
    const nextAverage =
      signed > 0 ? (heldAverage * heldQuantity + price * quantity) / nextQuantity : heldAverage;
    positions = positions.filter((p) => p.symbol !== order.symbol);
    if (nextQuantity !== 0) {
      positions.push(positionJson(order.symbol, nextQuantity, nextAverage, price));
    }
    remark();
  }

  /** Marks positions at the latest prices and recomputes equity. */
  function remark(): void {
    positions = positions.map((p) => {
      const price = prices.get(String(p.symbol));
      return price === undefined
        ? p
        : positionJson(String(p.symbol), Number(p.qty), Number(p.avg_entry_price), price, p);
    });
    const marketValueCents = positions.reduce((sum, p) => sum + centsOf(p.market_value ?? 0), 0);
    account = {
      ...account,
      equity: dollarsText(centsOf(account.cash) + marketValueCents),
      long_market_value: dollarsText(marketValueCents),
    };
  }

  const server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      headers[name] = Array.isArray(value) ? value.join(", ") : value;
    }
    let body: unknown;
    try {
      body = text === "" ? undefined : JSON.parse(text);
    } catch {
      body = text;
    }
    const request: MockAlpacaRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body,
    };
    requests.push(request);
    requestCount += 1;
    const requestId = `mock-request-${requestCount}`;

    const faultIndex = faults.findIndex((f) => f.path === undefined || f.path === request.path);
    const queued = faults[faultIndex];
    if (queued) {
      queued.remaining -= 1;
      if (queued.remaining <= 0) faults.splice(faultIndex, 1);
      const { fault } = queued;
      if (fault.kind === "hang") return;
      if (fault.kind === "reset") {
        req.socket.destroy();
        return;
      }
      if (fault.kind === "malformed_json") {
        res.writeHead(200, { "content-type": "application/json", "x-request-id": requestId });
        res.end('{"id": "truncated');
        return;
      }
      const faultBody = fault.bodyFor ? fault.bodyFor(request) : fault.body;
      send(res, fault.status, faultBody, requestId, fault.headers);
      return;
    }

    if (headers["apca-api-key-id"] !== keyId || headers["apca-api-secret-key"] !== secret) {
      send(res, 401, { code: 40110000, message: "request is not authorized" }, requestId);
      return;
    }
    const answer = route(request);
    send(res, answer.status, answer.body, requestId);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    keyId,
    secret,
    requests,
    orders: () => orders,
    setAccount(fields) {
      account = { ...account, ...fields };
    },
    setPositions(list) {
      positions = [...list];
    },
    addOrder(fields) {
      return newOrder(fields);
    },
    updateOrder(clientOrderId, fields) {
      return Object.assign(findByClientId(clientOrderId), fields);
    },
    fillOrder(clientOrderId, { price, quantity }) {
      const order = findByClientId(clientOrderId);
      fill(order, quantity ?? Number(order.qty) - Number(order.filled_qty), price);
      return order;
    },
    setPrice(symbol, price) {
      prices.set(symbol, price);
      remark();
    },
    injectFault(fault, { times = 1, path } = {}) {
      faults.push(
        path === undefined ? { fault, remaining: times } : { fault, remaining: times, path },
      );
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

function centsOf(dollars: unknown): number {
  return Math.round(Number(dollars) * 100);
}

function dollarsText(cents: number): string {
  return (cents / 100).toFixed(2);
}

/** Alpaca sends prices with up to 4 decimals, trailing zeros dropped. */
function decimalText(value: number): string {
  return String(Number(value.toFixed(4)));
}

function positionJson(
  symbol: string,
  quantity: number,
  averagePrice: number,
  price: number,
  previous: Readonly<Record<string, unknown>> = {},
): Record<string, unknown> {
  const costBasisCents = Math.round(averagePrice * Math.abs(quantity) * 100);
  const marketValueCents = centsOf(price) * quantity;
  const unrealizedCents = marketValueCents - Math.sign(quantity) * costBasisCents;
  return {
    asset_id: uuidFromName(`mock-alpaca-asset:${symbol}`),
    exchange: "NASDAQ",
    asset_class: "us_equity",
    asset_marginable: true,
    ...previous,
    symbol,
    qty: String(quantity),
    qty_available: String(quantity),
    side: quantity > 0 ? "long" : "short",
    avg_entry_price: decimalText(averagePrice),
    cost_basis: dollarsText(costBasisCents),
    market_value: dollarsText(marketValueCents),
    current_price: decimalText(price),
    lastday_price: decimalText(price),
    change_today: "0",
    unrealized_pl: dollarsText(unrealizedCents),
    unrealized_plpc: costBasisCents === 0 ? "0" : String(unrealizedCents / costBasisCents),
    unrealized_intraday_pl: dollarsText(unrealizedCents),
    unrealized_intraday_plpc: costBasisCents === 0 ? "0" : String(unrealizedCents / costBasisCents),
  };
}

function orderProblem(fields: Record<string, unknown>): string | undefined {
  if (typeof fields.symbol !== "string" || fields.symbol === "") return "symbol is required";
  if (typeof fields.qty !== "string" || !/^[1-9]\d*$/.test(fields.qty)) {
    return "qty must be a positive whole number";
  }
  if (fields.side !== "buy" && fields.side !== "sell") return "invalid side";
  if (fields.type !== "market") return "mock Alpaca takes market orders only";
  if (fields.time_in_force !== "day") return "mock Alpaca takes day orders only";
  const id = fields.client_order_id;
  if (typeof id !== "string" || id === "" || id.length > 128) {
    return "client_order_id must be 1 to 128 characters";
  }
  return undefined;
}

function alpacaError(status: number, code: number, message: string) {
  return { status, body: { code, message } };
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  requestId: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (body === undefined) {
    res.writeHead(status, { "x-request-id": requestId, ...headers });
    res.end();
    return;
  }
  res.writeHead(status, {
    "content-type": "application/json",
    "x-request-id": requestId,
    ...headers,
  });
  res.end(JSON.stringify(body));
}
