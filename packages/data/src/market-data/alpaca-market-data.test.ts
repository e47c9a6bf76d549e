import { inspect } from "node:util";
import { marketData } from "@alpacahq/alpaca-trade-api/rest";
import { type Bar, checkDataQuality, type NyseCalendar, nyseCalendar } from "@trader/core";
import { afterAll, describe, expect, it } from "vitest";
import { syntheticMarket } from "../synthetic-market.js";
import {
  ALPACA_MARKET_DATA_BASE_URL,
  type AlpacaMarketDataOptions,
  createAlpacaMarketData,
} from "./alpaca-market-data.js";
import {
  alpacaDailyBarWire,
  MOCK_BARS_PATH,
  MOCK_LATEST_QUOTES_PATH,
  type MockMarketDataServer,
  type MockMarketDataServerOptions,
  startMockMarketDataServer,
} from "./mock-market-data-server.js";
import type { MarketDataError } from "./port.js";

const KEY_ID = "PKMOCKDATA7KEY";
const SECRET = "mock-Data-Secret-5e4d3c2b1a-never-print";
const calendar: NyseCalendar = nyseCalendar();

const servers: MockMarketDataServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

async function mockServer(options: MockMarketDataServerOptions = {}) {
  const server = await startMockMarketDataServer({ keyId: KEY_ID, secret: SECRET, ...options });
  servers.push(server);
  return server;
}

/** The adapter on a mock server; its sleeps are recorded and return at once. */
function alpacaOn(server: MockMarketDataServer, options: Partial<AlpacaMarketDataOptions> = {}) {
  const sleeps: number[] = [];
  const warnings: string[] = [];
  const provider = createAlpacaMarketData({
    keyId: KEY_ID,
    secret: SECRET,
    baseUrl: server.baseUrl,
    timeoutMs: 2_000,
    sleep: async (milliseconds) => {
      sleeps.push(milliseconds);
    },
    logger: { warn: (message) => warnings.push(message) },
    ...options,
  });
  return { provider, sleeps, warnings };
}

async function failure(call: Promise<unknown>): Promise<MarketDataError> {
  return call.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error as MarketDataError,
  );
}

/** `count` sessions ending with `last`, oldest first. */
function sessionsEnding(last: string, count: number): { from: string; to: string } {
  let from = last;
  for (let step = 1; step < count; step++) from = calendar.previousSession(from);
  return { from, to: last };
}

function history(symbols: string[], from: string, to: string, seed = 11) {
  return syntheticMarket({ seed, from, to, calendar, symbols }).history;
}

const wiresOf = (bars: readonly Bar[]) => bars.map(alpacaDailyBarWire);

describe("createAlpacaMarketData: set-up", () => {
  it("talks to data.alpaca.markets, the SDK's market-data host, on the IEX feed by default", () => {
    expect(ALPACA_MARKET_DATA_BASE_URL).toBe(marketData.MARKET_DATA_HOST);
    const provider = createAlpacaMarketData({ keyId: KEY_ID, secret: SECRET });
    expect([provider.name, provider.baseUrl, provider.feed, provider.adjustment]).toEqual([
      "alpaca-iex",
      "https://data.alpaca.markets",
      "iex",
      "raw",
    ]);
    expect(createAlpacaMarketData({ keyId: KEY_ID, secret: SECRET, feed: "sip" }).name).toBe(
      "alpaca-sip",
    );
  });

  it("refuses bad options with the field and the rule, never echoing the secret", () => {
    const bad = (options: Partial<AlpacaMarketDataOptions>) => () =>
      createAlpacaMarketData({ keyId: KEY_ID, secret: SECRET, ...options });
    expect(bad({ feed: "otc" as "iex" })).toThrow(/"iex" or "sip"\s*→ at feed/);
    expect(bad({ secret: " " })).toThrow(/non-empty Alpaca API secret key\s*→ at secret/);
    expect(bad({ retries: -1 })).toThrow(/whole number ≥ 0\s*→ at retries/);
    expect(bad({ baseUrl: "ftp://x" })).toThrow(/http\(s\) URL[^\n]*\s*→ at baseUrl/);
    try {
      bad({ feed: "otc" as "iex" })();
    } catch (error) {
      expect(String(error)).not.toContain(SECRET);
    }
  });
});

