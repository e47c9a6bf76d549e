/**
 * Bad inputs through the real `trader` command (SPEC §8, §12, §15): each is refused with a named
 * error and its exit code, and nothing is lost — the store still verifies, earlier days still
 * replay, nothing reaches the broker.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  atDecisionTime,
  brokerOrders,
  csvOf,
  designCloses,
  smaPaperConfig,
  tempDirs,
  trader,
  traderJson,
  useRealClock,
  writeConfig,
  writePrices,
} from "./testing/cli-harness.js";

const dirs = tempDirs("bad-inputs");
afterEach(() => useRealClock());
afterAll(() => dirs.removeAll());

const ACCOUNT = "paper-1";
const DAY_ONE = "2026-11-10";
const DAY_TWO = "2026-11-11";
const DAY_THREE = "2026-11-12";
/** A steady climb: the crossover buys on day one and holds. */
const QQQ = designCloses("2026-09-01", "2026-11-30", (_date, previous) =>
  previous === undefined ? 90 : previous + 0.2,
);

let root: string;
let storeDir: string;
let goodData: string;
let config: string;
/** Day one's and day two's timelines as first recorded. */
let timelines: Record<string, string[]>;

const replay = async (date: string) =>
  (await traderJson<{ timeline: string[] }>(["-c", config, "replay", "--date", date])).timeline;

/** The guarantees every refusal below must keep. */
async function expectNothingLost(): Promise<void> {
  expect((await trader(["-c", config, "store", "verify"])).code).toBe(0);
  for (const date of [DAY_ONE, DAY_TWO]) expect(await replay(date)).toEqual(timelines[date]);
  expect(await brokerOrders(storeDir, ACCOUNT)).toHaveLength(1);
  const why = await traderJson<{ why: { verdict: string } }>([
    "-c",
    config,
    "why",
    "--date",
    DAY_THREE,
  ]);
  expect(why.why.verdict).toBe("no_run");
}

/** A config like the good one, reading market data from `dataDir`. */
async function configReading(dataDir: string, name: string): Promise<string> {
  return writeConfig(root, smaPaperConfig({ account: ACCOUNT, storeDir, dataDir }), name);
}

/** A copy of the good CSV with the given day's row replaced. */
async function dataWithRow(name: string, date: string, row: string): Promise<string> {
  const dir = join(root, name);
  await writePrices(dir, { QQQ });
  const text = csvOf(QQQ).replace(new RegExp(`\\n${date},[^\\n]*`), `\n${row}`);
  await writeFile(join(dir, "QQQ.csv"), text, "utf8");
  return dir;
}

const lineOf = (date: string) => QQQ.findIndex((bar) => bar.date === date) + 2; // 1-based, after the header

beforeAll(async () => {
  root = await dirs.make();
  storeDir = join(root, "store");
  goodData = join(root, "data");
  await writePrices(goodData, { QQQ });
  config = await configReading(goodData, "trader.json");
  for (const date of [DAY_ONE, DAY_TWO]) {
    atDecisionTime(date);
    expect((await trader(["-c", config, "run", "--mode", "paper", "--date", date])).code).toBe(0);
  }
  useRealClock();
  timelines = { [DAY_ONE]: await replay(DAY_ONE), [DAY_TWO]: await replay(DAY_TWO) };
  expect(timelines[DAY_ONE]?.some((line) => line.includes("IntentCreated"))).toBe(true);
});

