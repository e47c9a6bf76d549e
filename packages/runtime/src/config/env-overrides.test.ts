import { describe, expect, it } from "vitest";
import {
  CONFIG_ENVIRONMENT_VARIABLES,
  type EnvValueKind,
  parseEnvironmentValue,
} from "./env-overrides.js";
import { loadConfig } from "./load-config.js";
import { parseDottedPath, valueAt } from "./paths.js";

/**
 * For each variable: a value to set, what must land on its path, and any other variables it
 * needs to make a valid config (the health points must still add up to 100).
 */
const SAMPLES: Record<string, { raw: string; expected: unknown; with?: Record<string, string> }> = {
  TRADER_ACCOUNT: { raw: "paper-1", expected: "paper-1" },
  TRADER_STORE_DIR: { raw: "/var/trader", expected: "/var/trader" },
  KURRENTDB_CONNECTION_STRING: {
    raw: "kurrentdb://admin:changeit@localhost:2113?tls=false",
    expected: "kurrentdb://admin:changeit@localhost:2113?tls=false",
  },
  DRY_RUN: { raw: "true", expected: true },
  TRADING_DISABLED: { raw: "yes", expected: true },
  STRATEGY_DISABLED_LIST: {
    raw: "sma-crossover, hierarchical-adaptive-v3.5b",
    expected: ["sma-crossover", "hierarchical-adaptive-v3.5b"],
  },
  DRAWDOWN_HALT_THRESHOLD: { raw: "0.07", expected: 0.07 },
  DRAWDOWN_PANIC_THRESHOLD: { raw: "12%", expected: 0.12 },
  HALT_COOLDOWN_DAYS: { raw: "12", expected: 12 },
  PANIC_COOLDOWN_DAYS: { raw: "25", expected: 25 },
  RAMPUP_SIZING_PCT: { raw: "0.25", expected: 0.25 },
  RAMPUP_DAYS: { raw: "3", expected: 3 },
  FLATTEN_ON_PANIC: { raw: "false", expected: false },
  DATA_STALENESS_HOURS: { raw: "96", expected: 96 },
  MAX_NAN_PCT: { raw: "0.05", expected: 0.05 },
  MIN_HISTORY_DAYS: { raw: "300", expected: 300 },
  MAX_PORTFOLIO_HEAT: { raw: "0.25", expected: 0.25 },
  MAX_DAILY_LOSS_PCT: { raw: "0.03", expected: 0.03 },
  MAX_CORRELATION: { raw: "0.7", expected: 0.7 },
  PENDING_SIGNALS_DECAY_DAYS: { raw: "5", expected: 5 },
  ENABLE_BROKER_RECONCILIATION: { raw: "0", expected: false },
  RECONCILIATION_TOLERANCE_PCT: { raw: "0.02", expected: 0.02 },
  HEALTH_SHORT_WINDOW: { raw: "14", expected: 14 },
  HEALTH_LONG_WINDOW: { raw: "60", expected: 60 },
  HEALTH_MIN_TRADES: { raw: "8", expected: 8 },
  MIN_TRADES_FOR_HEALTH: { raw: "6", expected: 6 },
  HEALTH_MAX_REJECTION_RATE: { raw: "0.7", expected: 0.7 },
  MAX_REJECTION_RATE: { raw: "75%", expected: 0.75 },
  HEALTH_MIN_EXPECTANCY_CENTS: { raw: "25", expected: 25 },
  MIN_EXPECTANCY: { raw: "0.50", expected: 50 },
  HEALTH_FULL_ACTIVITY_TRADES: { raw: "12", expected: 12 },
  HEALTH_FULL_PROFIT_FACTOR: { raw: "2", expected: 2 },
  HEALTH_MAX_DRAWDOWN: { raw: "0.15", expected: 0.15 },
  HEALTH_POINTS_ACTIVITY: {
    raw: "40",
    expected: 40,
    with: { HEALTH_POINTS_EXPECTANCY: "20" },
  },
  HEALTH_POINTS_EXPECTANCY: { raw: "40", expected: 40, with: { HEALTH_POINTS_ACTIVITY: "20" } },
  HEALTH_POINTS_REJECTION_RATE: {
    raw: "10",
    expected: 10,
    with: { HEALTH_POINTS_DRAWDOWN: "30" },
  },
  HEALTH_POINTS_DRAWDOWN: { raw: "10", expected: 10, with: { HEALTH_POINTS_REJECTION_RATE: "30" } },
  HEALTH_HEALTHY_FROM: { raw: "85", expected: 85 },
  HEALTH_WARNING_FROM: { raw: "65", expected: 65 },
  HEALTH_DEGRADED_FROM: { raw: "45", expected: 45 },
};

/** KURRENTDB_CONNECTION_STRING applies only to a KurrentDB store, so that one gets a file. */
const ESDB_FILE = JSON.stringify({
  store: { kind: "esdb", connectionString: "esdb://localhost:2113" },
});