describe("daily bars", () => {
  // 2026-02-02 .. 2026-04-30 crosses the switch to daylight time (8 March): bars are stamped
  // 05:00Z before it and 04:00Z after, and both must land on their New York trading date.
  const market = history(["QQQ", "TLT"], "2026-02-02", "2026-04-30");
  const qqq = market.QQQ as Bar[];
  const tlt = market.TLT as Bar[];

  it("pages through next_page_token and dates each bar by its New York session", async () => {
    const server = await mockServer({
      bars: { QQQ: wiresOf(qqq), TLT: wiresOf(tlt) },
      pageSize: 25,
    });
    const { provider } = alpacaOn(server);
    const result = await provider.dailyBars(["QQQ", "TLT"], "2026-02-02", "2026-04-30");
    expect(result).toEqual({ QQQ: qqq, TLT: tlt });
    expect(wiresOf(qqq).find((wire) => wire.t.startsWith("2026-03-06"))?.t).toBe(
      "2026-03-06T05:00:00Z",
    );
    expect(wiresOf(qqq).find((wire) => wire.t.startsWith("2026-03-09"))?.t).toBe(
      "2026-03-09T04:00:00Z",
    );

    const pages = server.requests.filter((request) => request.path === MOCK_BARS_PATH);
    expect(pages.length).toBe(Math.ceil((qqq.length + tlt.length) / 25));
    const [first, second] = pages;
    expect(first?.query).toMatchObject({
      symbols: "QQQ,TLT",
      timeframe: "1Day",
      adjustment: "raw",
      feed: "iex",
      start: "2026-02-02T05:00:00.000Z",
      end: "2026-05-01T03:59:00.000Z",
    });
    expect(first?.query.page_token).toBeUndefined();
    expect(second?.query.page_token).toEqual(expect.any(String));
    expect(first?.headers["apca-api-key-id"]).toBe(KEY_ID);
  });

  it("returns only the sessions from..to asked for", async () => {
    const server = await mockServer({ bars: { QQQ: wiresOf(qqq) } });
    const { provider } = alpacaOn(server);
    const result = await provider.dailyBars(["QQQ"], "2026-03-09", "2026-03-13");
    expect(result.QQQ?.map((bar) => bar.date)).toEqual([
      "2026-03-09",
      "2026-03-10",
      "2026-03-11",
      "2026-03-12",
      "2026-03-13",
    ]);
  });

  it("takes an empty answer as no data: the symbol is left out", async () => {
    const server = await mockServer({ bars: { QQQ: wiresOf(qqq) } });
    const { provider } = alpacaOn(server);
    expect(await provider.dailyBars(["ZZZZ"], "2026-03-02", "2026-03-06")).toEqual({});
    expect(await provider.dailyBars(["QQQ"], "2027-01-04", "2027-01-08")).toEqual({});
    server.injectFault({ kind: "body", body: { bars: null, next_page_token: null } });
    expect(await provider.dailyBars(["QQQ"], "2026-03-02", "2026-03-06")).toEqual({});
  });

  it("refuses a bad request before sending it, naming the argument", async () => {
    const server = await mockServer();
    const { provider } = alpacaOn(server);
    await expect(provider.dailyBars(["QQQ"], "2026-03-32", "2026-04-01")).rejects.toThrow(
      /alpaca-iex: from date "2026-03-32" does not exist/,
    );
    await expect(provider.dailyBars(["QQQ"], "2026-04-02", "2026-04-01")).rejects.toThrow(
      /from 2026-04-02 is after to 2026-04-01/,
    );
    await expect(provider.dailyBars([""], "2026-04-01", "2026-04-01")).rejects.toThrow(
      /every symbol must be a non-empty string/,
    );
    expect(server.requests).toHaveLength(0);
  });

  it("refuses a bar whose high is below its close, naming symbol and time", async () => {
    const server = await mockServer({
      bars: { QQQ: [{ t: "2026-03-06T05:00:00Z", o: 100, h: 101, l: 99, c: 102, v: 5 }] },
    });
    const { provider } = alpacaOn(server);
    const error = await failure(provider.dailyBars(["QQQ"], "2026-03-06", "2026-03-06"));
    expect(error.kind).toBe("protocol");
    expect(error.message).toMatch(/QQQ at 2026-03-06T05:00:00Z: high 101 is below/);
  });

  it("refuses JSON that is not the documented shape, and malformed JSON, without retrying", async () => {
    const server = await mockServer({ bars: { QQQ: wiresOf(qqq) } });
    const { provider, sleeps } = alpacaOn(server);
    server.injectFault({ kind: "body", body: { bars: { QQQ: [{ t: "yesterday" }] } } });
    const shape = await failure(provider.dailyBars(["QQQ"], "2026-03-02", "2026-03-06"));
    expect(shape.kind).toBe("protocol");
    expect(shape.message).toMatch(/not the documented shape[\s\S]*bars\.QQQ\[0\]\.t/);
    server.injectFault({ kind: "malformed_json" });
    const malformed = await failure(provider.dailyBars(["QQQ"], "2026-03-02", "2026-03-06"));
    expect(malformed.kind).toBe("protocol");
    expect(sleeps).toEqual([]);
  });
});

