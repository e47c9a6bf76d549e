/**
 * A stand-in for Alpaca's Market Data API v2 on 127.0.0.1, for tests: no network, no account.
 * It answers GET /v2/stocks/bars (daily bars only, filtered by start/end, paged with
 * next_page_token) and GET /v2/stocks/quotes/latest with Alpaca's documented JSON and error
 * envelope (`{ code, message }`), checks the key headers (401 otherwise), and takes injected
 * faults: an HTTP status (e.g. 429 with Retry-After), a request that never answers, malformed
 * JSON, a dropped connection.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Bar, newYorkInstant, parseIsoInstant } from "@trader/core";
import type { AlpacaBarWire, AlpacaQuoteWire } from "./alpaca-market-json.js";

export type MockMarketDataFault =
  | {
      readonly kind: "status";
      readonly status: number;
      /** The JSON body, or a function of the request (e.g. to echo a header back). */
      readonly body?: unknown;
      readonly bodyFor?: (request: MockMarketDataRequest) => unknown;
      readonly headers?: Readonly<Record<string, string>>;
    }
  /** Headers never come: the client's timeout has to end it. */
  | { readonly kind: "hang" }
  /** HTTP 200 with a body that is not JSON. */
  | { readonly kind: "malformed_json" }
  /** HTTP 200 with this JSON instead of the real answer (e.g. an undocumented shape). */
  | { readonly kind: "body"; readonly body: unknown }
  /** The connection is destroyed without an answer. */
  | { readonly kind: "reset" };

export interface MockMarketDataRequest {
  readonly method: string;
  /** The path without the query, e.g. "/v2/stocks/bars". */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
}

export interface MockMarketDataServerOptions {
  /** The credentials the server accepts; anything else gets HTTP 401. */
  readonly keyId?: string;
  readonly secret?: string;
  /** Daily bars per symbol in Alpaca's JSON (see `alpacaDailyBarWire`), any order. */
  readonly bars?: Readonly<Record<string, readonly AlpacaBarWire[]>>;
  /** The latest quote per symbol in Alpaca's JSON. */
  readonly quotes?: Readonly<Record<string, AlpacaQuoteWire>>;
  /** The most bars one page holds, whatever `limit` asks for; to exercise paging. Default 10000. */
  readonly pageSize?: number;
}

export interface MockMarketDataServer {
  /** e.g. "http://127.0.0.1:43121": pass as the adapter's baseUrl. */
  readonly baseUrl: string;
  readonly keyId: string;
  readonly secret: string;
  /** Every request received, oldest first. */
  readonly requests: readonly MockMarketDataRequest[];
  /** Adds bars to a symbol's series (a bar with the same timestamp is replaced). */
  addBars(symbol: string, bars: readonly AlpacaBarWire[]): void;
  setQuote(symbol: string, quote: AlpacaQuoteWire): void;
  /** The next `times` requests (to `path` only, when given) get `fault` instead of an answer. */
  injectFault(fault: MockMarketDataFault, options?: { times?: number; path?: string }): void;
  close(): Promise<void>;
}

export const MOCK_BARS_PATH = "/v2/stocks/bars";
export const MOCK_LATEST_QUOTES_PATH = "/v2/stocks/quotes/latest";

/** A core Bar as Alpaca sends a daily bar: stamped midnight New York of its date, in UTC. */
export function alpacaDailyBarWire(bar: Bar): AlpacaBarWire {
  return {
    t: newYorkInstant(bar.date, "00:00").replace(".000Z", "Z"),
    o: bar.open,
    h: bar.high,
    l: bar.low,
    c: bar.close,
    v: bar.volume,
    n: Math.max(1, Math.round(bar.volume / 100)),
    vw: Number(((bar.high + bar.low + bar.close) / 3).toFixed(4)),
  };
}

