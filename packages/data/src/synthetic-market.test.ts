import { type Bar, barSchema, weekdayCalendar } from "@trader/core";
import { describe, expect, it } from "vitest";
import { seededRandom } from "./random.js";
import { parseSyntheticMarketParams, syntheticMarket } from "./synthetic-market.js";

const calendar = weekdayCalendar(["2025-12-25"]);
const tenYears = syntheticMarket({ seed: 42, from: "2015-01-01", to: "2024-12-31", calendar });
const bars = (symbol: string): readonly Bar[] => tenYears.history[symbol] ?? [];
const returns = (symbol: string): number[] =>
  bars(symbol)
    .slice(1)
    .map((bar, index) => bar.close / (bars(symbol)[index] as Bar).close - 1);

describe("seeded random numbers", () => {
  it("repeats a sequence for a seed and differs between seeds", () => {
    const draw = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 5 }, () => random.next());
    };
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
    expect(draw(1).every((value) => value >= 0 && value < 1)).toBe(true);
    expect(() => seededRandom(1.5)).toThrow(/safe integer/);
  });
});

describe("synthetic market", () => {
  it("gives identical bars for the same seed and different bars for another", () => {
    const options = { seed: 3, from: "2024-01-01", to: "2024-06-30", calendar };
    expect(syntheticMarket(options)).toEqual(syntheticMarket(options));
    expect(syntheticMarket({ ...options, seed: 4 }).history.QQQ).not.toEqual(
      syntheticMarket(options).history.QQQ,
    );
  });

  it("gives a symbol the same bars whatever else was requested", () => {
    const options = { seed: 3, from: "2024-01-01", to: "2024-06-30", calendar };
    const alone = syntheticMarket({ ...options, symbols: ["TMV"] });
    expect(Object.keys(alone.history)).toEqual(["TMV"]);
    expect(alone.history.TMV).toEqual(syntheticMarket(options).history.TMV);
  });

  it("puts bars on the calendar's sessions only, one per session", () => {
    const { history } = syntheticMarket({
      seed: 1,
      from: "2025-12-20",
      to: "2026-01-04",
      calendar,
    });
    expect(history.QQQ?.map((bar) => bar.date)).toEqual([
      "2025-12-22",
      "2025-12-23",
      "2025-12-24",
      "2025-12-26",
      "2025-12-29",
      "2025-12-30",
      "2025-12-31",
      "2026-01-01",
      "2026-01-02",
    ]);
  });

  it("produces valid bars: schema, high and low around open and close", () => {
    for (const symbol of ["QQQ", "TLT", "TQQQ", "TMF", "TMV"]) {
      expect(bars(symbol)).toHaveLength(tenYears.regimes.length);
      const invalid = bars(symbol).filter(
        (bar) =>
          !barSchema.safeParse(bar).success ||
          bar.high < Math.max(bar.open, bar.close) ||
          bar.low > Math.min(bar.open, bar.close),
      );
      expect(invalid).toEqual([]);
    }
  });

  it("makes TQQQ ≈ 3× QQQ, TMF ≈ 3× TLT and TMV ≈ −3× TLT day by day", () => {
    const qqq = returns("QQQ");
    const tlt = returns("TLT");
    // Left over: tracking noise (sd 0.05%), the daily expense, and rounding both closes to cents.
    const tracks = (symbol: string, driver: number[], leverage: number) =>
      returns(symbol).every((value, index) => {
        const priorClose = (bars(symbol)[index] as Bar).close;
        return Math.abs(value - leverage * (driver[index] as number)) < 0.005 + 0.011 / priorClose;
      });
    expect(tracks("TQQQ", qqq, 3)).toBe(true);
    expect(tracks("TMF", tlt, 3)).toBe(true);
    expect(tracks("TMV", tlt, -3)).toBe(true);
    expect(tracks("TMV", tlt, 3)).toBe(false);
  });

  it("switches between all three regimes, and QQQ's volatility is realistic", () => {
    const seen = new Set(tenYears.regimes.map((entry) => entry.regime));
    expect([...seen].sort()).toEqual(["bear", "bull", "high_vol"]);
    const qqq = returns("QQQ");
    const mean = qqq.reduce((sum, value) => sum + value, 0) / qqq.length;
    const sd = Math.sqrt(qqq.reduce((sum, value) => sum + (value - mean) ** 2, 0) / qqq.length);
    const annualized = sd * Math.sqrt(252);
    expect(annualized).toBeGreaterThan(0.12);
    expect(annualized).toBeLessThan(0.4);
  });

  it("refuses unknown symbols, reversed dates and transition rows that do not sum to 1", () => {
    const options = { seed: 1, from: "2024-01-01", to: "2024-02-01", calendar };
    expect(() => syntheticMarket({ ...options, symbols: ["SPY"] })).toThrow(
      "syntheticMarket: unknown symbol SPY; available: QQQ, TLT, TQQQ, TMF, TMV",
    );
    expect(() => syntheticMarket({ ...options, from: "2024-03-01" })).toThrow(/after to/);
    expect(() =>
      parseSyntheticMarketParams({
        transitions: {
          bull: { bull: 0.9, bear: 0.05, high_vol: 0.01 },
          bear: { bull: 0.02, bear: 0.97, high_vol: 0.01 },
          high_vol: { bull: 0.02, bear: 0.03, high_vol: 0.95 },
        },
      }),
    ).toThrow(/chances from bull must sum to 1, got 0.96/);
  });
});