describe("retries", () => {
  const bars = history(["QQQ"], "2026-03-02", "2026-03-13").QQQ as Bar[];

  it("waits out a 429 (honouring Retry-After) and then succeeds", async () => {
    const server = await mockServer({ bars: { QQQ: wiresOf(bars) } });
    const { provider, sleeps, warnings } = alpacaOn(server, { retryDelayMs: 250 });
    server.injectFault(
      {
        kind: "status",
        status: 429,
        body: { code: 42910000, message: "rate limit exceeded" },
        headers: { "Retry-After": "2" },
      },
      { times: 2 },
    );
    expect(await provider.dailyBars(["QQQ"], "2026-03-02", "2026-03-13")).toEqual({ QQQ: bars });
    expect(server.requests).toHaveLength(3);
    expect(sleeps).toEqual([2_000, 2_000]);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/alpaca-iex: .*HTTP 429.*rate limit exceeded; retry 1 in 2000 ms/);
  });

  it("backs off exponentially on 5xx and gives up after `retries`, as rate_limited or unavailable", async () => {
    const server = await mockServer({ bars: { QQQ: wiresOf(bars) } });
    const { provider, sleeps } = alpacaOn(server, { retries: 3, retryDelayMs: 100 });
    server.injectFault({ kind: "status", status: 503, body: { message: "down" } }, { times: 4 });
    const error = await failure(provider.dailyBars(["QQQ"], "2026-03-02", "2026-03-13"));
    expect(error.kind).toBe("unavailable");
    expect(error.message).toMatch(/HTTP 503: down \(gave up after 4 attempts\)/);
    expect(error.detail).toMatchObject({ status: 503, attempts: 4 });
    expect(sleeps).toEqual([100, 200, 400]);
    expect(server.requests).toHaveLength(4);

    server.injectFault(
      { kind: "status", status: 429, body: { message: "slow down" } },
      { times: 9 },
    );
    const limited = await failure(
      alpacaOn(server, { retries: 1 }).provider.dailyBars(["QQQ"], "2026-03-02", "2026-03-13"),
    );
    expect(limited.kind).toBe("rate_limited");
  });

  it("caps a long Retry-After at maxRetryDelayMs", async () => {
    const server = await mockServer({ bars: { QQQ: wiresOf(bars) } });
    const { provider, sleeps } = alpacaOn(server, { maxRetryDelayMs: 5_000 });
    server.injectFault({ kind: "status", status: 429, headers: { "Retry-After": "600" } });
    await provider.dailyBars(["QQQ"], "2026-03-02", "2026-03-13");
    expect(sleeps).toEqual([5_000]);
  });

  it("retries a dropped connection and a time-out", async () => {
    const server = await mockServer({ bars: { QQQ: wiresOf(bars) } });
    const { provider } = alpacaOn(server, { timeoutMs: 150, retries: 2 });
    server.injectFault({ kind: "reset" });
    server.injectFault({ kind: "hang" });
    expect(await provider.dailyBars(["QQQ"], "2026-03-02", "2026-03-13")).toEqual({ QQQ: bars });
    expect(server.requests).toHaveLength(3);

    server.injectFault({ kind: "hang" }, { times: 3 });
    const error = await failure(provider.dailyBars(["QQQ"], "2026-03-02", "2026-03-13"));
    expect(error.kind).toBe("timeout");
    expect(error.message).toMatch(/no answer within 150 ms \(gave up after 3 attempts\)/);
  });

  it("does not retry refused keys (401) or a plan that may not see the feed (403)", async () => {
    const server = await mockServer({ bars: { QQQ: wiresOf(bars) } });
    const wrongKeys = createAlpacaMarketData({
      keyId: KEY_ID,
      secret: "wrong-secret",
      baseUrl: server.baseUrl,
      sleep: async () => {},
    });
    const auth = await failure(wrongKeys.dailyBars(["QQQ"], "2026-03-02", "2026-03-13"));
    expect([auth.kind, auth.detail.status]).toEqual(["auth", 401]);
    expect(server.requests).toHaveLength(1);

    server.injectFault({
      kind: "status",
      status: 403,
      body: { message: "subscription does not permit querying recent SIP data" },
    });
    const { provider, sleeps } = alpacaOn(server, { feed: "sip" });
    const forbidden = await failure(provider.dailyBars(["QQQ"], "2026-03-02", "2026-03-13"));
    expect(forbidden.kind).toBe("forbidden");
    expect(forbidden.message).toMatch(/recent SIP data/);
    expect(sleeps).toEqual([]);
  });

  it("never lets the key or secret into an error, even when a server echoes them", async () => {
    const server = await mockServer({ bars: { QQQ: wiresOf(bars) } });
    const { provider, warnings } = alpacaOn(server, { retries: 1 });
    const echo = (request: { headers: Readonly<Record<string, string | undefined>> }) => ({
      message: `bad key ${request.headers["apca-api-key-id"]} / ${request.headers["apca-api-secret-key"]}`,
    });
    server.injectFault({ kind: "status", status: 401, bodyFor: echo });
    const auth = await failure(provider.latestQuotes(["QQQ"]));
    server.injectFault({ kind: "status", status: 500, bodyFor: echo }, { times: 2 });
    const down = await failure(provider.dailyBars(["QQQ"], "2026-03-02", "2026-03-13"));
    for (const error of [auth, down]) {
      const printed = [String(error), error.message, inspect(error), JSON.stringify(error.detail)];
      for (const text of printed) {
        expect(text).not.toContain(SECRET);
        expect(text).not.toContain(KEY_ID);
      }
      expect(error.message).toContain("[redacted]");
    }
    expect(warnings.join("\n")).not.toContain(SECRET);
    expect(inspect(provider)).not.toContain(SECRET);
  });
});

