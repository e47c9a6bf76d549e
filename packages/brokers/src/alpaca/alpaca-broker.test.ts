import { inspect } from "node:util";
import { trading } from "@alpacahq/alpaca-trade-api/rest";
import { manualClock, parseIsoInstant, toIsoUtc } from "@trader/core";
import { afterAll, describe, expect, it } from "vitest";
import type { BrokerError, BrokerLogger } from "../port.js";
import {
  ALPACA_LIVE_BASE_URL,
  ALPACA_PAPER_BASE_URL,
  type AlpacaBrokerOptions,
  createAlpacaBroker,
} from "./alpaca-broker.js";
import {
  type MockAlpacaServer,
  type MockAlpacaServerOptions,
  startMockAlpacaServer,
} from "./mock-alpaca-server.js";
import { ALPACA_ORDER_STATUS_MAPPING, ALPACA_ORDER_STATUSES } from "./status-mapping.js";

const KEY_ID = "PKMOCK4KEY7ID";
const SECRET = "mock-Secret-0f9e8d7c6b5a-never-print";

const servers: MockAlpacaServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

async function mockAlpaca(options: MockAlpacaServerOptions = {}) {
  const server = await startMockAlpacaServer({ keyId: KEY_ID, secret: SECRET, ...options });
  servers.push(server);
  return server;
}

function captureLogger() {
  const lines: string[] = [];
  const logger: BrokerLogger = {
    info: (line) => lines.push(`info ${line}`),
    warn: (line) => lines.push(`warn ${line}`),
  };
  return { lines, logger };
}

function alpacaOn(server: MockAlpacaServer, options: Partial<AlpacaBrokerOptions> = {}) {
  return createAlpacaBroker({
    keyId: KEY_ID,
    secret: SECRET,
    paper: true,
    baseUrl: server.baseUrl,
    timeoutMs: 2_000,
    ...options,
  });
}

/** The BrokerError a call rejects with; fails the test when it resolves. */
async function failure(call: Promise<unknown>): Promise<BrokerError> {
  return call.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error as BrokerError,
  );
}

const buy = (clientOrderId: string, quantity = 10, symbol = "QQQ") => ({
  clientOrderId,
  symbol,
  side: "buy" as const,
  quantity,
  decisionPrice: 450,
});

