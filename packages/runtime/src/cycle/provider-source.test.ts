import {
  type Bar,
  checkDataQuality,
  fixedClock,
  nyseCalendar,
  type PriceHistory,
  type Quote,
} from "@trader/core";
import {
  alpacaDailyBarWire,
  createAlpacaMarketData,
  createCsvMarketData,
  type MarketDataProvider,
  type MockMarketDataServer,
  startMockMarketDataServer,
  syntheticMarket,
} from "@trader/data";
import { afterAll, describe, expect, it } from "vitest";
import { providerMarketSource } from "./provider-source.js";

const calendar = nyseCalendar();
const market = syntheticMarket({
  seed: 8,
  from: "2025-06-02",
  to: "2026-11-20",
  calendar,
  symbols: ["QQQ", "TLT"],
}).history;

const servers: MockMarketDataServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

/** A provider over fixed data that records what it was asked. */
function recordingProvider(name: string, history: PriceHistory, quotes: Quote[] = []) {
  const calls: string[] = [];
  const provider: MarketDataProvider = {
    name,
    async dailyBars(symbols, from, to) {
      calls.push(`bars ${symbols.join(",")} ${from}..${to}`);
      const result: Record<string, Bar[]> = {};
      for (const symbol of symbols) {
        const bars = (history[symbol] ?? []).filter((b) => b.date >= from && b.date <= to);
        if (bars.length > 0) result[symbol] = bars;
      }
      return result;
    },
    async latestQuotes(symbols) {
      calls.push(`quotes ${symbols.join(",")}`);
      return quotes.filter((quote) => symbols.includes(quote.symbol));
    },
  };
  return { provider, calls };
}

const quote = (symbol: string, last: number, source: string, at = "2026-11-20T20:49:30.000Z") => ({
  symbol,
  at,
  last,
  source,
});

describe("providerMarketSource", () => {
  it("asks the primary for historySessions sessions through the date, and keeps that date's bar only after its close", async () => {
    const { provider, calls } = recordingProvider("alpaca-iex", market);
    const duringSession = providerMarketSource(provider, {
      calendar,
      historySessions: 10,
      clock: fixedClock("2026-11-20T20:50:00Z"),
    });
    const during = await duringSession.history(["QQQ", "TLT"], "2026-11-20");
    expect(calls).toEqual(["bars QQQ,TLT 2026-11-09..2026-11-20"]);
    expect(during.QQQ?.map((bar) => bar.date)).toEqual([
      "2026-11-09",
      "2026-11-10",
      "2026-11-11",
      "2026-11-12",
      "2026-11-13",
      "2026-11-16",
      "2026-11-17",
      "2026-11-18",
      "2026-11-19",
    ]);
    const afterClose = providerMarketSource(provider, {
      calendar,
      historySessions: 10,
      clock: fixedClock("2026-11-20T21:00:00Z"),
    });
    expect((await afterClose.history(["QQQ"], "2026-11-20")).QQQ?.at(-1)?.date).toBe("2026-11-20");
    // A weekend date: the sessions up to Friday, all closed.
    expect((await afterClose.history(["QQQ"], "2026-11-22")).QQQ).toHaveLength(10);
  });

  it("serves the primary's quotes, then the secondary's, each tagged with its provider", async () => {
    const { provider: primary } = recordingProvider("alpaca-sip", market, [
      quote("QQQ", 450.2, "whatever"),
      quote("TLT", 90.5, "whatever"),
    ]);
    const { provider: secondary } = recordingProvider("csv-vendor", market, [
      quote("QQQ", 449.9, "whatever"),
    ]);
    const source = providerMarketSource(primary, { secondary, calendar });
    expect(source.name).toBe("alpaca-sip+csv-vendor");
    const quotes = await source.quotes(["QQQ", "TLT"], "2026-11-20T20:50:00.000Z");
    expect(quotes.map((q) => `${q.symbol} ${q.source} ${q.last}`)).toEqual([
      "QQQ alpaca-sip 450.2",
      "TLT alpaca-sip 90.5",
      "QQQ csv-vendor 449.9",
    ]);
  });

  it("lets the data-quality gate abort the run when the two sources are more than 1% apart", async () => {
    const { provider: primary } = recordingProvider("alpaca-iex", market, [quote("QQQ", 450, "a")]);
    const { provider: secondary } = recordingProvider("alpaca-sip", market, [
      quote("QQQ", 456, "b"),
    ]);
    const source = providerMarketSource(primary, { secondary, calendar });
    const at = "2026-11-20T20:50:00.000Z";
    const quotes = await source.quotes(["QQQ"], at);
    const bars = (await source.history(["QQQ"], "2026-11-19")).QQQ as Bar[];
    const report = checkDataQuality({ at, symbols: [{ symbol: "QQQ", bars }], quotes, calendar });
    expect(report.aborts.map((abort) => abort.code)).toEqual(["quote_mismatch"]);
    expect(report.aborts[0]?.message).toMatch(/alpaca-iex 450 vs alpaca-sip 456/);
  });

  it("leaves out a quote from another New York day than the run's", async () => {
    const { provider } = recordingProvider("alpaca-iex", market, [
      quote("QQQ", 450, "x", "2026-11-19T20:59:00.000Z"),
      quote("TLT", 90, "x", "2026-11-20T14:31:00.000Z"),
    ]);
    const source = providerMarketSource(provider, { calendar });
    const quotes = await source.quotes(["QQQ", "TLT"], "2026-11-20T20:50:00.000Z");
    expect(quotes.map((q) => q.symbol)).toEqual(["TLT"]);
  });

  it("refuses two providers with one name, and a bad historySessions", () => {
    const csv = createCsvMarketData("/nowhere");
    expect(() => providerMarketSource(csv, { secondary: csv, calendar })).toThrow(
      /both named "csv"; the cross-source check needs two distinct sources/,
    );
    expect(() => providerMarketSource(csv, { calendar, historySessions: 0 })).toThrow(
      /historySessions must be a whole number ≥ 1, got 0/,
    );
  });

  it("runs on the Alpaca adapter against the local server", async () => {
    const server = await startMockMarketDataServer({
      keyId: "k",
      secret: "s",
      bars: { QQQ: (market.QQQ as Bar[]).map(alpacaDailyBarWire) },
      quotes: { QQQ: { t: "2026-11-20T20:49:59.5Z", ap: 451, as: 1, bp: 450, bs: 1 } },
    });
    servers.push(server);
    const alpaca = createAlpacaMarketData({ keyId: "k", secret: "s", baseUrl: server.baseUrl });
    const source = providerMarketSource(alpaca, {
      calendar,
      historySessions: 300,
      clock: fixedClock("2026-11-20T20:50:00Z"),
    });
    const bars = (await source.history(["QQQ"], "2026-11-20")).QQQ as Bar[];
    expect(bars).toHaveLength(299);
    expect(bars).toEqual((market.QQQ as Bar[]).filter((b) => b.date < "2026-11-20").slice(-299));
    expect(await source.quotes(["QQQ"], "2026-11-20T20:50:00.000Z")).toEqual([
      {
        symbol: "QQQ",
        at: "2026-11-20T20:49:59.500Z",
        last: 450.5,
        bid: 450,
        ask: 451,
        source: "alpaca-iex",
      },
    ]);
  });
});
