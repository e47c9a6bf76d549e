import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type Bar,
  fixedClock,
  nyseCalendar,
  type PriceHistory,
  type Quote,
  weekdayCalendar,
} from "@trader/core";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadCsvDirectory, writeCsv } from "../csv-directory.js";
import { syntheticMarket } from "../synthetic-market.js";
import { createAlpacaMarketData } from "./alpaca-market-data.js";
import {
  alpacaDailyBarWire,
  type MockMarketDataServer,
  startMockMarketDataServer,
} from "./mock-market-data-server.js";
import type { MarketDataProvider } from "./port.js";
import { BarConflictError, lastClosedSession, updateCsvDirectory } from "./update-csv.js";

const calendar = nyseCalendar();
const HEADER = "date,open,high,low,close,volume";

const market = syntheticMarket({
  seed: 21,
  from: "2026-09-01",
  to: "2026-11-20",
  calendar,
  symbols: ["QQQ", "TLT"],
}).history;
const upTo = (date: string): PriceHistory =>
  Object.fromEntries(
    Object.entries(market).map(([symbol, bars]) => [symbol, bars.filter((b) => b.date <= date)]),
  );

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "trader-update-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const servers: MockMarketDataServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

async function alpacaWith(history: PriceHistory) {
  const bars = Object.fromEntries(
    Object.entries(history).map(([symbol, list]) => [symbol, list.map(alpacaDailyBarWire)]),
  );
  const server = await startMockMarketDataServer({ keyId: "k", secret: "s", bars });
  servers.push(server);
  const provider = createAlpacaMarketData({ keyId: "k", secret: "s", baseUrl: server.baseUrl });
  return { server, provider };
}

/** A provider that serves fixed bars, for shapes a real server would not send. */
function fixedProvider(history: PriceHistory, name = "fixed"): MarketDataProvider {
  return {
    name,
    async dailyBars(symbols, from, to) {
      const result: Record<string, Bar[]> = {};
      for (const symbol of symbols) {
        const bars = (history[symbol] ?? []).filter((b) => b.date >= from && b.date <= to);
        if (bars.length > 0) result[symbol] = bars;
      }
      return result;
    },
    async latestQuotes(): Promise<Quote[]> {
      return [];
    },
  };
}

