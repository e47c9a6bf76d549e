/** `trader data update` against a local server playing Alpaca's market data (SPEC §18). */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { alpacaDailyBarWire, startMockMarketDataServer } from "@trader/data";
import { afterAll, describe, expect, it } from "vitest";
import {
  calendar,
  designCloses,
  tempDirs,
  trader,
  traderJson,
  writePrices,
} from "./testing/cli-harness.js";

const dirs = tempDirs("data-update");
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
  await dirs.removeAll();
});

const ALL = designCloses(
  "2026-09-01",
  "2026-11-20",
  (date) => 80 + 0.2 * calendar.sessionsBetween("2026-09-01", date),
);

describe("trader data update", () => {
  it("appends the sessions after each file's last bar, and running it twice appends nothing", async () => {
    const dataDir = join(await dirs.make(), "data");
    await writePrices(dataDir, { QQQ: ALL.filter((bar) => bar.date <= "2026-11-13") });
    const server = await startMockMarketDataServer({
      bars: {
        QQQ: ALL.map((bar) =>
          alpacaDailyBarWire({
            date: bar.date,
            open: bar.close,
            high: bar.close,
            low: bar.close,
            close: bar.close,
            volume: 1_000_000,
          }),
        ),
      },
    });
    closers.push(() => server.close());
    const env = {
      APCA_API_KEY_ID: server.keyId,
      APCA_API_SECRET_KEY: server.secret,
      APCA_API_DATA_URL: server.baseUrl,
    };
    const args = ["data", "update", "--data", dataDir, "--through", "2026-11-20"];
    const first = await traderJson<{ appended: number }>(args, env);
    expect(first.appended).toBe(5);
    const csv = await readFile(join(dataDir, "QQQ.csv"), "utf8");
    expect(csv.trim().split("\n").at(-1)).toMatch(/^2026-11-20,/);
    const second = await traderJson<{ appended: number }>(args, env);
    expect(second.appended).toBe(0);
    expect(await readFile(join(dataDir, "QQQ.csv"), "utf8")).toBe(csv);
  });

  it("without Alpaca keys it exits 2 naming the variable", async () => {
    const result = await trader(["data", "update", "--data", "/nonexistent"], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("APCA_API_KEY_ID");
  });
});
