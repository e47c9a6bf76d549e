import { describe, expect, it } from "vitest";
import type { Bar } from "../market/bars.js";
import type { PortfolioView, Strategy, StrategyDecision } from "../strategy/api.js";
import { pointInTimeSnapshot, UnknownSymbolError } from "./snapshot.js";
import { runStrategy } from "./strategy-runner.js";

const bar = (date: string, close: number): Bar => ({
  date,
  open: close,
  high: close,
  low: close,
  close,
  volume: 100,
});
const history = {
  QQQ: [
    bar("2026-11-18", 500),
    bar("2026-11-19", 505),
    bar("2026-11-20", 510),
    bar("2026-11-23", 999),
  ],
};
const portfolio: PortfolioView = { cash: 100_000, equity: 100_000, positions: [] };
const snapshot = pointInTimeSnapshot(history, "2026-11-20", "2026-11-20T20:50:00.000Z");

const strategyThat = (decide: () => unknown): Strategy => ({
  name: "user-strategy",
  universe: ["QQQ"],
  historyBars: 2,
  params: {},
  decide: decide as () => StrategyDecision,
});

describe("point-in-time snapshot", () => {
  it("cuts off bars after the decision date, so a strategy cannot see the future", () => {
    expect(snapshot.bars("QQQ").map((b) => b.date)).toEqual([
      "2026-11-18",
      "2026-11-19",
      "2026-11-20",
    ]);
    expect(snapshot.price("QQQ")).toBe(510);
  });

  it("names an unknown symbol and the ones it has", () => {
    expect(() => snapshot.bars("TQQQ")).toThrow(UnknownSymbolError);
    expect(() => snapshot.bars("TQQQ")).toThrow("unknown symbol TQQQ: the run has data for QQQ");
  });
});

describe("running user strategy code", () => {
  it("passes a well-formed decision through", () => {
    const outcome = runStrategy(
      strategyThat(() => ({
        regime: "uptrend",
        signals: [{ kind: "entry", symbol: "QQQ", fraction: 0.5, confidence: 0.9 }],
      })),
      snapshot,
      portfolio,
    );
    expect(outcome).toEqual({
      ok: true,
      regime: "uptrend",
      signals: [{ kind: "entry", symbol: "QQQ", fraction: 0.5, confidence: 0.9 }],
    });
  });

  it("turns a throw into a failure naming the strategy, without crashing", () => {
    const outcome = runStrategy(
      strategyThat(() => snapshot.bars("TQQQ")),
      snapshot,
      portfolio,
    );
    expect(outcome).toMatchObject({
      ok: false,
      kind: "threw",
      message: "strategy user-strategy threw: unknown symbol TQQQ: the run has data for QQQ",
    });
  });

  it("refuses malformed signals, naming the signal and the field", () => {
    const nan = runStrategy(
      strategyThat(() => ({
        regime: "x",
        signals: [{ kind: "entry", symbol: "QQQ", fraction: Number.NaN, confidence: 1 }],
      })),
      snapshot,
      portfolio,
    );
    expect(nan).toMatchObject({ ok: false, kind: "malformed_signal" });
    expect(nan.ok ? "" : nan.message).toMatch(/malformed signal #0: fraction/);
    const overweight = runStrategy(
      strategyThat(() => ({
        regime: "x",
        signals: [{ kind: "target_weights", weights: { QQQ: 0.7, TLT: 0.6 }, confidence: 1 }],
      })),
      snapshot,
      portfolio,
    );
    expect(overweight.ok ? "" : overweight.message).toMatch(/weights must sum to at most 1/);
    const notADecision = runStrategy(
      strategyThat(() => [1, 2]),
      snapshot,
      portfolio,
    );
    expect(notADecision.ok ? "" : notADecision.message).toMatch(
      /must return \{ regime: string, signals: Signal\[\] \}/,
    );
  });
});