export async function startMockMarketDataServer(
  options: MockMarketDataServerOptions = {},
): Promise<MockMarketDataServer> {
  const keyId = options.keyId ?? "mock-key-id";
  const secret = options.secret ?? "mock-secret-key";
  const pageSize = options.pageSize ?? 10_000;
  const bars = new Map<string, AlpacaBarWire[]>();
  const quotes = new Map<string, AlpacaQuoteWire>(Object.entries(options.quotes ?? {}));
  const requests: MockMarketDataRequest[] = [];
  const faults: { fault: MockMarketDataFault; remaining: number; path?: string }[] = [];
  let requestCount = 0;

  function addBars(symbol: string, added: readonly AlpacaBarWire[]): void {
    const byTime = new Map((bars.get(symbol) ?? []).map((bar) => [bar.t, bar]));
    for (const bar of added) byTime.set(bar.t, bar);
    bars.set(
      symbol,
      [...byTime.values()].sort((a, b) => parseIsoInstant(a.t) - parseIsoInstant(b.t)),
    );
  }
  for (const [symbol, list] of Object.entries(options.bars ?? {})) addBars(symbol, list);

  function route(request: MockMarketDataRequest): { status: number; body: unknown } {
    const { method, path, query } = request;
    if (method === "GET" && path === MOCK_BARS_PATH) return listBars(query);
    if (method === "GET" && path === MOCK_LATEST_QUOTES_PATH) {
      const symbols = symbolsOf(query);
      if (symbols === null) return alpacaError(400, 40010001, "symbols is required");
      const found: Record<string, AlpacaQuoteWire> = {};
      for (const symbol of symbols) {
        const quote = quotes.get(symbol);
        if (quote) found[symbol] = quote;
      }
      return { status: 200, body: { quotes: found } };
    }
    return alpacaError(404, 40410000, `mock Alpaca market data has no route ${method} ${path}`);
  }

  function listBars(query: Readonly<Record<string, string>>): { status: number; body: unknown } {
    const symbols = symbolsOf(query);
    if (symbols === null) return alpacaError(400, 40010001, "symbols is required");
    if (query.timeframe !== "1Day") {
      return alpacaError(422, 42210000, `mock Alpaca serves timeframe 1Day only`);
    }
    const start = query.start === undefined ? -Infinity : Date.parse(query.start);
    const end = query.end === undefined ? Infinity : Date.parse(query.end);
    if (Number.isNaN(start) || Number.isNaN(end)) {
      return alpacaError(400, 40010001, "invalid start or end");
    }
    // Alpaca sorts by symbol, then by time, and pages through that order.
    const all = [...symbols].sort().flatMap((symbol) =>
      (bars.get(symbol) ?? [])
        .filter((bar) => {
          const t = parseIsoInstant(bar.t);
          return t >= start && t <= end;
        })
        .map((bar) => ({ symbol, bar })),
    );
    const limit = Math.min(Number(query.limit ?? 1000), pageSize, 10_000);
    const offset = query.page_token === undefined ? 0 : decodeToken(query.page_token);
    if (offset === null) return alpacaError(400, 40010001, "invalid page token");
    const page = all.slice(offset, offset + limit);
    const grouped: Record<string, AlpacaBarWire[]> = {};
    for (const { symbol, bar } of page) grouped[symbol] = [...(grouped[symbol] ?? []), bar];
    const nextOffset = offset + page.length;
    return {
      status: 200,
      body: {
        bars: grouped,
        next_page_token: nextOffset < all.length ? encodeToken(nextOffset) : null,
      },
    };
  }

  const server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for await (const _chunk of req) {
      // GET requests carry no body; drain whatever came.
    }
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      headers[name] = Array.isArray(value) ? value.join(", ") : value;
    }
    const request: MockMarketDataRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
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
        res.end('{"bars": {"QQQ": [{"t": "2026-');
        return;
      }
      if (fault.kind === "body") {
        send(res, 200, fault.body, requestId);
        return;
      }
      send(res, fault.status, fault.bodyFor ? fault.bodyFor(request) : fault.body, requestId, {
        ...fault.headers,
      });
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
    addBars,
    setQuote(symbol, quote) {
      quotes.set(symbol, quote);
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

function symbolsOf(query: Readonly<Record<string, string>>): string[] | null {
  const list = (query.symbols ?? "").split(",").filter((symbol) => symbol !== "");
  return list.length === 0 ? null : list;
}

// Alpaca's page tokens are opaque; the mock's carry the offset into the sorted answer.
function encodeToken(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString("base64");
}

function decodeToken(token: string): number | null {
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, "base64").toString("utf8"));
  return match ? Number(match[1]) : null;
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