describe("createAlpacaBroker: set-up", () => {
  it("uses Alpaca's paper and live hosts, the same the SDK names", () => {
    expect(ALPACA_PAPER_BASE_URL).toBe("https://paper-api.alpaca.markets");
    expect(ALPACA_LIVE_BASE_URL).toBe("https://api.alpaca.markets");
    expect(ALPACA_PAPER_BASE_URL).toBe(trading.TRADING_PAPER_HOST);
    expect(ALPACA_LIVE_BASE_URL).toBe(trading.TRADING_LIVE_HOST);
    const paper = createAlpacaBroker({ keyId: KEY_ID, secret: SECRET, paper: true });
    const live = createAlpacaBroker({ keyId: KEY_ID, secret: SECRET, paper: false });
    expect([paper.name, paper.baseUrl]).toEqual(["alpaca-paper", ALPACA_PAPER_BASE_URL]);
    expect([live.name, live.baseUrl]).toEqual(["alpaca-live", ALPACA_LIVE_BASE_URL]);
  });

  it("refuses bad options naming the field, never echoing the secret", () => {
    const attempt = (options: Partial<AlpacaBrokerOptions>) => () =>
      createAlpacaBroker({ keyId: KEY_ID, secret: SECRET, paper: true, ...options });
    expect(attempt({ keyId: " " })).toThrow(
      /keyId[\s\S]*non-empty Alpaca API key id|non-empty Alpaca API key id[\s\S]*keyId/,
    );
    expect(attempt({ timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(attempt({ baseUrl: "ftp://127.0.0.1" })).toThrow(/baseUrl/);
    let message = "";
    try {
      attempt({ timeoutMs: -5 })();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/Alpaca broker config is invalid/);
    expect(message).not.toContain(SECRET);
  });
});

describe("createAlpacaBroker against a mock Alpaca on 127.0.0.1", () => {
  it("maps the account's decimal strings to integer cents, sending both key headers", async () => {
    const server = await mockAlpaca({
      account: { cash: "4000.32", equity: "10125.67", buying_power: "8000.64" },
    });
    expect(await alpacaOn(server).account()).toEqual({
      cashCents: 400_032,
      equityCents: 1_012_567,
      buyingPowerCents: 800_064,
    });
    expect(server.requests[0]?.headers["apca-api-key-id"]).toBe(KEY_ID);
    expect(server.requests[0]?.headers["apca-api-secret-key"]).toBe(SECRET);
  });

  it("maps positions to whole shares (negative for a short) and cents", async () => {
    const server = await mockAlpaca({
      positions: [
        {
          symbol: "QQQ",
          qty: "10",
          side: "long",
          avg_entry_price: "450.9012",
          current_price: "452.7",
        },
        { symbol: "SPY", qty: "-5", side: "short", avg_entry_price: "500", current_price: null },
      ],
    });
    expect(await alpacaOn(server).positions()).toEqual([
      { symbol: "QQQ", quantity: 10, averagePriceCents: 45_090, marketPriceCents: 45_270 },
      { symbol: "SPY", quantity: -5, averagePriceCents: 50_000 },
    ]);
  });

  it("refuses a fractional position as a protocol error naming it", async () => {
    const server = await mockAlpaca({
      positions: [{ symbol: "QQQ", qty: "2.5", avg_entry_price: "450", current_price: "450" }],
    });
    const error = await failure(alpacaOn(server).positions());
    expect(error.kind).toBe("protocol");
    expect(error.message).toMatch(/position QQQ qty is "2.5": fractional shares are not supported/);
  });

  it("submits a market day order under the intent id and finds it again by that id", async () => {
    const server = await mockAlpaca();
    const broker = alpacaOn(server);
    const sent = await broker.submitOrder(buy("a1b2c3d4e5f60718"));
    expect(server.requests.at(-1)).toMatchObject({
      method: "POST",
      path: "/v2/orders",
      body: {
        symbol: "QQQ",
        qty: "10",
        side: "buy",
        type: "market",
        time_in_force: "day",
        client_order_id: "a1b2c3d4e5f60718",
      },
    });
    expect(sent).toMatchObject({
      clientOrderId: "a1b2c3d4e5f60718",
      symbol: "QQQ",
      side: "buy",
      quantity: 10,
      status: "accepted",
      filledQuantity: 0,
      fills: [],
    });
    const found = await broker.orderByClientId("a1b2c3d4e5f60718");
    expect(found).toEqual(sent);
    expect(server.requests.at(-1)).toMatchObject({
      path: "/v2/orders:by_client_order_id",
      query: { client_order_id: "a1b2c3d4e5f60718" },
    });
  });

  it("reports partial fills as they come, the second at the average's difference", async () => {
    const server = await mockAlpaca();
    const broker = alpacaOn(server);
    const { brokerOrderId } = await broker.submitOrder(buy("a1b2c3d4e5f60718"));
    server.fillOrder("a1b2c3d4e5f60718", { quantity: 4, price: 450.9 });
    const partial = await broker.orderByClientId("a1b2c3d4e5f60718");
    expect(partial).toMatchObject({ status: "partially_filled", filledQuantity: 4 });
    expect(partial?.fills).toEqual([
      expect.objectContaining({
        executionId: `${brokerOrderId}:4`,
        quantity: 4,
        priceCents: 45_090,
      }),
    ]);
    // 6 more at 451.50: Alpaca reports 10 filled at an average 451.26.
    server.fillOrder("a1b2c3d4e5f60718", { quantity: 6, price: 451.5 });
    const filled = await broker.orderByClientId("a1b2c3d4e5f60718");
    expect(server.orders()[0]?.filled_avg_price).toBe("451.26");
    expect(filled).toMatchObject({ status: "filled", filledQuantity: 10 });
    expect(filled?.fills.map((f) => [f.executionId, f.quantity, f.priceCents])).toEqual([
      [`${brokerOrderId}:4`, 4, 45_090],
      [`${brokerOrderId}:10`, 6, 45_150],
    ]);
  });

  it("returns an order that fills at once with its fill", async () => {
    const clock = manualClock("2026-03-02T20:50:00Z");
    const server = await mockAlpaca({ prices: { QQQ: 450.9 }, clock });
    const sent = await alpacaOn(server).submitOrder(buy("a1b2c3d4e5f60718"));
    expect(sent).toMatchObject({ status: "filled", filledQuantity: 10 });
    expect(sent.fills).toEqual([
      {
        executionId: `${sent.brokerOrderId}:10`,
        quantity: 10,
        priceCents: 45_090,
        at: "2026-03-02T20:50:00.000Z",
      },
    ]);
  });

  it("refuses a second submit under the same client order id: duplicate_client_order_id", async () => {
    const server = await mockAlpaca();
    const broker = alpacaOn(server);
    await broker.submitOrder(buy("a1b2c3d4e5f60718"));
    const error = await failure(broker.submitOrder(buy("a1b2c3d4e5f60718")));
    expect(error).toMatchObject({ name: "BrokerError", kind: "duplicate_client_order_id" });
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/HTTP 422: client_order_id must be unique/);
    expect(server.orders()).toHaveLength(1);
  });

  it("answers null for a client order id Alpaca does not know", async () => {
    const server = await mockAlpaca();
    expect(await alpacaOn(server).orderByClientId("ffffffffffffffff")).toBeNull();
  });

  it("maps every Alpaca order status as the table says", async () => {
    const server = await mockAlpaca();
    for (const status of ALPACA_ORDER_STATUSES) {
      const filled = status === "filled" ? "10" : status === "partially_filled" ? "3" : "0";
      server.addOrder({
        client_order_id: `status-${status}`,
        symbol: "QQQ",
        qty: "10",
        status,
        filled_qty: filled,
        filled_avg_price: filled === "0" ? null : "450.9",
        replaced_by: status === "replaced" ? "b0b6dd9d-8b9b-48a9-ba46-b9d54906e415" : null,
      });
    }
    const orders = await alpacaOn(server).ordersSince("2000-01-01T00:00:00Z");
    expect(orders).toHaveLength(ALPACA_ORDER_STATUSES.length);
    for (const order of orders) {
      const status = order.clientOrderId.replace(
        "status-",
        "",
      ) as keyof typeof ALPACA_ORDER_STATUS_MAPPING;
      expect([status, order.status]).toEqual([status, ALPACA_ORDER_STATUS_MAPPING[status]]);
    }
    const replaced = orders.find((order) => order.clientOrderId === "status-replaced");
    expect(replaced?.reason).toBe(
      "replaced at Alpaca by order b0b6dd9d-8b9b-48a9-ba46-b9d54906e415",
    );
  });

  it("refuses an order Alpaca will not take (HTTP 403) as rejected", async () => {
    const server = await mockAlpaca({ prices: { QQQ: 450 }, account: { buying_power: "1000" } });
    const error = await failure(alpacaOn(server).submitOrder(buy("a1b2c3d4e5f60718")));
    expect(error.kind).toBe("rejected");
    expect(error.message).toMatch(/HTTP 403: insufficient buying power/);
  });

  it("refuses a bad request before sending anything", async () => {
    const server = await mockAlpaca();
    const broker = alpacaOn(server);
    expect((await failure(broker.submitOrder(buy("a1b2c3d4e5f60718", 2.5)))).kind).toBe(
      "invalid_request",
    );
    expect((await failure(broker.orderByClientId("x".repeat(129)))).message).toMatch(
      /at most 128 characters/,
    );
    expect((await failure(broker.ordersSince("yesterday"))).kind).toBe("invalid_request");
    expect(server.requests).toHaveLength(0);
  });

  it.each([500, 502, 503, 429])(
    "reports HTTP %i as unavailable (worth retrying)",
    async (status) => {
      const server = await mockAlpaca();
      server.injectFault({ kind: "status", status, body: { code: 50010000, message: "busy" } });
      const error = await failure(alpacaOn(server).account());
      expect(error).toMatchObject({ kind: "unavailable", retryable: true });
      expect(error.detail).toMatchObject({ operation: "account", status });
    },
  );

  it("reports a submit that meets a 503 as unavailable: its outcome is unknown", async () => {
    const server = await mockAlpaca();
    server.injectFault({ kind: "status", status: 503 }, { path: "/v2/orders" });
    const error = await failure(alpacaOn(server).submitOrder(buy("a1b2c3d4e5f60718")));
    expect(error).toMatchObject({ kind: "unavailable", retryable: true });
  });

  it("gives up on a server that never answers: timeout within timeoutMs", async () => {
    const server = await mockAlpaca();
    server.injectFault({ kind: "hang" });
    const error = await failure(alpacaOn(server, { timeoutMs: 200 }).account());
    expect(error).toMatchObject({ kind: "timeout", retryable: true });
    expect(error.message).toMatch(/no answer within 200 ms/);
  });

  it("reports a dropped connection and a refused one as unavailable", async () => {
    const server = await mockAlpaca();
    server.injectFault({ kind: "reset" });
    expect((await failure(alpacaOn(server).account())).kind).toBe("unavailable");
    const closed = await startMockAlpacaServer();
    await closed.close();
    const refused = await failure(alpacaOn(closed).account());
    expect(refused.kind).toBe("unavailable");
    expect(refused.message).toMatch(/could not reach Alpaca/);
  });

  it("reports malformed JSON and an unknown status as protocol errors", async () => {
    const server = await mockAlpaca();
    server.injectFault({ kind: "malformed_json" });
    expect((await failure(alpacaOn(server).account())).kind).toBe("protocol");
    server.addOrder({ client_order_id: "odd", symbol: "QQQ", qty: "1", status: "teleported" });
    const error = await failure(alpacaOn(server).orderByClientId("odd"));
    expect(error.kind).toBe("protocol");
    expect(error.message).toMatch(/must be one of Alpaca's order statuses[\s\S]*at status/);
  });

  it("reports rejected keys (401) and forbidden ones (403) as auth", async () => {
    const server = await mockAlpaca();
    const wrongKeys = alpacaOn(server, { secret: "not-the-secret" });
    expect(await failure(wrongKeys.account())).toMatchObject({ kind: "auth", retryable: false });
    server.injectFault({
      kind: "status",
      status: 403,
      body: { code: 40310000, message: "forbidden" },
    });
    expect((await failure(alpacaOn(server).positions())).kind).toBe("auth");
  });

  it("never lets the secret into an error, a log line or the broker's printed form", async () => {
    const server = await mockAlpaca();
    const { lines, logger } = captureLogger();
    const broker = alpacaOn(server, { logger });
    // A misbehaving server (or proxy) that echoes the request's headers back in its error.
    server.injectFault({
      kind: "status",
      status: 500,
      bodyFor: (request) => ({
        code: 50010000,
        message: `upstream failed for ${request.headers["apca-api-key-id"]}/${request.headers["apca-api-secret-key"]}`,
      }),
    });
    const echoed = await failure(broker.account());
    expect(echoed.message).toContain("[redacted]");
    const wrongKeys = await failure(
      alpacaOn(server, { secret: `${SECRET}-old`, logger }).account(),
    );
    const printed = [
      echoed.message,
      JSON.stringify(echoed),
      inspect(echoed),
      wrongKeys.message,
      JSON.stringify(wrongKeys),
      ...lines,
      broker.name,
      JSON.stringify(broker),
      inspect(broker, { depth: 5 }),
    ].join("\n");
    expect(lines.filter((line) => line.startsWith("warn"))).toHaveLength(2);
    expect(printed).not.toContain(SECRET);
    expect(printed).not.toContain(KEY_ID);
  });

  it("cancels a working order and leaves a finished one alone", async () => {
    const server = await mockAlpaca();
    const broker = alpacaOn(server);
    await broker.submitOrder(buy("a1b2c3d4e5f60718"));
    await broker.cancelOrder("a1b2c3d4e5f60718");
    expect(await broker.orderByClientId("a1b2c3d4e5f60718")).toMatchObject({
      status: "canceled",
      reason: "Alpaca reports the order canceled",
    });

    server.setPrice("SPY", 500);
    await broker.submitOrder(buy("0f0e0d0c0b0a0908", 2, "SPY"));
    const deletesBefore = server.requests.filter((r) => r.method === "DELETE").length;
    await broker.cancelOrder("0f0e0d0c0b0a0908");
    expect(server.requests.filter((r) => r.method === "DELETE")).toHaveLength(deletesBefore);
    expect(await broker.orderByClientId("0f0e0d0c0b0a0908")).toMatchObject({ status: "filled" });

    expect((await failure(broker.cancelOrder("ffffffffffffffff"))).kind).toBe("not_found");
  });

  it("accepts a cancel that lost the race to a fill; refuses one Alpaca will not do", async () => {
    const server = await mockAlpaca();
    const broker = alpacaOn(server);
    const { brokerOrderId } = await broker.submitOrder(buy("a1b2c3d4e5f60718"));
    server.injectFault(
      {
        kind: "status",
        status: 422,
        bodyFor: () => {
          server.fillOrder("a1b2c3d4e5f60718", { price: 450 });
          return { code: 42210000, message: "order is not cancelable" };
        },
      },
      { path: `/v2/orders/${brokerOrderId}` },
    );
    await broker.cancelOrder("a1b2c3d4e5f60718");
    expect(await broker.orderByClientId("a1b2c3d4e5f60718")).toMatchObject({ status: "filled" });

    const replacing = await broker.submitOrder(buy("0f0e0d0c0b0a0908"));
    server.updateOrder("0f0e0d0c0b0a0908", { status: "pending_replace" });
    server.injectFault(
      { kind: "status", status: 422, body: { code: 42210000, message: "order is not cancelable" } },
      { path: `/v2/orders/${replacing.brokerOrderId}` },
    );
    const error = await failure(broker.cancelOrder("0f0e0d0c0b0a0908"));
    expect(error.kind).toBe("rejected");
    expect(error.message).toMatch(/refused to cancel order 0f0e0d0c0b0a0908 \(accepted\)/);
  });

  it("lists orders submitted at or after an instant, oldest first", async () => {
    const clock = manualClock("2026-03-02T20:50:00Z");
    const server = await mockAlpaca({ clock });
    const broker = alpacaOn(server);
    for (const id of ["1111111111111111", "2222222222222222", "3333333333333333"]) {
      await broker.submitOrder(buy(id));
      clock.advance(1_000);
    }
    const since = await broker.ordersSince("2026-03-02T20:50:01Z");
    expect(since.map((order) => [order.clientOrderId, order.submittedAt])).toEqual([
      ["2222222222222222", "2026-03-02T20:50:01.000Z"],
      ["3333333333333333", "2026-03-02T20:50:02.000Z"],
    ]);
    expect(server.requests.at(-1)).toMatchObject({
      path: "/v2/orders",
      query: { status: "all", direction: "asc", after: "2026-03-02T20:50:00.999Z", limit: "500" },
    });
  });

  it("pages through more orders than one answer holds", async () => {
    const server = await mockAlpaca();
    const start = parseIsoInstant("2026-03-02T14:30:00Z");
    for (let index = 0; index < 1_201; index++) {
      server.addOrder({
        client_order_id: `order-${index}`,
        symbol: "QQQ",
        qty: "1",
        submitted_at: toIsoUtc(start + index * 1_000),
      });
    }
    const orders = await alpacaOn(server).ordersSince("2026-03-02T14:30:00Z");
    expect(orders).toHaveLength(1_201);
    expect(orders.map((order) => order.clientOrderId)).toEqual(
      Array.from({ length: 1_201 }, (_, index) => `order-${index}`),
    );
    expect(server.requests.filter((r) => r.path === "/v2/orders")).toHaveLength(3);
  });

  it("logs what it sends and what failed, naming itself", async () => {
    const server = await mockAlpaca();
    const { lines, logger } = captureLogger();
    const broker = alpacaOn(server, { logger });
    await broker.submitOrder(buy("a1b2c3d4e5f60718"));
    await failure(broker.submitOrder(buy("a1b2c3d4e5f60718")));
    expect(lines).toEqual([
      "info alpaca-paper: submitting buy 10 QQQ as a1b2c3d4e5f60718",
      expect.stringMatching(/^info alpaca-paper: order a1b2c3d4e5f60718 is accepted \(Alpaca id /),
      "info alpaca-paper: submitting buy 10 QQQ as a1b2c3d4e5f60718",
      expect.stringMatching(
        /^warn alpaca-paper: duplicate_client_order_id: Alpaca submitOrder failed with HTTP 422/,
      ),
    ]);
  });
});
