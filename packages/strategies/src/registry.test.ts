import { describe, expect, it } from "vitest";
import { STRATEGIES, strategyByName } from "./registry.js";

describe("strategy registry", () => {
  it("lists the reference strategies by name", () => {
    expect(Object.keys(STRATEGIES)).toEqual(["hierarchical-adaptive-v3.5b", "sma-crossover"]);
  });

  it("builds a strategy by name with its default params", () => {
    expect(strategyByName("hierarchical-adaptive-v3.5b")).toMatchObject({
      name: "hierarchical-adaptive-v3.5b",
      historyBars: 272,
    });
    expect(strategyByName("sma-crossover").params).toEqual({
      symbol: "QQQ",
      fast: 50,
      slow: 200,
      weight: 0.9,
    });
  });

  it("passes params through, validated", () => {
    expect(strategyByName("sma-crossover", { symbol: "SPY" }).universe).toEqual(["SPY"]);
    expect(
      strategyByName("hierarchical-adaptive-v3.5b", { volatility: { stateWalkBars: 1 } })
        .historyBars,
    ).toBe(147);
    expect(() => strategyByName("sma-crossover", { fast: "fast" })).toThrow(
      /sma-crossover config is invalid/,
    );
    expect(() => strategyByName("hierarchical-adaptive-v3.5b", { trend: 3 })).toThrow(/trend/);
  });

  it("refuses an unknown name, listing the known ones", () => {
    expect(() => strategyByName("golden-cross")).toThrow(
      'unknown strategy "golden-cross"; known strategies: hierarchical-adaptive-v3.5b, sma-crossover',
    );
    expect(() => strategyByName("toString")).toThrow(/unknown strategy "toString"/);
  });
});
