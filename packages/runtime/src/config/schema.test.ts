import { HIERARCHICAL_ADAPTIVE_RISK_PROFILE } from "@trader/strategies";
import { describe, expect, it } from "vitest";
import { checkTraderConfig, DEFAULT_TRADER_CONFIG, traderConfigSchema } from "./schema.js";

/** The problems of a bad config as "path: rule" lines. */
function problemsOf(input: unknown): string[] {
  const checked = checkTraderConfig(input);
  if (checked.ok) throw new Error("expected the config to be refused");
  return checked.problems.map((p) => `${p.path.join(".")}: ${p.rule}`);
}

describe("traderConfigSchema defaults", () => {
  it("parses an empty config into the spec's numbers", () => {
    const config = DEFAULT_TRADER_CONFIG;
    expect(config.account).toBe("default");
    expect(config.dryRun).toBe(false);
    expect(config.store).toEqual({ kind: "file", dir: ".trader" });
    expect(config.broker).toEqual({
      kind: "simulator",
      initialCash: 100_000,
      slippageBps: 0,
      noiseBps: 0,
      seed: "fills",
    });
    expect(config.data).toEqual({ kind: "synthetic", seed: "trader", from: "2010-01-04" });
    expect(config.strategies).toEqual([{ name: "hierarchical-adaptive-v3.5b" }]);
    expect(config.governor).toMatchObject({
      haltDrawdown: 0.08,
      panicDrawdown: 0.1,
      haltCooldownSessions: 10,
      panicCooldownSessions: 20,
      rampUpSizing: 0.5,
      rampUpSessions: 5,
    });
    expect(config.tradingBreaker).toMatchObject({
      dailyDrawdown: 0.05,
      weeklyDrawdown: 0.1,
      totalDrawdown: 0.2,
    });
    expect(config.pipeline.risk.limits).toMatchObject({
      maxSymbolWeight: 0.3,
      maxStrategyWeight: 0.6,
      maxPortfolioWeight: 0.9,
    });
    expect(config.reconciliation).toMatchObject({ enabled: true, tolerance: 0.01 });
    expect(config.execution).toEqual({ partialFillRetries: 3, slot: "close" });
    expect(config.pendingSignals.decayDays).toBe(3);
  });

  it("gives the reference strategy its risk profile, which the default limits would block", () => {
    expect(DEFAULT_TRADER_CONFIG.pipeline.risk.profiles["hierarchical-adaptive-v3.5b"]).toEqual(
      HIERARCHICAL_ADAPTIVE_RISK_PROFILE,
    );
  });

  it("lays a given profile for the reference strategy over its default profile", () => {
    const checked = checkTraderConfig({
      pipeline: { risk: { profiles: { "hierarchical-adaptive-v3.5b": { maxPositions: 2 } } } },
    });
    if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
    expect(checked.config.pipeline.risk.profiles["hierarchical-adaptive-v3.5b"]).toEqual({
      ...HIERARCHICAL_ADAPTIVE_RISK_PROFILE,
      maxPositions: 2,
    });
  });

  it("fills the variant's own defaults: an Alpaca broker is paper with a 10 s timeout", () => {
    const checked = checkTraderConfig({ broker: { kind: "alpaca" } });
    if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
    expect(checked.config.broker).toEqual({ kind: "alpaca", paper: true, timeoutMs: 10_000 });
  });
});

describe("minCashFraction: one minimum-cash value", () => {
  it("sets both the risk gate's and the rebalance planner's minimum", () => {
    const checked = checkTraderConfig({ minCashFraction: 0.1 });
    if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
    expect(checked.config.minCashFraction).toBe(0.1);
    expect(checked.config.pipeline.risk.limits.minCashFraction).toBe(0.1);
    expect(checked.config.pipeline.rebalance.minCashFraction).toBe(0.1);
  });

  it("refuses a nested copy set to a different value, naming the setting to use", () => {
    expect(problemsOf({ pipeline: { risk: { limits: { minCashFraction: 0.02 } } } })).toEqual([
      "pipeline.risk.limits.minCashFraction: set minCashFraction instead: it sets pipeline.risk.limits.minCashFraction and pipeline.rebalance.minCashFraction together (minCashFraction is 0.05 here)",
    ]);
  });

  it("accepts a nested copy that agrees", () => {
    const checked = checkTraderConfig({
      minCashFraction: 0.1,
      pipeline: { rebalance: { minCashFraction: 0.1 } },
    });
    expect(checked.ok).toBe(true);
  });

  it("reports a bad minCashFraction once, not again on each copy", () => {
    expect(problemsOf({ minCashFraction: 1.5 })).toEqual(["minCashFraction: must be < 1"]);
  });
});

