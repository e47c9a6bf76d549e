/** Post-market validation through the real `trader` command (SPEC §13). */
import { join } from "node:path";
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

const dirs = tempDirs("validate");
afterEach(() => useRealClock());
afterAll(() => dirs.removeAll());

const ACCOUNT = "dry-1";
const DAY_ONE = "2026-11-09";
const DAY_TWO = "2026-11-10";
/** QQQ climbs steadily: the SMA crossover wants 90% of it. */
const QQQ = designCloses(
  "2026-09-01",
  "2026-12-31",
  (date) => 80 + 0.2 * calendar.sessionsBetween("2026-09-01", date),
);

interface RunJson {
  runId: string;
  outcome: string;
  positions: { symbol: string; quantity: number }[];
}

describe("trader validate", () => {
  it("a paper day decided on the close validates GREEN, is recorded once, and --show reads it back", async () => {
    const root = await dirs.make();
    const storeDir = join(root, "store");
    const dataDir = join(root, "data");
    await writePrices(dataDir, { QQQ });
    const config = await writeConfig(root, smaPaperConfig({ account: ACCOUNT, storeDir, dataDir }));
    atDecisionTime(DAY_ONE);
    await traderJson(["-c", config, "run", "--mode", "paper", "--date", DAY_ONE]);
    const report = await traderJson<{ status: string; logicMatch: boolean }>([
      "-c",
      config,
      "validate",
      "--date",
      DAY_ONE,
    ]);
    expect(report).toMatchObject({ status: "GREEN", logicMatch: true });
    const again = await traderJson<{ status: string }>([
      "-c",
      config,
      "validate",
      "--date",
      DAY_ONE,
      "--show",
    ]);
    expect(again.status).toBe("GREEN");
    const types = (
      await traderJson<{ events: { type: string }[] }>(["-c", config, "export", "--date", DAY_ONE])
    ).events.map((event) => event.type);
    expect(types.filter((type) => type === "ValidationReported")).toHaveLength(1);
    const missing = await trader(["-c", config, "validate", "--date", DAY_TWO, "--show"]);
    expect(missing.code).toBe(2);
  });
});