describe("latest quotes", () => {
  it("takes the bid/ask midpoint as last, tagged with the provider's name", async () => {
    const server = await mockServer({
      quotes: {
        QQQ: { t: "2026-03-13T19:55:01.123456789Z", ap: 450.3, as: 2, bp: 450.1, bs: 3 },
        TLT: { t: "2026-03-13T19:55:00Z", ap: 0, as: 0, bp: 90.5, bs: 1 },
        TQQQ: { t: "2026-03-13T19:55:00Z", ap: 0, as: 0, bp: 0, bs: 0 },
      },
    });
    const { provider } = alpacaOn(server, { feed: "sip" });
    const quotes = await provider.latestQuotes(["QQQ", "TLT", "TQQQ", "ZZZZ"]);
    expect(quotes).toEqual([
      {
        symbol: "QQQ",
        at: "2026-03-13T19:55:01.123Z",
        last: 450.2,
        bid: 450.1,
        ask: 450.3,
        source: "alpaca-sip",
      },
      {
        symbol: "TLT",
        at: "2026-03-13T19:55:00.000Z",
        last: 90.5,
        bid: 90.5,
        source: "alpaca-sip",
      },
    ]);
    const [request] = server.requests;
    expect(request?.path).toBe(MOCK_LATEST_QUOTES_PATH);
    expect(request?.query).toEqual({ symbols: "QQQ,TLT,TQQQ,ZZZZ", feed: "sip" });
  });

  it("answers an empty quote map with no quotes", async () => {
    const server = await mockServer();
    const { provider } = alpacaOn(server);
    expect(await provider.latestQuotes(["QQQ"])).toEqual([]);
  });
});

describe("a stale last bar from the provider", () => {
  it("is blocked by the data-quality gate at today's decision time", async () => {
    const today = "2026-11-20";
    const fiveSessionsAgo = sessionsEnding(today, 6).from;
    const span = sessionsEnding(fiveSessionsAgo, 260);
    const qqq = history(["QQQ"], span.from, span.to, 5).QQQ as Bar[];
    const server = await mockServer({ bars: { QQQ: wiresOf(qqq) } });
    const { provider } = alpacaOn(server);
    const fetched = await provider.dailyBars(["QQQ"], span.from, today);
    const bars = fetched.QQQ as Bar[];
    expect(bars.at(-1)?.date).toBe("2026-11-13");
    expect(bars).toHaveLength(260);

    // The decision at close − 10 min (15:50 New York).
    const at = new Date(Date.parse(calendar.sessionClose(today)) - 10 * 60_000).toISOString();
    const report = checkDataQuality({ at, symbols: [{ symbol: "QQQ", bars }], calendar });
    const [quality] = report.symbols;
    expect(quality?.pass).toBe(false);
    expect(quality?.failures.map((failure) => failure.check)).toEqual(["stale"]);
    expect(quality?.failures[0]?.message).toMatch(/QQQ last bar 2026-11-13 closed 167\.8 h/);
    expect(report.summary.blocked).toEqual(["QQQ"]);

    // The same history one session old is fresh: the gate blocks staleness, not the provider.
    const fresh = history(["QQQ"], span.from, calendar.previousSession(today), 5).QQQ as Bar[];
    const freshReport = checkDataQuality({
      at,
      symbols: [{ symbol: "QQQ", bars: fresh.slice(-260) }],
      calendar,
    });
    expect(freshReport.symbols[0]?.failures.map((failure) => failure.check)).not.toContain("stale");
  });
});
