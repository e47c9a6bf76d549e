import { describe, expect, it } from "vitest";
import { CONFIG_ERROR_EXIT_CODE, ConfigError } from "./config-error.js";
import { jsonErrorOffset } from "./config-file.js";
import { type LoadConfigOptions, loadConfig } from "./load-config.js";

/** Loads `text` as the config file `file` (no disk). */
function loadText(file: string, text: string, env: LoadConfigOptions["env"] = {}) {
  return loadConfig({ file, env, readFile: () => text });
}

/** The ConfigError `load` throws. */
function configError(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

/** The problem lines of the error's message (the first line is the summary). */
function problemLines(load: () => unknown): string[] {
  return configError(load)
    .message.split("\n")
    .slice(1)
    .map((line) => line.trim());
}

describe("loadConfig: files", () => {
  it("loads defaults when there is no file and no environment", () => {
    const loaded = loadConfig({ env: {} });
    expect(loaded.config.governor.haltDrawdown).toBe(0.08);
    expect(loaded.file).toBeUndefined();
    expect(Object.values(loaded.sources).every((source) => source === "default")).toBe(true);
  });

  it("reads a JSON file", () => {
    const loaded = loadText(
      "trader.json",
      JSON.stringify({ account: "acct-1", governor: { haltDrawdown: 0.06 } }),
    );
    expect(loaded.config.account).toBe("acct-1");
    expect(loaded.config.governor.haltDrawdown).toBe(0.06);
    expect(loaded.config.governor.panicDrawdown).toBe(0.1);
    expect(loaded.file).toBe("trader.json");
  });

  it("reads a YAML file (.yaml and .yml), keeping a date as text", () => {
    const yaml = [
      "broker:",
      "  kind: alpaca",
      "data:",
      "  kind: synthetic",
      "  from: 2015-01-02",
      "strategies:",
      "  - name: sma-crossover",
      "    params: { symbol: SPY, fast: 20, slow: 100, weight: 0.5 }",
    ].join("\n");
    for (const file of ["trader.yaml", "trader.YML"]) {
      const loaded = loadText(file, yaml);
      expect(loaded.config.broker).toEqual({ kind: "alpaca", paper: true, timeoutMs: 10_000 });
      expect(loaded.config.data).toEqual({ kind: "synthetic", seed: "trader", from: "2015-01-02" });
      expect(loaded.config.strategies).toEqual([
        { name: "sma-crossover", params: { symbol: "SPY", fast: 20, slow: 100, weight: 0.5 } },
      ]);
    }
  });

  it("reads an empty YAML file as all defaults", () => {
    expect(loadText("trader.yaml", "# nothing yet\n").config.account).toBe("default");
  });

  it("takes the file from TRADER_CONFIG; a file given directly wins over it", () => {
    const files: Record<string, string> = {
      "env.json": '{ "account": "from-env" }',
      "flag.json": '{ "account": "from-flag" }',
    };
    const readFile = (path: string) => files[path] ?? "";
    expect(loadConfig({ env: { TRADER_CONFIG: "env.json" }, readFile }).config.account).toBe(
      "from-env",
    );
    expect(
      loadConfig({ file: "flag.json", env: { TRADER_CONFIG: "env.json" }, readFile }).config
        .account,
    ).toBe("from-flag");
  });

  it("refuses an unknown extension, naming the file", () => {
    expect(problemLines(() => loadText("trader.toml", "account = 1"))).toEqual([
      'file trader.toml: cannot tell its format from the extension ".toml"; use .json, .yaml, .yml',
    ]);
  });

  it("refuses an unreadable file, naming it", () => {
    const error = configError(() =>
      loadConfig({
        file: "missing.yaml",
        env: {},
        readFile: () => {
          throw new Error("ENOENT: no such file or directory, open 'missing.yaml'");
        },
      }),
    );
    expect(error.issues).toEqual([
      {
        field: "",
        value: "missing.yaml",
        rule: "cannot read it: ENOENT: no such file or directory, open 'missing.yaml'",
        source: "file missing.yaml",
      },
    ]);
  });

  it("refuses malformed JSON with the line and column", () => {
    const [line] = problemLines(() =>
      loadText("trader.json", '{\n  "account": "a",\n  "dryRun": }\n'),
    );
    expect(line).toMatch(/^file trader\.json: malformed JSON at line 3, column 13: /);
  });

  it("refuses malformed YAML with the line", () => {
    const [line] = problemLines(() =>
      loadText(
        "trader.yaml",
        "account: a\ngovernor:\n  haltDrawdown: 0.08\n  haltDrawdown: 0.07\n",
      ),
    );
    expect(line).toMatch(/^file trader\.yaml: malformed YAML: Map keys must be unique at line 4/);
  });

  it("refuses a file whose top level is not a mapping", () => {
    expect(problemLines(() => loadText("trader.yaml", "- account: a\n"))).toEqual([
      "file trader.yaml: must hold a mapping of settings at the top, got a list",
    ]);
  });
});

describe("loadConfig: provenance", () => {
  it("says for every leaf whether it came from the default, the file or the environment", () => {
    const loaded = loadText(
      "conf/trader.yaml",
      "governor:\n  haltDrawdown: 0.07\nstrategies:\n  - name: sma-crossover\n",
      { DRAWDOWN_PANIC_THRESHOLD: "0.12" },
    );
    expect(loaded.sources["governor.haltDrawdown"]).toBe("file conf/trader.yaml");
    expect(loaded.sources["governor.panicDrawdown"]).toBe("env DRAWDOWN_PANIC_THRESHOLD");
    expect(loaded.sources["governor.haltCooldownSessions"]).toBe("default");
    expect(loaded.sources["strategies.0.name"]).toBe("file conf/trader.yaml");
    expect(
      loaded.sources['pipeline.risk.profiles["hierarchical-adaptive-v3.5b"].maxSymbolWeight'],
    ).toBe("default");
  });

  it("credits minCashFraction's source to both nested copies", () => {
    const loaded = loadText("trader.json", '{ "minCashFraction": 0.1 }');
    expect(loaded.sources.minCashFraction).toBe("file trader.json");
    expect(loaded.sources["pipeline.risk.limits.minCashFraction"]).toBe("file trader.json");
    expect(loaded.sources["pipeline.rebalance.minCashFraction"]).toBe("file trader.json");
    expect(loaded.config.pipeline.rebalance.minCashFraction).toBe(0.1);
  });

  it("has a source for every leaf and no source for anything else", () => {
    const loaded = loadConfig({ env: {} });
    const keys = Object.keys(loaded.sources);
    expect(keys).toContain("governor.haltDrawdown");
    expect(keys).toContain("strategyDisabledList");
    expect(keys).toContain("pipeline.dataQuality.corporateActions.closeRatioSplits");
    expect(keys).not.toContain("governor");
  });
});

describe("loadConfig: bad config", () => {
  it("names the field, the value, the rule and the variable for an unreadable number", () => {
    const error = configError(() => loadConfig({ env: { DRAWDOWN_HALT_THRESHOLD: "abc" } }));
    expect(error.exitCode).toBe(CONFIG_ERROR_EXIT_CODE);
    expect(CONFIG_ERROR_EXIT_CODE).toBe(2);
    expect(error.issues).toEqual([
      {
        field: "governor.haltDrawdown",
        value: "abc",
        rule: "must be a fraction: 0.08, or 8% with the sign",
        source: "env DRAWDOWN_HALT_THRESHOLD",
      },
    ]);
    expect(error.message).toBe(
      'invalid configuration (1 problem):\n  governor.haltDrawdown = "abc" (env DRAWDOWN_HALT_THRESHOLD): must be a fraction: 0.08, or 8% with the sign',
    );
  });

  it("explains that a bare 8 is not 8%", () => {
    expect(problemLines(() => loadConfig({ env: { DRAWDOWN_HALT_THRESHOLD: "8" } }))).toEqual([
      "governor.haltDrawdown = 8 (env DRAWDOWN_HALT_THRESHOLD): must be < 1 (DRAWDOWN_HALT_THRESHOLD is a fraction: write 0.08 or 8% for 8%)",
    ]);
  });

  it("refuses halt ≥ panic, naming where the other threshold came from", () => {
    expect(
      problemLines(() =>
        loadText("trader.yaml", "governor:\n  haltDrawdown: 0.1\n", {
          DRAWDOWN_PANIC_THRESHOLD: "0.09",
        }),
      ),
    ).toEqual([
      "governor.haltDrawdown = 0.1 (file trader.yaml): haltDrawdown (0.1) must be below panicDrawdown (0.09); panicDrawdown from env DRAWDOWN_PANIC_THRESHOLD",
    ]);
  });

  it("reports several problems at once, one line each", () => {
    const lines = problemLines(() =>
      loadText(
        "trader.json",
        JSON.stringify({
          tradingBreaker: { dailyDrawdown: 0.1, weeklyDrawdown: 0.1 },
          broker: { kind: "simulator", initialCash: -1000 },
          strategies: [{ name: "momentum" }],
          governr: { haltDrawdown: 0.05 },
        }),
        { DRAWDOWN_HALT_THRESHOLD: "abc" },
      ),
    );
    expect(lines).toEqual([
      'governor.haltDrawdown = "abc" (env DRAWDOWN_HALT_THRESHOLD): must be a fraction: 0.08, or 8% with the sign',
      expect.stringMatching(
        /^governr = \{"haltDrawdown":0\.05\} \(file trader\.json\): unknown setting; did you mean governor\? known here: /,
      ),
      "broker.initialCash = -1000 (file trader.json): must be > 0",
      'strategies.0.name = "momentum" (file trader.json): unknown strategy; known strategies: hierarchical-adaptive-v3.5b, sma-crossover',
      "tradingBreaker.dailyDrawdown = 0.1 (file trader.json): dailyDrawdown must be less than weeklyDrawdown",
    ]);
  });

  it("refuses credentials in the file without ever printing them", () => {
    const error = configError(() =>
      loadText(
        "trader.yaml",
        [
          "broker:",
          "  kind: alpaca",
          "  keyId: AKFAKEKEY",
          "  secret: hunter2",
          "store:",
          "  kind: esdb",
          "  connectionString: kurrentdb://admin:changeit@db:2113",
        ].join("\n"),
      ),
    );
    expect(error.issues.map((i) => [i.field, i.value])).toEqual([
      ["broker.keyId", "(hidden)"],
      ["broker.secret", "(hidden)"],
      ["store.connectionString", "(hidden)"],
    ]);
    expect(error.message).toContain("set them in the environment");
    expect(error.message).toContain("KURRENTDB_CONNECTION_STRING");
    for (const secret of ["AKFAKEKEY", "hunter2", "changeit"]) {
      expect(error.message).not.toContain(secret);
    }
  });

  it("accepts the KurrentDB credentials from the environment", () => {
    const loaded = loadText("trader.yaml", "store:\n  kind: esdb\n", {
      KURRENTDB_CONNECTION_STRING: "kurrentdb://admin:changeit@db:2113",
    });
    expect(loaded.config.store).toEqual({
      kind: "esdb",
      connectionString: "kurrentdb://admin:changeit@db:2113",
    });
  });
});

describe("jsonErrorOffset", () => {
  it.each([
    ['{"a": }', 6],
    ['{"a": 1,}', 8],
    ["[1, 2", 5],
    ['{"a": 1} x', 9],
    ['{"a": tru}', 6],
  ])("finds where %j goes wrong", (text, offset) => {
    expect(jsonErrorOffset(text)).toBe(offset);
  });
});
