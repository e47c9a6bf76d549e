/**
 * Dry-run through the real `trader` command: full logic, broker writes blocked, and its
 * hypothetical fills kept in their own ledger (`<account>.dry-run`), so the account's next paper
 * run still reconciles with the broker.
 */
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  atDecisionTime,
  brokerOrders,
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

const dirs = tempDirs("dry-run");
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

describe("trader run --mode dry-run", () => {
  it("sends nothing, records hypothetical fills in its own ledger, and leaves the paper account reconcilable", async () => {
    const root = await dirs.make();
    const storeDir = join(root, "store");
    const dataDir = join(root, "data");
    await writePrices(dataDir, { QQQ });
    const config = await writeConfig(root, smaPaperConfig({ account: ACCOUNT, storeDir, dataDir }));

    atDecisionTime(DAY_ONE);
    const dry = await traderJson<RunJson>([
      "-c",
      config,
      "run",
      "--mode",
      "dry-run",
      "--date",
      DAY_ONE,
    ]);
    expect(dry.runId).toBe(`dry-run:${ACCOUNT}.dry-run:${DAY_ONE}:close`);
    expect(dry.outcome).toBe("traded");
    expect(dry.positions.map((position) => position.symbol)).toEqual(["QQQ"]);
    // Nothing reached the broker.
    expect(await brokerOrders(storeDir, ACCOUNT)).toEqual([]);
    // The dry-run ledger holds the hypothetical position; the account's own ledger has no day yet.
    const dryStatus = await traderJson<{ positions: { symbol: string }[] }>([
      "-c",
      config,
      "--dry-run",
      "status",
    ]);
    expect(dryStatus.positions.map((position) => position.symbol)).toEqual(["QQQ"]);
    const why = await trader(["-c", config, "why"]);
    expect(why.code).toBe(2);

    // The paper run on the same day reconciles against the untouched broker and trades for real.
    atDecisionTime(DAY_TWO);
    const paper = await traderJson<RunJson>([
      "-c",
      config,
      "run",
      "--mode",
      "paper",
      "--date",
      DAY_TWO,
    ]);
    expect(paper.outcome).toBe("traded");
    const orders = await brokerOrders(storeDir, ACCOUNT);
    expect(orders).toHaveLength(1);
    const status = await traderJson<{ lastReconciliation: { status: string } }>([
      "-c",
      config,
      "status",
    ]);
    expect(status.lastReconciliation.status).toBe("PASS");
  });

  it("DRY_RUN=true turns a paper run into a dry run", async () => {
    const root = await dirs.make();
    const storeDir = join(root, "store");
    const dataDir = join(root, "data");
    await writePrices(dataDir, { QQQ });
    const config = await writeConfig(root, smaPaperConfig({ account: ACCOUNT, storeDir, dataDir }));
    atDecisionTime(DAY_ONE);
    const report = await traderJson<RunJson>(
      ["-c", config, "run", "--mode", "paper", "--date", DAY_ONE],
      { DRY_RUN: "true" },
    );
    expect(report.runId).toBe(`dry-run:${ACCOUNT}.dry-run:${DAY_ONE}:close`);
    expect(await brokerOrders(storeDir, ACCOUNT)).toEqual([]);
  });
});