describe("traderConfigSchema rules", () => {
  it("surfaces the core's cross-field rules with their full dotted path", () => {
    expect(
      problemsOf({
        governor: { haltDrawdown: 0.1, panicDrawdown: 0.1 },
        tradingBreaker: { dailyDrawdown: 0.1 },
        pipeline: { risk: { limits: { maxSymbolWeight: 0.7 } } },
      }),
    ).toEqual([
      "governor.haltDrawdown: haltDrawdown (0.1) must be below panicDrawdown (0.1)",
      "tradingBreaker.dailyDrawdown: dailyDrawdown must be less than weeklyDrawdown",
      "pipeline.risk.limits.maxSymbolWeight: maxSymbolWeight (0.7) must not exceed maxStrategyWeight (0.6)",
    ]);
  });

  it("does not repeat an out-of-range value as a cross-field problem, but keeps unrelated ones", () => {
    expect(problemsOf({ governor: { panicDrawdown: 8 } })).toEqual([
      "governor.panicDrawdown: must be < 1",
    ]);
    expect(problemsOf({ governor: { haltDrawdown: 0.12, rampUpSizing: 50 } })).toEqual([
      "governor.rampUpSizing: must be ≤ 1",
      "governor.haltDrawdown: haltDrawdown (0.12) must be below panicDrawdown (0.1)",
    ]);
  });

  it("names the known strategies for an unknown one, and refuses a strategy listed twice", () => {
    expect(
      problemsOf({
        strategies: [{ name: "momentum" }, { name: "sma-crossover" }, { name: "sma-crossover" }],
      }),
    ).toEqual([
      "strategies.0.name: unknown strategy; known strategies: hierarchical-adaptive-v3.5b, sma-crossover",
      "strategies.2.name: listed twice; each strategy runs once",
    ]);
  });

  it("lets the strategy check its params at load time", () => {
    const [problem] = problemsOf({
      strategies: [{ name: "sma-crossover", params: { fast: 200, slow: 50 } }],
    });
    expect(problem).toMatch(/^strategies\.0\.params: sma-crossover refuses these params: /);
    expect(problem).not.toContain("\n");
  });

  it("refuses a disabled-strategy name that would disable nothing", () => {
    expect(problemsOf({ strategyDisabledList: ["hierarchical-adaptive-v35b"] })).toEqual([
      'strategyDisabledList.0: "hierarchical-adaptive-v35b" is not a known strategy, so it would disable nothing; known strategies: hierarchical-adaptive-v3.5b, sma-crossover',
    ]);
  });

  it("refuses unknown keys at any depth, suggesting the likely one", () => {
    expect(
      problemsOf({
        dryrun: true,
        pipeline: { risk: { limits: { maxSymbolWieght: 0.2 } } },
        DRY_RUN: true,
      }),
    ).toEqual([
      expect.stringMatching(
        /^dryrun: unknown setting; did you mean dryRun\? known here: account, /,
      ),
      expect.stringMatching(
        /^pipeline\.risk\.limits\.maxSymbolWieght: unknown setting; did you mean maxSymbolWeight\?/,
      ),
      "DRY_RUN: unknown setting: DRY_RUN is an environment variable; in a config file write dryRun",
    ]);
  });

  it("checks the keys of the chosen variant: paper belongs to alpaca, not the simulator", () => {
    expect(problemsOf({ broker: { kind: "simulator", paper: true } })).toEqual([
      "broker.paper: unknown setting; known here: kind, initialCash, slippageBps, noiseBps, seed",
    ]);
  });

  it("refuses a credential-looking key without echoing it", () => {
    const checked = checkTraderConfig({ broker: { kind: "alpaca", secretKey: "s3cr3t" } });
    if (checked.ok) throw new Error("expected a refusal");
    expect(checked.problems).toEqual([
      expect.objectContaining({ path: ["broker", "secretKey"], hidden: true }),
    ]);
    expect(checked.problems[0]?.rule).toMatch(/set them in the environment/);
  });

  it("refuses negative cash, sub-cent cash and a bad date", () => {
    expect(
      problemsOf({
        broker: { kind: "simulator", initialCash: -5 },
        data: { kind: "synthetic", from: "2010-02-30" },
      }),
    ).toEqual([
      "broker.initialCash: must be > 0",
      "data.from: must be a calendar date written YYYY-MM-DD",
    ]);
    expect(problemsOf({ broker: { kind: "simulator", initialCash: 10.005 } })).toEqual([
      "broker.initialCash: must be whole cents (at most 2 decimals)",
    ]);
  });

  it("names the variants when the kind is unknown", () => {
    expect(problemsOf({ store: { kind: "postgres" } })).toEqual([
      'store.kind: must be one of "file", "esdb"',
    ]);
  });

  it("is a zod schema: safeParse reports the same problems as zod issues", () => {
    const result = traderConfigSchema.safeParse({ governor: { haltDrawdown: 0.2 } });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({
        path: ["governor", "haltDrawdown"],
        message: "haltDrawdown (0.2) must be below panicDrawdown (0.1)",
      }),
    ]);
  });
});
