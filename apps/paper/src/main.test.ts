import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startApp } from "../../../packages/cli/src/testing/app-process.js";
import {
  brokerOrders,
  calendar,
  designCloses,
  exportedDay,
  smaPaperConfig,
  tempDirs,
  writeConfig,
  writePrices,
} from "../../../packages/cli/src/testing/cli-harness.js";

const dirs = tempDirs("apps");
afterAll(() => dirs.removeAll());

const DAY = "2026-11-20";
const QQQ = designCloses(
  "2026-09-01",
  "2026-12-31",
  (date) => 80 + 0.2 * calendar.sessionsBetween("2026-09-01", date),
);

async function paperSetup(account: string) {
  const root = await dirs.make();
  const storeDir = join(root, "store");
  const dataDir = join(root, "data");
  await writePrices(dataDir, { QQQ });
  const config = await writeConfig(root, smaPaperConfig({ account, storeDir, dataDir }));
  return { storeDir, config };
}

describe("the thin apps, started as processes over the durable store", () => {
  it("apps/paper --once at the decision, then at the orders step, trades one cycle end to end", async () => {
    const { storeDir, config } = await paperSetup("app-paper");
    const decided = await startApp("paper", [
      "--config",
      config,
      "--once",
      "--at",
      `${DAY}T20:51:00Z`,
    ]);
    expect(decided.code).toBe(0);
    expect(decided.stdout).toMatch(/preflight +ok/);
    expect(decided.stdout).toMatch(/decision +ok/);
    expect(await brokerOrders(storeDir, "app-paper")).toEqual([]);
    const ordered = await startApp("paper", [
      "--config",
      config,
      "--once",
      "--at",
      `${DAY}T20:56:00Z`,
    ]);
    expect(ordered.code).toBe(0);
    expect(ordered.stdout).toMatch(/orders +ok/);
    expect((await brokerOrders(storeDir, "app-paper")).map((order) => order.side)).toEqual(["buy"]);
    const types = (await exportedDay(config, DAY)).map((event) => event.type);
    expect(types).toEqual(
      expect.arrayContaining(["RunDecided", "IntentFillRecorded", "RunCompleted"]),
    );
    // apps/validate then grades the day on the official close (the CSV's own bar: GREEN).
    const validated = await startApp("validate", ["--config", config, "--date", DAY]);
    expect(validated.code).toBe(0);
    expect(validated.stdout).toContain("GREEN");
  });

  it("apps/dry-run runs the same steps and sends nothing to the broker", async () => {
    const { storeDir, config } = await paperSetup("app-dry");
    for (const at of [`${DAY}T20:51:00Z`, `${DAY}T20:56:00Z`]) {
      const result = await startApp("dry-run", ["--config", config, "--once", "--at", at]);
      expect(result.code).toBe(0);
    }
    expect(await brokerOrders(storeDir, "app-dry")).toEqual([]);
  });

  it("a non-session day records market closed and exits 0", async () => {
    const { config } = await paperSetup("app-closed");
    const result = await startApp("paper", [
      "--config",
      config,
      "--once",
      "--at",
      "2026-11-26T20:51:00Z",
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("market closed (Thanksgiving Day)");
  });
});
