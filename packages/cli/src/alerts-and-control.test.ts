/** `trader alerts --once`, `trader kill --remote` against the control API (SPEC §14), end to end. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createAccountModel, nyseCalendar } from "@trader/core";
import { controlServer } from "@trader/runtime";
import { openFileStore } from "@trader/store";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  atDecisionTime,
  calendar,
  designCloses,
  smaPaperConfig,
  tempDirs,
  trader,
  traderJson,
  useRealClock,
  writeConfig,
  writePrices,
} from "./testing/cli-harness.js";

const dirs = tempDirs("alerts-control");
afterEach(() => useRealClock());
afterAll(() => dirs.removeAll());

const DAY = "2026-11-20";
const QQQ = designCloses(
  "2026-09-01",
  "2026-12-31",
  (date) => 80 + 0.2 * calendar.sessionsBetween("2026-09-01", date),
);
const SECRET = "a-control-secret-of-at-least-32-bytes!!";

async function account(name: string) {
  const root = await dirs.make();
  const storeDir = join(root, "store");
  const dataDir = join(root, "data");
  await writePrices(dataDir, { QQQ });
  const alertsFile = join(root, "alerts.jsonl");
  const config = await writeConfig(root, {
    ...smaPaperConfig({ account: name, storeDir, dataDir }),
    alerts: { file: { path: alertsFile } },
  });
  return { storeDir, config, alertsFile };
}

describe("trader alerts --once", () => {
  it("delivers the alerts of the account's events to the file channel, each once", async () => {
    const { config, alertsFile } = await account("alerts-1");
    atDecisionTime(DAY);
    await traderJson(["-c", config, "run", "--mode", "paper", "--date", DAY]);
    const first = await traderJson<{ sent: number; failed: number }>([
      "-c",
      config,
      "alerts",
      "--once",
    ]);
    expect(first.sent).toBeGreaterThan(0);
    expect(first.failed).toBe(0);
    const lines = (await readFile(alertsFile, "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.every((alert) => ["CRITICAL", "WARNING", "INFO"].includes(alert.level))).toBe(
      true,
    );
    const again = await traderJson<{ sent: number }>(["-c", config, "alerts", "--once"]);
    expect(again.sent).toBe(0);
    expect((await readFile(alertsFile, "utf8")).trim().split("\n")).toHaveLength(lines.length);
  });
});

describe("trader kill --remote", () => {
  it("pulls the kill switch through a running control API, signed; status shows who and why", async () => {
    const { storeDir, config } = await account("remote-1");
    const store = await openFileStore({ dir: storeDir });
    const server = await controlServer({
      store,
      model: createAccountModel({ calendar: nyseCalendar() }),
      account: "remote-1",
      clock: { now: () => Date.now() },
      secret: SECRET,
    });
    try {
      const env = { KILL_SWITCH_SECRET: SECRET };
      const unsigned = await trader(
        ["-c", config, "kill", "--remote", server.url, "--operator", "ann", "--reason", "drill"],
        {
          KILL_SWITCH_SECRET: "another-secret-that-is-long-enough-32b",
        },
      );
      expect(unsigned.code).toBe(2);
      const pulled = await trader(
        ["-c", config, "kill", "--remote", server.url, "--operator", "ann", "--reason", "drill"],
        env,
      );
      expect(pulled.code).toBe(0);
      const status = await traderJson<{
        killSwitch: { status: string; kills: { reason: string }[] };
      }>(["-c", config, "status"]);
      expect(status.killSwitch.status).toBe("ENTRIES");
      expect(status.killSwitch.kills.map((kill) => kill.reason)).toContain("drill");
      const reset = await trader(
        [
          "-c",
          config,
          "reset",
          "--remote",
          server.url,
          "--operator",
          "ann",
          "--reason",
          "drill over",
        ],
        env,
      );
      expect(reset.code).toBe(0);
    } finally {
      await server.close();
      await store.close();
    }
  });
});