describe("bad market data", () => {
  it("a value that is not a number: exit 2 naming the file, line and column", async () => {
    const dir = await dataWithRow("bad-number", "2026-10-05", "2026-10-05,93,93,93,9x3,1000000");
    atDecisionTime(DAY_THREE);
    const result = await trader([
      "-c",
      await configReading(dir, "bad-number.json"),
      "run",
      "--date",
      DAY_THREE,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `trader: bad market data: ${join(dir, "QQQ.csv")} line ${lineOf("2026-10-05")}, column close: "9x3" is not a number; nothing was done\n`,
    );
    expect(result.stdout).toBe("");
    await expectNothingLost();
  });

  it("a NaN price: exit 2 naming the file, line and column", async () => {
    const dir = await dataWithRow("nan", "2026-10-06", "2026-10-06,NaN,93,93,93,1000000");
    atDecisionTime(DAY_THREE);
    const result = await trader([
      "-c",
      await configReading(dir, "nan.json"),
      "run",
      "--date",
      DAY_THREE,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `${join(dir, "QQQ.csv")} line ${lineOf("2026-10-06")}, column open: "NaN" is not a number`,
    );
    await expectNothingLost();
  });

  it("a missing column: exit 2 naming the file and the header line", async () => {
    const dir = join(root, "no-close");
    await writePrices(dir, { QQQ });
    const text = await readFile(join(dir, "QQQ.csv"), "utf8");
    await writeFile(
      join(dir, "QQQ.csv"),
      text.replace("date,open,high,low,close,volume", "date,open,high,low,volume"),
    );
    atDecisionTime(DAY_THREE);
    const result = await trader([
      "-c",
      await configReading(dir, "no-close.json"),
      "run",
      "--date",
      DAY_THREE,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `${join(dir, "QQQ.csv")} line 1: header is missing column "close"`,
    );
    // A backtest over the same directory is refused the same way.
    const backtest = await trader([
      "-c",
      config,
      "backtest",
      "--data",
      dir,
      "--from",
      "2026-10-01",
      "--to",
      "2026-11-01",
      "--memory",
    ]);
    expect(backtest.code).toBe(2);
    expect(backtest.stderr).toContain(`${join(dir, "QQQ.csv")} line 1`);
    await expectNothingLost();
  });
});

describe("bad configuration", () => {
  const KNOWN = "known strategies: hierarchical-adaptive-v3.5b, sma-crossover";

  it("an unknown strategy name, on the command line or in the config file: exit 2 listing the known ones", async () => {
    const flag = await trader(["-c", config, "backtest", "--strategy", "nope", "--synthetic"]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toBe(`trader: unknown strategy "nope"; ${KNOWN}\n`);

    const file = await writeConfig(
      root,
      {
        ...smaPaperConfig({ account: ACCOUNT, storeDir, dataDir: goodData }),
        strategies: [{ name: "nope" }],
      },
      "unknown-strategy.json",
    );
    atDecisionTime(DAY_THREE);
    const run = await trader(["-c", file, "run", "--date", DAY_THREE]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`strategies.0.name = "nope" (file ${file}): unknown strategy`);
    expect(run.stderr).toContain(KNOWN);
    await expectNothingLost();
  });

  it("invalid values from the environment and the file: exit 2, one line per problem, nothing traded", async () => {
    atDecisionTime(DAY_THREE);
    const notANumber = await trader(["-c", config, "run", "--date", DAY_THREE], {
      DRAWDOWN_HALT_THRESHOLD: "abc",
    });
    expect(notANumber.code).toBe(2);
    expect(notANumber.stderr.split("\n")).toEqual([
      "trader: invalid configuration (1 problem):",
      '  governor.haltDrawdown = "abc" (env DRAWDOWN_HALT_THRESHOLD): must be a fraction: 0.08, or 8% with the sign',
      "",
    ]);

    const haltAbovePanic = await trader(["-c", config, "run", "--date", DAY_THREE], {
      DRAWDOWN_HALT_THRESHOLD: "0.12",
    });
    expect(haltAbovePanic.code).toBe(2);
    expect(haltAbovePanic.stderr).toContain(
      "governor.haltDrawdown = 0.12 (env DRAWDOWN_HALT_THRESHOLD): haltDrawdown (0.12) must be below panicDrawdown (0.1)",
    );

    const file = await writeConfig(
      root,
      {
        ...smaPaperConfig({ account: ACCOUNT, storeDir, dataDir: goodData }),
        governor: { haltDrawdown: 0.1, panicDrawdown: 0.1 },
        slippage: { warnAbove: 0.02, alertAbove: 0.01 },
      },
      "three-problems.json",
    );
    const several = await trader(["-c", file, "run", "--date", DAY_THREE], {
      HALT_COOLDOWN_DAYS: "ten",
    });
    expect(several.code).toBe(2);
    const lines = several.stderr.trimEnd().split("\n");
    expect(lines[0]).toBe("trader: invalid configuration (3 problems):");
    expect(lines.slice(1).sort()).toEqual([
      expect.stringMatching(
        /^ {2}governor\.haltCooldownSessions = "ten" \(env HALT_COOLDOWN_DAYS\): /,
      ),
      expect.stringMatching(/^ {2}governor\.haltDrawdown = 0\.1 \(file .*three-problems\.json\): /),
      expect.stringMatching(
        /^ {2}slippage\.alertAbove = 0\.01 \(file .*three-problems\.json\): slippage thresholds must be ordered/,
      ),
    ]);
    await expectNothingLost();
  });

  it("bad arguments: an impossible --date and a date outside the calendar are exit 2", async () => {
    const impossible = await trader(["-c", config, "run", "--date", "2026-13-45"]);
    expect(impossible.code).toBe(2);
    expect(impossible.stderr).toBe('trader: --date "2026-13-45" is not a date: write YYYY-MM-DD\n');
    const outside = await trader(["-c", config, "why", "--date", "1999-12-31"]);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain("--date 1999-12-31 is outside the trading calendar");
    const slot = await trader(["-c", config, "run", "--date", DAY_THREE, "--slot", "after close"]);
    expect(slot.code).toBe(2);
    expect(slot.stderr).toContain('--slot "after close" must be letters, digits');
    await expectNothingLost();
  });

  it("a run dated before the account's latest day is refused (exit 2); retrying a completed one is not", async () => {
    atDecisionTime(DAY_TWO);
    const backwards = await trader(["-c", config, "run", "--date", "2026-11-09"]);
    expect(backwards.code).toBe(2);
    expect(backwards.stderr).toBe(
      `trader: run paper:${ACCOUNT}:2026-11-09:close cannot start: 2026-11-09 is before ${DAY_TWO}, the latest day recorded for account "${ACCOUNT}"; runs go forward in time, so nothing was run\n`,
    );
    const retry = await trader(["-c", config, "run", "--date", DAY_ONE]);
    expect(retry.code).toBe(0);
    expect(retry.stdout).toContain(`paper:${ACCOUNT}:${DAY_ONE}:close: already done (traded)`);
    const why = await traderJson<{ why: { verdict: string } }>([
      "-c",
      config,
      "why",
      "--date",
      "2026-11-09",
    ]);
    expect(why.why.verdict).toBe("no_run");
    await expectNothingLost();
  });

  it("reading a store that does not exist is exit 2 naming the directory", async () => {
    const nowhere = join(root, "no-store-here");
    for (const command of [["status"], ["why"], ["replay"]]) {
      const result = await trader(["--store-dir", nowhere, ...command]);
      expect(result.code, command[0]).toBe(2);
      expect(result.stderr, command[0]).toContain(`there is no event store at ${nowhere} yet`);
    }
  });
});

describe("operator actions need who, why and a real target", () => {
  it("kill and reset without --operator or --reason, or on an unknown strategy: exit 2, nothing recorded", async () => {
    atDecisionTime(DAY_TWO);
    for (const args of [
      ["kill"],
      ["kill", "--operator", "ann"],
      ["kill", "--reason", "looks wrong"],
      ["reset"],
      ["reset", "--operator", "ann"],
      ["kill", "--operator", " ", "--reason", "blank name"],
    ]) {
      const result = await trader(["-c", config, ...args]);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr, args.join(" ")).toBe(
        "trader: this action needs --operator <name> and --reason <why>: both are recorded with it\n",
      );
    }
    const unknown = await trader([
      "-c",
      config,
      "kill",
      "--strategy",
      "sma-crosover",
      "--operator",
      "ann",
      "--reason",
      "typo",
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      'trader: --strategy "sma-crosover" is not a known strategy; known strategies: hierarchical-adaptive-v3.5b, sma-crossover\n',
    );
    const status = await traderJson<{ killSwitch: { status: string } }>(["-c", config, "status"]);
    expect(status.killSwitch.status).toBe("INACTIVE");
    await expectNothingLost();
  });
});

describe("a damaged store", () => {
  it("store verify names the file and line (exit 5); run refuses before writing anything (exit 3)", async () => {
    // Flip one byte inside a committed line of day one's file.
    const file = join(storeDir, "streams", `day-${ACCOUNT}-${DAY_ONE}.jsonl`);
    const bytes = await readFile(file);
    const lines = bytes.toString("utf8").split("\n");
    const damagedLine = lines.findIndex((line) => line.includes('"type":"RunInputsRecorded"')) + 1;
    const at = bytes.indexOf('"tradingDate"', bytes.indexOf('"type":"RunInputsRecorded"'));
    expect(damagedLine).toBeGreaterThan(0);
    expect(at).toBeGreaterThan(0);
    bytes[at + 2] = bytes[at + 2] === 0x72 ? 0x52 : 0x72; // "tradingDate" → "tRadingDate"
    await writeFile(file, bytes);

    const verify = await trader(["-c", config, "store", "verify"]);
    expect(verify.code).toBe(5);
    expect(verify.stdout).toContain("PROBLEMS FOUND");
    expect(verify.stdout).toContain(`${file} line ${damagedLine}: corrupt (checksum mismatch`);
    const verifyJson = await trader(["-c", config, "--json", "store", "verify"]);
    expect(verifyJson.code).toBe(5);
    expect(JSON.parse(verifyJson.stdout).streams).toContainEqual(
      expect.objectContaining({ file, status: "corrupt", line: damagedLine }),
    );

    atDecisionTime(DAY_THREE);
    const run = await trader(["-c", config, "run", "--date", DAY_THREE]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("pre-flight failed: the event store at");
    expect(run.stderr).toContain(`${file} line ${damagedLine}: corrupt`);
    expect(run.stdout).toBe("");
    useRealClock();

    // Nothing was appended; the undamaged day still replays as recorded.
    expect(await brokerOrders(storeDir, ACCOUNT)).toHaveLength(1);
    expect(await replay(DAY_TWO)).toEqual(timelines[DAY_TWO]);
    const why = await traderJson<{ why: { verdict: string } }>([
      "-c",
      config,
      "why",
      "--date",
      DAY_THREE,
    ]);
    expect(why.why.verdict).toBe("no_run");
    // Reading the damaged day stops at the damage with a message naming it, not a crash.
    const damagedReplay = await trader(["-c", config, "replay", "--date", DAY_ONE]);
    expect(damagedReplay.code).toBe(1);
    expect(damagedReplay.stderr).toContain(
      `${file} (stream "day-${ACCOUNT}-${DAY_ONE}"), line ${damagedLine}: checksum mismatch`,
    );
  });
});
