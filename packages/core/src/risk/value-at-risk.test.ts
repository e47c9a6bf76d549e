import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { historicalValueAtRisk, varRank } from "./value-at-risk.js";

describe("historical VaR quantile rule: k = ⌈n × (1 − c)⌉-th worst scenario", () => {
  it.each([
    [250, 0.95, 13],
    [100, 0.95, 5],
    [20, 0.95, 1],
    [100, 0.99, 1],
    [101, 0.95, 6],
  ])("n = %s at %s → rank %s", (n, confidence, rank) => {
    expect(varRank(n, confidence)).toBe(rank);
  });

  it("takes the 5th worst of 100 days, a weighted sum of the positions' returns", () => {
    // 5 crash days: the 5th worst is a crash; with 4 crash days it is an ordinary day.
    const crashes = (count: number) =>
      Array.from({ length: 100 }, (_, day) => (day < count ? -0.1 - day * 0.01 : 0.002));
    const values = new Map([
      ["TQQQ", 30_000],
      ["TMF", 10_000],
    ]);
    const flat = Array.from({ length: 100 }, () => 0);
    const five = historicalValueAtRisk(values, { TQQQ: crashes(5), TMF: flat }, 0.95, 250);
    expect(five.valueAtRisk).toBeCloseTo(30_000 * 0.1, 9);
    expect(five.worstLoss).toBeCloseTo(30_000 * 0.14, 9);
    expect(five).toMatchObject({ observations: 100, rank: 5 });
    const four = historicalValueAtRisk(values, { TQQQ: crashes(4), TMF: flat }, 0.95, 250);
    expect(four.valueAtRisk).toBe(0);
  });

  it("uses only the most recent lookback days", () => {
    const returns = [-0.5, ...Array.from({ length: 20 }, () => -0.01)];
    const result = historicalValueAtRisk(new Map([["QQQ", 1000]]), { QQQ: returns }, 0.95, 20);
    expect(result.observations).toBe(20);
    expect(result.worstLoss).toBeCloseTo(10, 9);
  });

  it("counts a short position's loss when its asset rallies", () => {
    const returns = Array.from({ length: 20 }, (_, day) => (day === 0 ? 0.2 : 0));
    const result = historicalValueAtRisk(new Map([["TMV", -1000]]), { TMV: returns }, 0.95, 250);
    expect(result.valueAtRisk).toBeCloseTo(200, 9);
  });

  it("refuses misaligned series, a missing series and NaN returns, naming the symbol", () => {
    const values = new Map([
      ["TQQQ", 1],
      ["TMF", 1],
    ]);
    expect(() => historicalValueAtRisk(values, { TQQQ: [0, 0], TMF: [0] }, 0.95, 250)).toThrow(
      "daily returns must be aligned: TMF has 1 days, TQQQ has 2",
    );
    expect(() => historicalValueAtRisk(values, { TQQQ: [0] }, 0.95, 250)).toThrow(
      "daily returns have no series for held symbol TMF",
    );
    expect(() =>
      historicalValueAtRisk(new Map([["TQQQ", 1]]), { TQQQ: [0, Number.NaN] }, 0.95, 250),
    ).toThrow("daily return of TQQQ at index 1 must be a finite number, got NaN");
  });

  it("equals the k-th worst of the fully sorted scenario P&Ls", () => {
    const day = fc.double({ min: -0.3, max: 0.3, noNaN: true });
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 120 })
          .chain((n) =>
            fc.tuple(
              fc.array(day, { minLength: n, maxLength: n }),
              fc.array(day, { minLength: n, maxLength: n }),
            ),
          ),
        fc.integer({ min: -50_000, max: 50_000 }),
        fc.integer({ min: -50_000, max: 50_000 }),
        fc.constantFrom(0.9, 0.95, 0.99),
        ([a, b], valueA, valueB, confidence) => {
          const result = historicalValueAtRisk(
            new Map([
              ["A", valueA],
              ["B", valueB],
            ]),
            { A: a, B: b },
            confidence,
            250,
          );
          const sorted = a
            .map((r, t) => valueA * r + valueB * (b[t] as number))
            .sort((x, y) => x - y);
          const rank = varRank(a.length, confidence);
          expect(result.valueAtRisk).toBeCloseTo(Math.max(0, -(sorted[rank - 1] as number)), 6);
          expect(result.worstLoss).toBeCloseTo(Math.max(0, -(sorted[0] as number)), 6);
        },
      ),
    );
  });
});