describe("updateCsvDirectory (data update)", () => {
  it("appends the sessions after each file's last bar once; running it twice adds nothing", async () => {
    await writeCsv(dir, upTo("2026-11-13"));
    const before = await readFile(join(dir, "QQQ.csv"), "utf8");
    const { server, provider } = await alpacaWith(market);
    const progress: string[] = [];

    const first = await updateCsvDirectory(dir, provider, {
      through: "2026-11-20",
      calendar,
      onProgress: (done, total, detail) => progress.push(`${done}/${total} ${detail}`),
    });
    expect(first.appended).toBe(10);
    expect(first.symbols).toEqual([
      {
        symbol: "QQQ",
        previousLastDate: "2026-11-13",
        appended: 5,
        lastDate: "2026-11-20",
        missingSessions: [],
      },
      {
        symbol: "TLT",
        previousLastDate: "2026-11-13",
        appended: 5,
        lastDate: "2026-11-20",
        missingSessions: [],
      },
    ]);
    expect(progress).toEqual(["0/2 QQQ", "1/2 TLT", "2/2 10 bars appended"]);
    expect(await loadCsvDirectory(dir)).toEqual(market);
    const after = await readFile(join(dir, "QQQ.csv"), "utf8");
    expect(after.startsWith(before)).toBe(true);
    const requestsAfterFirst = server.requests.length;

    const second = await updateCsvDirectory(dir, provider, { through: "2026-11-20", calendar });
    expect(second.appended).toBe(0);
    expect(second.symbols.map((entry) => entry.appended)).toEqual([0, 0]);
    expect(server.requests.length).toBe(requestsAfterFirst);
    expect(await readFile(join(dir, "QQQ.csv"), "utf8")).toBe(after);
    expect((await readdir(dir)).sort()).toEqual(["QQQ.csv", "TLT.csv"]);
  });

  it("fetches the last 5 sessions again to compare, and refuses a contradicting bar without touching the file", async () => {
    await writeCsv(dir, upTo("2026-11-13"));
    const before = await readFile(join(dir, "QQQ.csv"), "utf8");
    // The provider's series is split-adjusted 2:1: every price half the file's.
    const halved = {
      QQQ: (market.QQQ as Bar[]).map((bar) => ({
        ...bar,
        open: bar.open / 2,
        high: bar.high / 2,
        low: bar.low / 2,
        close: bar.close / 2,
      })),
    };
    const { server, provider } = await alpacaWith(halved);
    const error = await updateCsvDirectory(dir, provider, {
      symbols: ["QQQ"],
      through: "2026-11-20",
      calendar,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BarConflictError);
    expect(error).toMatchObject({ symbol: "QQQ", date: "2026-11-09", field: "open" });
    expect((error as Error).message).toMatch(
      /^QQQ\.csv 2026-11-09: open [\d.]+ in the file, [\d.]+ from alpaca-iex \(50\.00% apart, limit 1\.00%\); nothing appended/,
    );
    expect(await readFile(join(dir, "QQQ.csv"), "utf8")).toBe(before);
    expect(server.requests[0]?.query.start).toBe("2026-11-09T05:00:00.000Z");
  });

  it("takes small feed differences on overlapping sessions, within maxPriceDiffPct", async () => {
    await writeCsv(dir, upTo("2026-11-13"));
    const scale = 1.001;
    const nudged = {
      QQQ: (market.QQQ as Bar[]).map((bar) => ({
        ...bar,
        open: bar.open * scale,
        high: bar.high * scale,
        low: bar.low * scale,
        close: bar.close * scale,
      })),
    };
    const options = { symbols: ["QQQ"], through: "2026-11-20", calendar };
    await expect(
      updateCsvDirectory(dir, fixedProvider(nudged), { ...options, maxPriceDiffPct: 0.0005 }),
    ).rejects.toThrow(/QQQ\.csv 2026-11-09: open .*\(0\.10% apart, limit 0\.05%\)/);
    const report = await updateCsvDirectory(dir, fixedProvider(nudged), options);
    expect(report.appended).toBe(5);
  });

  it("reports the sessions the provider had no bar for, and appends the rest", async () => {
    await writeCsv(dir, upTo("2026-11-13"));
    const gap = { TLT: (market.TLT as Bar[]).filter((bar) => bar.date !== "2026-11-17") };
    const report = await updateCsvDirectory(dir, fixedProvider(gap), {
      symbols: ["TLT"],
      through: "2026-11-20",
      calendar,
    });
    expect(report.symbols[0]).toMatchObject({ appended: 4, missingSessions: ["2026-11-17"] });
  });

  it("refuses a provider bar on a day that is not a session", async () => {
    await writeCsv(dir, upTo("2026-11-13"));
    const saturday: Bar = {
      date: "2026-11-14",
      open: 100,
      high: 101,
      low: 99,
      close: 100,
      volume: 1,
    };
    const provider = fixedProvider({ QQQ: [...(upTo("2026-11-13").QQQ as Bar[]), saturday] });
    await expect(
      updateCsvDirectory(dir, provider, { symbols: ["QQQ"], through: "2026-11-20", calendar }),
    ).rejects.toThrow(/fixed gave QQQ a bar dated 2026-11-14, which is not a session/);
  });

  it("refuses a through whose session has not closed, and finds the last closed session", async () => {
    await writeCsv(dir, upTo("2026-11-13"));
    const { provider } = await alpacaWith(market);
    // 15:50 New York on Friday 2026-11-20: the session closes at 16:00 (21:00Z).
    const beforeClose = fixedClock("2026-11-20T20:50:00Z");
    await expect(
      updateCsvDirectory(dir, provider, { through: "2026-11-20", calendar, clock: beforeClose }),
    ).rejects.toThrow(/through 2026-11-20 has not closed yet \(close 2026-11-20T21:00:00.000Z/);
    expect(lastClosedSession(calendar, beforeClose.now())).toBe("2026-11-19");
    expect(lastClosedSession(calendar, Date.parse("2026-11-20T21:00:00Z"))).toBe("2026-11-20");
    // Saturday: Friday's session. The day after Thanksgiving closes at 13:00.
    expect(lastClosedSession(calendar, Date.parse("2026-11-21T15:00:00Z"))).toBe("2026-11-20");
    expect(lastClosedSession(calendar, Date.parse("2026-11-27T18:30:00Z"))).toBe("2026-11-27");
    expect(lastClosedSession(calendar, Date.parse("2026-11-27T17:30:00Z"))).toBe("2026-11-25");
  });

  it("refuses a file with adjusted closes, a symbol without a file, and bad options", async () => {
    await writeFile(
      join(dir, "SPY.csv"),
      `${HEADER},adj_close\n2026-11-13,600,601,599,600.5,1000,598.2\n`,
    );
    const provider = fixedProvider(market);
    await expect(
      updateCsvDirectory(dir, provider, { through: "2026-11-20", calendar }),
    ).rejects.toThrow(/SPY\.csv has an adj_close column, and fixed gives no adjusted close/);
    await expect(
      updateCsvDirectory(dir, provider, { symbols: ["QQQ"], through: "2026-11-20", calendar }),
    ).rejects.toThrow(/no CSV file for QQQ in .* \(available: SPY\); give a start date/);
    await expect(
      updateCsvDirectory(dir, provider, { symbols: ["../etc"], through: "2026-11-20", calendar }),
    ).rejects.toThrow(/symbol "..\/etc" cannot be a file name/);
    await expect(
      updateCsvDirectory(dir, provider, { through: "2026-11-31", calendar }),
    ).rejects.toThrow(/through date "2026-11-31" does not exist/);
    await expect(
      updateCsvDirectory(join(dir, "nope"), provider, { through: "2026-11-20", calendar }),
    ).rejects.toThrow(/market data directory .*nope does not exist/);
  });

  it("starts a new file from startForNewFiles", async () => {
    await writeCsv(dir, upTo("2026-11-13"));
    const report = await updateCsvDirectory(dir, fixedProvider(market), {
      symbols: ["TLT", "QQQ"],
      through: "2026-11-20",
      calendar,
      startForNewFiles: "2026-09-01",
    });
    expect(report.appended).toBe(10);
    await rm(join(dir, "TLT.csv"));
    const created = await updateCsvDirectory(dir, fixedProvider(market), {
      symbols: ["TLT"],
      through: "2026-11-20",
      calendar,
      startForNewFiles: "2026-09-01",
    });
    expect(created.symbols[0]).toMatchObject({
      previousLastDate: null,
      appended: market.TLT?.length,
      lastDate: "2026-11-20",
    });
    expect((await loadCsvDirectory(dir, { symbols: ["TLT"] })).TLT).toEqual(market.TLT);
  });

  it("keeps a file's own line endings, and a last row without a newline", async () => {
    const weekdays = weekdayCalendar();
    const bars = ["2026-03-02,100,101,99,100.5,1000", "2026-03-03,100.5,102,100,101.5,1100"];
    await writeFile(join(dir, "A.csv"), `${HEADER}\r\n${bars.join("\r\n")}\r\n`);
    await writeFile(join(dir, "B.csv"), `${HEADER}\n${bars.join("\n")}`);
    const next: Bar = {
      date: "2026-03-04",
      open: 101,
      high: 103,
      low: 100,
      close: 102,
      volume: 900,
    };
    const parsed = (line: string): Bar => {
      const [date, open, high, low, close, volume] = line.split(",");
      return {
        date: date as string,
        open: Number(open),
        high: Number(high),
        low: Number(low),
        close: Number(close),
        volume: Number(volume),
      };
    };
    const series = [...bars.map(parsed), next];
    await updateCsvDirectory(dir, fixedProvider({ A: series, B: series }), {
      through: "2026-03-04",
      calendar: weekdays,
    });
    expect(await readFile(join(dir, "A.csv"), "utf8")).toBe(
      `${HEADER}\r\n${bars.join("\r\n")}\r\n2026-03-04,101,103,100,102,900\r\n`,
    );
    expect(await readFile(join(dir, "B.csv"), "utf8")).toBe(
      `${HEADER}\n${bars.join("\n")}\n2026-03-04,101,103,100,102,900\n`,
    );
  });
});
