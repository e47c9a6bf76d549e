import { join } from "node:path";
import { startMockAlpacaServer } from "@trader/brokers";
import { afterAll, describe, expect, it } from "vitest";
import { startApp } from "../../../packages/cli/src/testing/app-process.js";
import {
  calendar,
  designCloses,
  exportedDay,
  smaPaperConfig,
  tempDirs,
  writeConfig,
  writePrices,
} from "../../../packages/cli/src/testing/cli-harness.js";

const dirs = tempDirs("app-live");
const servers: { close(): Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  await dirs.removeAll();
});

const DAY = "2026-11-20";
const QQQ = designCloses(
  "2026-09-01",
  "2026-12-31",
  (date) => 80 + 0.2 * calendar.sessionsBetween("2026-09-01", date),
);
const closeOnDay = QQQ.find((bar) => bar.date === DAY)?.close as number;

async function liveSetup(broker: Record<string, unknown>) {
  const root = await dirs.make();
  const storeDir = join(root, "store");
  const dataDir = join(root, "data");
  await writePrices(dataDir, { QQQ });
  const config = await writeConfig(root, {
    ...smaPaperConfig({ account: "live-1", storeDir, dataDir }),
    broker,
  });
  return { storeDir, config };
}

describe("apps/live", () => {
  it("refuses to start without the live acknowledgement, without credentials, or on the paper endpoint", async () => {
    const { config } = await liveSetup({ kind: "alpaca", paper: false });
    const unacknowledged = await startApp("live", ["--config", config, "--once"]);
    expect(unacknowledged.code).toBe(2);
    expect(unacknowledged.stderr).toContain("live mode trades real money");
    const noKeys = await startApp("live", [
      "--config",
      config,
      "--once",
      "--i-understand-this-is-live",
    ]);
    expect(noKeys.code).toBe(2);
    expect(noKeys.stderr).toContain("APCA_API_KEY_ID is missing");
    const paperEndpoint = await liveSetup({ kind: "alpaca", paper: true });
    const onPaper = await startApp("live", ["--config", paperEndpoint.config, "--once"], {
      TRADER_LIVE_ACKNOWLEDGED: "yes",
    });
    expect(onPaper.code).toBe(2);
    expect(onPaper.stderr).toContain("set broker.paper to false");
  });

  it("trades a cycle end to end against a local server playing Alpaca, into the durable store", async () => {
    const alpaca = await startMockAlpacaServer({ prices: { QQQ: closeOnDay } });
    servers.push(alpaca);
    const { config } = await liveSetup({ kind: "alpaca", paper: false });
    const env = {
      TRADER_LIVE_ACKNOWLEDGED: "yes",
      APCA_API_KEY_ID: alpaca.keyId,
      APCA_API_SECRET_KEY: alpaca.secret,
      APCA_API_BASE_URL: alpaca.baseUrl,
    };
    for (const at of [`${DAY}T20:51:00Z`, `${DAY}T20:56:00Z`]) {
      const result = await startApp("live", ["--config", config, "--once", "--at", at], env);
      expect(result.stderr).not.toContain(alpaca.secret);
      expect(result.code).toBe(0);
    }
    const orders = alpaca.orders();
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ symbol: "QQQ", side: "buy", status: "filled" });
    const events = await exportedDay(config, DAY);
    const created = events.find((event) => event.type === "IntentCreated") as
      | { data: { intentId: string } }
      | undefined;
    // The broker's client order id is the intent id (SPEC §6).
    expect(orders[0]?.client_order_id).toBe(created?.data.intentId);
    expect(events.map((event) => event.type)).toEqual(
      expect.arrayContaining(["RunInputsRecorded", "IntentFillRecorded", "RunCompleted"]),
    );
    expect(events.find((event) => event.type === "ReconciliationRecorded")?.data).toMatchObject({
      status: "PASS",
    });
  });
});
