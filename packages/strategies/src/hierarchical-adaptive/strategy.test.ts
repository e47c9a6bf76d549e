import {
  type Bar,
  type PortfolioView,
  type PriceHistory,
  pointInTimeSnapshot,
  runStrategy,
  type TargetWeightsSignal,
  weekdayCalendar,
} from "@trader/core";
import { syntheticMarket } from "@trader/data";
import { describe, expect, it } from "vitest";
import { type PathSegment, snapshotOfPaths } from "../testing/price-paths.js";
import { INSUFFICIENT_HISTORY_REGIME, REGIME_CELLS } from "./params.js";
import { createHierarchicalAdaptive, HIERARCHICAL_ADAPTIVE_NAME } from "./strategy.js";

const portfolio: PortfolioView = { cash: 10_000_000, equity: 10_000_000, positions: [] };
const strategy = createHierarchicalAdaptive();

const calm = (bars: number, drift: number): PathSegment => ({ bars, drift, swing: 0.006 });
const stormy = (bars: number, drift: number, swing = 0.03): PathSegment => ({ bars, drift, swing });
const bondsUp = [calm(272, 0.0004)];
const bondsDown = [calm(272, -0.0004)];

function decideOn(equity: readonly PathSegment[], bonds: readonly PathSegment[] = bondsUp) {
  const decision = strategy.decide(snapshotOfPaths(equity, bonds), portfolio);
  return { decision, signal: decision.signals[0] as TargetWeightsSignal };
}

describe("Hierarchical Adaptive v3.5b", () => {
  it("declares its universe, the history it needs and its Titan params", () => {
    expect(strategy.name).toBe(HIERARCHICAL_ADAPTIVE_NAME);
    expect(strategy.universe).toEqual(["QQQ", "TLT", "TQQQ", "TMF", "TMV"]);
    expect(strategy.historyBars).toBe(272);
    expect(strategy.historyBars).toBeGreaterThanOrEqual(250);
    expect(strategy.params.trend.equitySlowSma).toBe(140);
  });

  it.each([
    ["bull_low_vol", [calm(272, 0.001)], { TQQQ: 1, QQQ: 0, TMF: 0, TMV: 0 }],
    [
      "bull_high_vol",
      [calm(257, 0.001), stormy(15, 0.002)],
      { TQQQ: 0.4, QQQ: 0.3, TMF: 0.3, TMV: 0 },
    ],
    [
      "neutral_low_vol",
      [calm(252, 0.001), calm(20, -0.004)],
      { TQQQ: 0.3, QQQ: 0.3, TMF: 0.4, TMV: 0 },
    ],
    [
      "neutral_high_vol",
      [calm(252, 0.001), stormy(20, -0.004)],
      { TQQQ: 0, QQQ: 0.3, TMF: 0.4, TMV: 0 },
    ],
    ["bear_low_vol", [calm(272, -0.001)], { TQQQ: 0, QQQ: 0, TMF: 0.4, TMV: 0 }],
    [
      "bear_high_vol",
      [calm(257, -0.001), stormy(15, -0.002)],
      { TQQQ: 0, QQQ: 0, TMF: 0.25, TMV: 0 },
    ],
  ] as const)("reaches %s and targets its weights", (cell, equity, weights) => {
    const { decision, signal } = decideOn(equity);
    expect(decision.regime).toBe(cell);
    expect(signal.kind).toBe("target_weights");
    expect(signal.weights).toEqual(weights);
    expect(signal.rationale).toMatchObject({ cell });
  });

  it("holds TMF while bonds trend up and TMV while they trend down", () => {
    const equity = [calm(272, -0.001)];
    expect(decideOn(equity, bondsUp).signal.weights).toMatchObject({ TMF: 0.4, TMV: 0 });
    expect(decideOn(equity, bondsDown).signal.weights).toMatchObject({ TMF: 0, TMV: 0.4 });
    expect(decideOn(equity, bondsDown).decision.regime).toBe("bear_low_vol");
  });

  it("reports the regime and the numbers behind it with every decision", () => {
    const { signal } = decideOn([calm(272, 0.001)]);
    expect(signal.confidence).toBeGreaterThan(0.9);
    expect(signal.rationale).toMatchObject({
      equity: { trend: "bull", smaVote: 1, kalmanVote: 1 },
      volatility: { state: "low_vol", zScore: 0, volCrush: false },
      bonds: { trend: "up" },
      bondSymbol: "TMF",
      bondWeight: 0,
      bondWeightCapped: false,
    });
    // The rationale is recorded in events: plain JSON numbers, no NaN.
    expect(JSON.parse(JSON.stringify(signal.rationale))).toEqual(signal.rationale);
  });

  describe("vol-crush override", () => {
    // Calm, then 40 stormy sessions (high volatility), then 20 sessions of milder swings: the
    // short volatility has fallen 15.3% in 5 sessions while its z-score (0.22) is still above 0.2.
    const crushing = [calm(212, 0.001), stormy(40, 0.001, 0.02), stormy(20, 0.001, 0.012)];

    it("turns high volatility low when short vol falls 15% in 5 sessions", () => {
      const { decision, signal } = decideOn(crushing);
      expect(decision.regime).toBe("bull_low_vol");
      const volatility = signal.rationale?.volatility as Record<string, number | boolean>;
      expect(volatility.volCrush).toBe(true);
      expect(volatility.volCrushChange).toBeLessThanOrEqual(-0.15);
      expect(volatility.zScore).toBeGreaterThan(0.2);
    });

    it("is the reason: without it the hysteresis would still say high volatility", () => {
      const noCrush = createHierarchicalAdaptive({ volatility: { volCrushThreshold: -0.9 } });
      const decision = noCrush.decide(snapshotOfPaths(crushing, bondsUp), portfolio);
      expect(decision.regime).toBe("bull_high_vol");
    });

    it("does not fire on a smaller fall (14% one session earlier)", () => {
      const earlier = [calm(213, 0.001), stormy(40, 0.001, 0.02), stormy(19, 0.001, 0.012)];
      expect(decideOn(earlier).decision.regime).toBe("bull_high_vol");
    });
  });

  it("caps the bond sleeve at 40% even when a cell asks for more", () => {
    const greedy = createHierarchicalAdaptive({
      allocation: {
        cells: {
          ...strategy.params.allocation.cells,
          bear_low_vol: { leveragedEquity: 0, equity: 0, bonds: 0.9 },
        },
      },
    });
    const decision = greedy.decide(snapshotOfPaths([calm(272, -0.001)], bondsDown), portfolio);
    const signal = decision.signals[0] as TargetWeightsSignal;
    expect(signal.weights).toEqual({ TQQQ: 0, QQQ: 0, TMF: 0, TMV: 0.4 });
    expect(signal.rationale).toMatchObject({ bondWeight: 0.4, bondWeightCapped: true });
  });

  it("gives no signal and says so while the history is shorter than historyBars", () => {
    const decision = strategy.decide(snapshotOfPaths([calm(271, 0.001)], bondsUp), portfolio);
    expect(decision).toEqual({ regime: INSUFFICIENT_HISTORY_REGIME, signals: [] });
  });

  it("produces signals the core's strategy runner accepts", () => {
    const outcome = runStrategy(strategy, snapshotOfPaths([calm(272, 0.001)], bondsUp), portfolio);
    expect(outcome).toMatchObject({ ok: true, regime: "bull_low_vol" });
  });
});

