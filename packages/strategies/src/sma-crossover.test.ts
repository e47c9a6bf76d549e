import { type PortfolioView, pointInTimeSnapshot, runStrategy } from "@trader/core";
import { describe, expect, it } from "vitest";
import { createSmaCrossover, DEFAULT_SMA_CROSSOVER_PARAMS } from "./sma-crossover.js";
import { parseSmaCrossoverParams } from "./sma-crossover-params.js";
import { barsEndingOn, LAST_DATE, pathCloses } from "./testing/price-paths.js";

const portfolio: PortfolioView = { cash: 1_000_000, equity: 1_000_000, positions: [] };
const snapshotOf = (closes: number[], symbol = "QQQ") =>
  pointInTimeSnapshot(
    { [symbol]: barsEndingOn(closes, LAST_DATE) },
    LAST_DATE,
    `${LAST_DATE}T19:50:00Z`,
  );
const rising = pathCloses(100, [{ bars: 200, drift: 0.002, swing: 0.005 }]);
const falling = pathCloses(100, [{ bars: 200, drift: -0.002, swing: 0.005 }]);

describe("SMA crossover example", () => {
  it("holds 90% of QQQ while the 50-day SMA is above the 200-day SMA", () => {
    const decision = createSmaCrossover().decide(snapshotOf(rising), portfolio);
    expect(decision.regime).toBe("uptrend");
    expect(decision.signals).toMatchObject([{ kind: "target_weights", weights: { QQQ: 0.9 } }]);
  });

  it("goes to cash while the fast SMA is below the slow SMA", () => {
    const decision = createSmaCrossover().decide(snapshotOf(falling), portfolio);
    expect(decision.regime).toBe("downtrend");
    expect(decision.signals).toMatchObject([{ weights: { QQQ: 0 } }]);
  });

  it("follows the crossover: a long rise then a sharp fall turns it to cash once the SMAs cross", () => {
    const strategy = createSmaCrossover({ fast: 5, slow: 20 });
    const peak = pathCloses(100, [{ bars: 20, drift: 0.01, swing: 0 }]);
    const afterFall = pathCloses(100, [
      { bars: 20, drift: 0.01, swing: 0 },
      { bars: 10, drift: -0.03, swing: 0 },
    ]);
    expect(strategy.decide(snapshotOf(peak), portfolio).regime).toBe("uptrend");
    expect(strategy.decide(snapshotOf(afterFall), portfolio).regime).toBe("downtrend");
  });

  it("takes its symbol, windows and weight from params", () => {
    const strategy = createSmaCrossover({ symbol: "SPY", fast: 10, slow: 30, weight: 0.5 });
    expect(strategy).toMatchObject({ name: "sma-crossover", universe: ["SPY"], historyBars: 30 });
    const decision = strategy.decide(snapshotOf(rising, "SPY"), portfolio);
    expect(decision.signals).toMatchObject([{ weights: { SPY: 0.5 } }]);
    expect(runStrategy(strategy, snapshotOf(rising, "SPY"), portfolio).ok).toBe(true);
  });

  it("says it has too little history instead of guessing", () => {
    const decision = createSmaCrossover().decide(snapshotOf(rising.slice(-199)), portfolio);
    expect(decision).toEqual({ regime: "insufficient_history", signals: [] });
  });

  it("refuses windows that are not 1 ≤ fast < slow, and weights outside (0, 1]", () => {
    expect(() => createSmaCrossover({ fast: 200, slow: 50 })).toThrow(
      /need whole 1 ≤ fast < slow, got 200 and 50/,
    );
    expect(() => createSmaCrossover({ fast: 2.5 })).toThrow(RangeError);
    expect(() => createSmaCrossover({ weight: 1.5 })).toThrow(
      /weight must be in \(0, 1\], got 1.5/,
    );
    expect(() => createSmaCrossover({ weight: Number.NaN })).toThrow(/weight/);
  });

  it("has a config schema with the same defaults that names a bad field", () => {
    expect(parseSmaCrossoverParams({})).toEqual(DEFAULT_SMA_CROSSOVER_PARAMS);
    expect(() => parseSmaCrossoverParams({ fast: 200 })).toThrow(/fast must be < slow/);
    expect(() => parseSmaCrossoverParams({ window: 20 })).toThrow(/window/);
  });
});
