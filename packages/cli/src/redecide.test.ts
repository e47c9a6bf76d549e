/**
 * `trader redecide` through the real command over the durable store (SPEC §1): a day's recorded
 * inputs fed through the current code and config give the recorded decision (exit 0), or the
 * first decision that differs (exit 5).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  atDecisionTime,
  designCloses,
  smaPaperConfig,
  tempDirs,
  trader,
  traderJson,
  useRealClock,
  writeConfig,
  writePrices,
} from "./testing/cli-harness.js";

const dirs = tempDirs("redecide");
afterEach(() => useRealClock());
afterAll(() => dirs.removeAll());

const DAY = "2026-11-12";
const NEXT_DAY = "2026-11-13";
/**
 * The last four closes on DAY are 100, 90, 100, 100: the 2-session average (100) is above the
 * 4-session one (97.50), so sma-crossover 2/4 buys; the 3-session average (96.67) is below it,
 * so a 3/4 crossover would stay in cash.
 */
const LAST_FOUR: Readonly<Record<string, number>> = {
  "2026-11-09": 100,
  "2026-11-10": 90,
  "2026-11-11": 100,
  [DAY]: 100,
  [NEXT_DAY]: 100.5,
};
const QQQ = designCloses("2026-09-01", "2026-11-30", (date) => LAST_FOUR[date] ?? 100);

interface RedecisionJson {
  verdict: string;
  runs: {
    runId: string;
    verdict: string;
    compared: number;
    firstDivergence: {
      index: number;
      recorded: { type: string; data: Record<string, unknown> } | null;
      now: { type: string; data: Record<string, unknown> } | null;
    } | null;
  }[];
}

describe("trader redecide", () => {
  it("reports identical on an unchanged day and the first divergence after a parameter change", async () => {
    const root = await dirs.make();
    const storeDir = join(root, "store");
    const dataDir = join(root, "data");
    await writePrices(dataDir, { QQQ });
    const settings = { account: "paper-1", storeDir, dataDir };
    const config = await writeConfig(root, smaPaperConfig({ ...settings, fast: 2 }), "fast2.json");
    for (const date of [DAY, NEXT_DAY]) {
      atDecisionTime(date);
      expect((await trader(["-c", config, "run", "--mode", "paper", "--date", date])).code).toBe(0);
    }
    useRealClock();

    const same = await trader(["-c", config, "redecide", "--date", DAY]);
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(
      new RegExp(`^paper:paper-1:${DAY}:close: identical \\(\\d+ decision events`),
    );
    const sameJson = await traderJson<RedecisionJson>(["-c", config, "redecide", "--date", DAY]);
    expect(sameJson.verdict).toBe("identical");
    expect(sameJson.runs).toHaveLength(1);
    expect(sameJson.runs[0]?.compared).toBeGreaterThan(0);

    // Only the fast window changes (2 → 3): on DAY the crossover no longer sees an uptrend.
    const changed = await writeConfig(root, smaPaperConfig({ ...settings, fast: 3 }), "fast3.json");
    const diverged = await trader(["-c", changed, "redecide", "--date", DAY]);
    expect(diverged.code).toBe(5);
    expect(diverged.stdout).toContain(`paper:paper-1:${DAY}:close: DIVERGED at decision event 1`);
    const divergedJson = await trader(["-c", changed, "--json", "redecide", "--date", DAY]);
    expect(divergedJson.code).toBe(5);
    const report = JSON.parse(divergedJson.stdout) as RedecisionJson;
    expect(report.verdict).toBe("diverged");
    expect(report.runs[0]?.firstDivergence).toEqual({
      index: 0,
      recorded: {
        type: "StrategyDecided",
        data: { strategy: "sma-crossover", regime: "uptrend", signals: 1 },
      },
      now: {
        type: "StrategyDecided",
        data: { strategy: "sma-crossover", regime: "downtrend", signals: 1 },
      },
    });

    // The recorded history is untouched: with the original config the day is identical again.
    expect((await trader(["-c", config, "redecide", "--date", DAY])).code).toBe(0);
    // A day without a decision has nothing to re-decide (and that is not a divergence).
    const closed = await trader(["-c", config, "redecide", "--date", "2026-11-14"]);
    expect(closed.code).toBe(0);
    expect(closed.stdout).toContain("nothing to re-decide");
  });

  it("re-decides a backtest's day identically, and a --memory backtest stores nothing", async () => {
    const root = await dirs.make();
    const storeDir = join(root, "store");
    const dataDir = join(root, "data");
    await writePrices(dataDir, { QQQ });
    const config = await writeConfig(
      root,
      smaPaperConfig({ account: "paper-1", storeDir, dataDir }),
    );
    const window = ["--data", dataDir, "--from", "2026-11-02", "--to", "2026-11-20"];

    const inMemory = await traderJson<{ account: string; sessions: number; trades: number }>([
      "--store-dir",
      join(root, "unused"),
      "-c",
      config,
      "backtest",
      ...window,
      "--memory",
    ]);
    // Two trades: in on DAY (the 2/4 crossover), out when the 100.50 close rolls into the slow average.
    expect(inMemory).toMatchObject({ account: "backtest", sessions: 15, trades: 2 });
    expect(existsSync(join(root, "unused"))).toBe(false);

    const stored = await traderJson<{ sessions: number; trades: number }>([
      "-c",
      config,
      "backtest",
      ...window,
    ]);
    expect(stored).toMatchObject({ sessions: 15, trades: 2 });
    const redecided = await traderJson<RedecisionJson>([
      "-c",
      config,
      "--account",
      "backtest",
      "redecide",
      "--date",
      DAY,
    ]);
    expect(redecided.verdict).toBe("identical");
    expect(redecided.runs.map((run) => run.runId)).toEqual([`backtest:backtest:${DAY}:close`]);
    // The paper account of the same store has recorded nothing.
    const paper = await trader(["-c", config, "why"]);
    expect(paper.code).toBe(2);
    expect(paper.stderr).toContain('account "paper-1" has no recorded day yet');
  });
});