describe("Hierarchical Adaptive v3.5b on the synthetic market", () => {
  const calendar = weekdayCalendar();
  const market = syntheticMarket({ seed: 42, from: "2015-01-01", to: "2018-12-31", calendar });
  const sessions = (market.history.QQQ as readonly Bar[]).map((bar) => bar.date);
  const at = (date: string) => `${date}T19:50:00Z`;

  function historyUpTo(date: string): PriceHistory {
    return Object.fromEntries(
      Object.entries(market.history).map(([symbol, bars]) => [
        symbol,
        bars.filter((bar) => bar.date <= date),
      ]),
    );
  }

  it("decides identically from the same snapshot (deterministic)", () => {
    const date = sessions[400] as string;
    const first = strategy.decide(pointInTimeSnapshot(market.history, date, at(date)), portfolio);
    const again = createHierarchicalAdaptive().decide(
      pointInTimeSnapshot(market.history, date, at(date)),
      portfolio,
    );
    expect(JSON.stringify(again)).toBe(JSON.stringify(first));
  });

  it("does not look ahead: bars after the trading date do not change the decision", () => {
    for (const date of [sessions[300], sessions[555], sessions[800]] as string[]) {
      const withFuture = strategy.decide(
        pointInTimeSnapshot(market.history, date, at(date)),
        portfolio,
      );
      const withoutFuture = strategy.decide(
        pointInTimeSnapshot(historyUpTo(date), date, at(date)),
        portfolio,
      );
      expect(withFuture).toEqual(withoutFuture);
    }
  });

  it("uses only its window: a longer history before it does not change the decision", () => {
    const date = sessions.at(-1) as string;
    const full = strategy.decide(pointInTimeSnapshot(market.history, date, at(date)), portfolio);
    const trimmed: PriceHistory = Object.fromEntries(
      Object.entries(market.history).map(([symbol, bars]) => [symbol, bars.slice(-272)]),
    );
    expect(strategy.decide(pointInTimeSnapshot(trimmed, date, at(date)), portfolio)).toEqual(full);
  });

  it("visits several regime cells over four years, always within the weight limits", () => {
    const visited = new Set<string>();
    for (const date of sessions.slice(272)) {
      const decision = strategy.decide(
        pointInTimeSnapshot(market.history, date, at(date)),
        portfolio,
      );
      visited.add(decision.regime);
      const { weights, confidence } = decision.signals[0] as TargetWeightsSignal;
      const total = Object.values(weights).reduce((sum, weight) => sum + weight, 0);
      expect(total).toBeLessThanOrEqual(1);
      expect((weights.TMF ?? 0) + (weights.TMV ?? 0)).toBeLessThanOrEqual(0.4);
      expect(confidence).toBeGreaterThanOrEqual(0.5);
      expect(confidence).toBeLessThanOrEqual(1);
    }
    expect([...visited].every((cell) => (REGIME_CELLS as readonly string[]).includes(cell))).toBe(
      true,
    );
    expect(visited.size).toBeGreaterThanOrEqual(4);
  });
});