describe("CONFIG_ENVIRONMENT_VARIABLES", () => {
  const settings = CONFIG_ENVIRONMENT_VARIABLES.filter((v) => v.path !== null);

  it("has a sample below for every variable that sets a setting", () => {
    expect(settings.map((v) => v.name).sort()).toEqual(Object.keys(SAMPLES).sort());
  });

  it.each(settings.map((v) => [v.name, v.path as string] as const))(
    "%s lands on %s, and the source says so",
    (name, path) => {
      const sample = SAMPLES[name];
      if (!sample) throw new Error(`no sample for ${name}`);
      const esdb = name === "KURRENTDB_CONNECTION_STRING";
      const loaded = loadConfig({
        env: { [name]: sample.raw, ...sample.with },
        ...(esdb ? { file: "trader.json", readFile: () => ESDB_FILE } : {}),
      });
      expect(valueAt(loaded.config, parseDottedPath(path))).toEqual(sample.expected);
      expect(loaded.sources[path]).toBe(`env ${name}`);
    },
  );

  it("names the seeds' variables the spec lists", () => {
    const names = CONFIG_ENVIRONMENT_VARIABLES.map((v) => v.name);
    for (const name of [
      "DRY_RUN",
      "TRADING_DISABLED",
      "STRATEGY_DISABLED_LIST",
      "DRAWDOWN_HALT_THRESHOLD",
      "DRAWDOWN_PANIC_THRESHOLD",
      "TRADER_CONFIG",
    ]) {
      expect(names).toContain(name);
    }
    expect(new Set(names).size).toBe(names.length);
  });
});

describe("parseEnvironmentValue", () => {
  it.each([
    ["true", true],
    ["TRUE", true],
    [" yes ", true],
    ["1", true],
    ["false", false],
    ["No", false],
    ["0", false],
  ])("reads the boolean %j as %s", (raw, expected) => {
    expect(parseEnvironmentValue("boolean", raw)).toEqual({ ok: true, value: expected });
  });

  it.each<[EnvValueKind, string, unknown]>([
    ["fraction", "0.08", 0.08],
    ["fraction", "8%", 0.08],
    ["fraction", "10 %", 0.1],
    ["integer", "250", 250],
    ["number", "-1.5e1", -15],
    ["dollars", "1.25", 125],
    ["list", " a, b ,, ", ["a", "b"]],
    ["list", "", []],
  ])("reads a %s from %j", (kind, raw, expected) => {
    expect(parseEnvironmentValue(kind, raw)).toEqual({ ok: true, value: expected });
  });

  it.each<[EnvValueKind, string]>([
    ["boolean", "on"],
    ["fraction", "abc"],
    ["fraction", "8%%"],
    ["integer", "2.5"],
    ["number", "12abc"],
    ["number", "Infinity"],
  ])("refuses a %s written %j, saying what it wants", (kind, raw) => {
    const parsed = parseEnvironmentValue(kind, raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.rule).toMatch(/^must be /);
  });
});

describe("environment overrides", () => {
  it("win over the file", () => {
    const loaded = loadConfig({
      file: "trader.yaml",
      readFile: () => "governor:\n  haltDrawdown: 0.06\n",
      env: { DRAWDOWN_HALT_THRESHOLD: "0.07" },
    });
    expect(loaded.config.governor.haltDrawdown).toBe(0.07);
    expect(loaded.sources["governor.haltDrawdown"]).toBe("env DRAWDOWN_HALT_THRESHOLD");
  });

  it("treat an empty variable as not set, but an empty list as none", () => {
    const loaded = loadConfig({
      file: "trader.yaml",
      readFile: () => "dryRun: true\nstrategyDisabledList: [sma-crossover]\n",
      env: { DRY_RUN: " ", STRATEGY_DISABLED_LIST: "" },
    });
    expect(loaded.config.dryRun).toBe(true);
    expect(loaded.sources.dryRun).toBe("file trader.yaml");
    expect(loaded.config.strategyDisabledList).toEqual([]);
    expect(loaded.sources.strategyDisabledList).toBe("env STRATEGY_DISABLED_LIST");
  });

  it("TRADER_STORE_DIR replaces a KurrentDB store from the file with the file store", () => {
    const loaded = loadConfig({
      file: "trader.json",
      readFile: () => ESDB_FILE,
      env: { TRADER_STORE_DIR: "./state" },
    });
    expect(loaded.config.store).toEqual({ kind: "file", dir: "./state" });
    expect(loaded.sources["store.kind"]).toBe("env TRADER_STORE_DIR");
  });

  it("KURRENTDB_CONNECTION_STRING leaves a file store alone", () => {
    const loaded = loadConfig({ env: { KURRENTDB_CONNECTION_STRING: "esdb://elsewhere:2113" } });
    expect(loaded.config.store).toEqual({ kind: "file", dir: ".trader" });
  });

  it("refuses the seeds' name and the new name set together", () => {
    expect(() =>
      loadConfig({ env: { HEALTH_MIN_TRADES: "6", MIN_TRADES_FOR_HEALTH: "6" } }),
    ).toThrow(
      'health.minTrades = "6" (env MIN_TRADES_FOR_HEALTH): HEALTH_MIN_TRADES sets it too; set only one of HEALTH_MIN_TRADES and MIN_TRADES_FOR_HEALTH',
    );
  });
});
