import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nyseCalendar } from "@trader/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CsvFormatError } from "../csv.js";
import { loadCsvDirectory, writeCsv } from "../csv-directory.js";
import { syntheticMarket } from "../synthetic-market.js";
import { createCsvMarketData } from "./csv-provider.js";
import { updateCsvDirectory } from "./update-csv.js";

const calendar = nyseCalendar();
const market = syntheticMarket({
  seed: 3,
  from: "2026-10-01",
  to: "2026-10-30",
  calendar,
  symbols: ["QQQ", "TLT"],
}).history;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "trader-csv-provider-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("createCsvMarketData", () => {
  it("serves the bars dated from..to of the symbols it has files for", async () => {
    await writeCsv(dir, market);
    const csv = createCsvMarketData(dir);
    expect(csv.name).toBe("csv");
    const result = await csv.dailyBars(["TLT", "QQQ", "TQQQ"], "2026-10-12", "2026-10-16");
    expect(Object.keys(result)).toEqual(["TLT", "QQQ"]);
    expect(result.QQQ?.map((bar) => bar.date)).toEqual([
      "2026-10-12",
      "2026-10-13",
      "2026-10-14",
      "2026-10-15",
      "2026-10-16",
    ]);
    expect(result.TLT).toEqual(
      market.TLT?.filter((b) => b.date >= "2026-10-12" && b.date <= "2026-10-16"),
    );
    expect(await csv.dailyBars(["QQQ"], "2027-01-04", "2027-01-08")).toEqual({});
    expect(await csv.latestQuotes(["QQQ"])).toEqual([]);
  });

  it("names the problem: a missing directory, a bad file, an unsafe symbol, bad dates", async () => {
    const missing = createCsvMarketData(join(dir, "none"), { name: "local" });
    await expect(missing.dailyBars(["QQQ"], "2026-10-01", "2026-10-02")).rejects.toThrow(
      /local: market data directory .*none does not exist/,
    );
    await writeFile(
      join(dir, "QQQ.csv"),
      "date,open,high,low,close,volume\n2026-10-01,1,2,0.5,x,3\n",
    );
    const csv = createCsvMarketData(dir);
    await expect(csv.dailyBars(["QQQ"], "2026-10-01", "2026-10-02")).rejects.toThrow(
      CsvFormatError,
    );
    await expect(csv.dailyBars(["../QQQ"], "2026-10-01", "2026-10-02")).rejects.toThrow(
      /symbol "..\/QQQ" cannot be a file name/,
    );
    await expect(csv.dailyBars(["QQQ"], "2026-10-02", "2026-10-01")).rejects.toThrow(
      /csv: from 2026-10-02 is after to 2026-10-01/,
    );
  });

  it("is a provider data update can copy from: one directory into another", async () => {
    const source = join(dir, "source");
    const target = join(dir, "target");
    await writeCsv(source, market);
    await writeCsv(
      target,
      Object.fromEntries(
        Object.entries(market).map(([symbol, bars]) => [
          symbol,
          bars.filter((b) => b.date <= "2026-10-23"),
        ]),
      ),
    );
    const report = await updateCsvDirectory(target, createCsvMarketData(source), {
      through: "2026-10-30",
      calendar,
    });
    expect(report.appended).toBe(10);
    expect(await loadCsvDirectory(target)).toEqual(market);
  });
});
