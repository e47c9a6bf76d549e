import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { weekdayCalendar } from "@trader/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadCsvDirectory, writeCsv } from "./csv-directory.js";
import { syntheticMarket } from "./synthetic-market.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "trader-data-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const HEADER = "date,open,high,low,close,volume";

describe("CSV directory", () => {
  it("loads what writeCsv wrote, bar for bar", async () => {
    const { history } = syntheticMarket({
      seed: 7,
      from: "2025-01-01",
      to: "2025-12-31",
      calendar: weekdayCalendar(),
    });
    await writeCsv(dir, history);
    expect(await loadCsvDirectory(dir)).toEqual(history);
  });

  it("loads only the requested symbols, and lists the files when one is missing", async () => {
    await writeFile(
      join(dir, "QQQ.csv"),
      `${HEADER}\n2026-03-05,448.1,451.2,446.9,450.25,41000000\n`,
    );
    await writeFile(join(dir, "TLT.csv"), `${HEADER}\n2026-03-05,90,91,89,90.5,20000000\n`);
    await writeFile(join(dir, "notes.txt"), "not market data");
    expect(Object.keys(await loadCsvDirectory(dir, { symbols: ["TLT"] }))).toEqual(["TLT"]);
    expect(Object.keys(await loadCsvDirectory(dir))).toEqual(["QQQ", "TLT"]);
    await expect(loadCsvDirectory(dir, { symbols: ["QQQ", "TQQQ"] })).rejects.toThrow(
      `no CSV file for TQQQ in ${dir}; available: QQQ, TLT`,
    );
  });

  it("names the file, line and column of a bad row", async () => {
    await writeFile(join(dir, "QQQ.csv"), `${HEADER}\n2026-03-05,448.1,451.2,446.9,abc,41000000\n`);
    await expect(loadCsvDirectory(dir)).rejects.toThrow(
      'QQQ.csv line 2, column close: "abc" is not a number',
    );
  });

  it("refuses a missing directory and one without CSV files", async () => {
    await expect(loadCsvDirectory(join(dir, "nowhere"))).rejects.toThrow(/does not exist/);
    await mkdir(join(dir, "empty"));
    await expect(loadCsvDirectory(join(dir, "empty"))).rejects.toThrow(/has no \.csv files/);
  });

  it("refuses a symbol that cannot be a file name", async () => {
    await expect(writeCsv(dir, { "../escape": [] })).rejects.toThrow(/cannot be a file name/);
  });
});
