/**
 * `trader config check` (SPEC §15: where each value came from) and `trader calendar` (SPEC §12:
 * NYSE sessions with their open and close) through the real command.
 */
import { afterAll, describe, expect, it } from "vitest";
import { tempDirs, trader, traderJson, writeConfig } from "./testing/cli-harness.js";

const dirs = tempDirs("config-calendar");
afterAll(() => dirs.removeAll());

describe("trader config check", () => {
  it("shows each value with its source: default, file or env", async () => {
    const root = await dirs.make();
    const file = await writeConfig(root, {
      account: "paper-7",
      governor: { haltDrawdown: 0.07 },
      strategies: [{ name: "sma-crossover", params: { fast: 5, slow: 20 } }],
    });
    const env = { DRAWDOWN_PANIC_THRESHOLD: "12%", STRATEGY_DISABLED_LIST: "sma-crossover" };

    const human = await trader(["-c", file, "config", "check"], env);
    expect(human.code).toBe(0);
    const row = (setting: string) =>
      human.stdout
        .split("\n")
        .find((line) => line.startsWith(`${setting} `))
        ?.split(/\s{2,}/);
    expect(human.stdout.split("\n")[0]).toContain(`file ${file}; environment overrides win`);
    expect(row("account")).toEqual(["account", "paper-7", `file ${file}`]);
    expect(row("governor.haltDrawdown")).toEqual(["governor.haltDrawdown", "0.07", `file ${file}`]);
    expect(row("governor.panicDrawdown")).toEqual([
      "governor.panicDrawdown",
      "0.12",
      "env DRAWDOWN_PANIC_THRESHOLD",
    ]);
    expect(row("strategyDisabledList")).toEqual([
      "strategyDisabledList",
      "[sma-crossover]",
      "env STRATEGY_DISABLED_LIST",
    ]);
    expect(row("governor.haltCooldownSessions")).toEqual([
      "governor.haltCooldownSessions",
      "10",
      "default",
    ]);
    expect(row("strategies.0.params.fast")).toEqual([
      "strategies.0.params.fast",
      "5",
      `file ${file}`,
    ]);

    const json = await traderJson<{
      config: { account: string; governor: Record<string, number> };
      sources: Record<string, string>;
    }>(["-c", file, "config", "check"], env);
    expect(json.config.account).toBe("paper-7");
    expect(json.config.governor).toMatchObject({
      haltDrawdown: 0.07,
      panicDrawdown: 0.12,
      haltCooldownSessions: 10,
    });
    expect(json.sources).toMatchObject({
      account: `file ${file}`,
      "governor.haltDrawdown": `file ${file}`,
      "governor.panicDrawdown": "env DRAWDOWN_PANIC_THRESHOLD",
      strategyDisabledList: "env STRATEGY_DISABLED_LIST",
      "governor.haltCooldownSessions": "default",
    });
  });

  it("refuses a bad config with exit 2 and a line naming the setting and the rule", async () => {
    const result = await trader(["config", "check"], { DRAWDOWN_PANIC_THRESHOLD: "0.05" });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("must be below panicDrawdown (0.05)");
    expect(result.stderr).toContain("env DRAWDOWN_PANIC_THRESHOLD");
  });
});

describe("trader calendar", () => {
  it("lists the sessions with open and close in UTC, skipping Thanksgiving, the day after closing at 13:00 New York", async () => {
    const sessions = await traderJson<{ date: string; openUtc: string; closeUtc: string }[]>([
      "calendar",
      "--from",
      "2026-11-20",
      "--to",
      "2026-12-01",
    ]);
    const full = (date: string) => ({
      date,
      openUtc: `${date}T14:30:00.000Z`,
      closeUtc: `${date}T21:00:00.000Z`,
    });
    expect(sessions).toEqual([
      full("2026-11-20"),
      full("2026-11-23"),
      full("2026-11-24"),
      full("2026-11-25"),
      {
        date: "2026-11-27",
        openUtc: "2026-11-27T14:30:00.000Z",
        closeUtc: "2026-11-27T18:00:00.000Z",
      },
      full("2026-11-30"),
      full("2026-12-01"),
    ]);

    const human = await trader(["calendar", "--from", "2026-11-25", "--to", "2026-11-30"]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^2026-11-27 .*18:00:00\.000Z\s+early close$/m);
    expect(human.stdout).not.toContain("2026-11-26");
  });

  it("refuses missing, impossible or reversed dates with exit 2", async () => {
    for (const [args, message] of [
      [["--from", "2026-11-20"], "calendar needs --from and --to"],
      [["--from", "2026-02-30", "--to", "2026-03-05"], 'date "2026-02-30" does not exist'],
      [["--from", "2026-12-01", "--to", "2026-11-20"], "from 2026-12-01 is after to 2026-11-20"],
    ] as const) {
      const result = await trader(["calendar", ...args]);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr, args.join(" ")).toContain(message);
    }
  });
});
