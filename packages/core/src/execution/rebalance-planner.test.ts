import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { marketValueCents } from "../risk/portfolio.js";
import {
  parseRebalanceConfig,
  planRebalance,
  type RebalanceConfig,
  type RebalanceInput,
  type RebalancePlan,
} from "./rebalance-planner.js";

/** $100,000 in cash. */
const CASH = 10_000_000;

describe("rebalance planner (SPEC §9)", () => {
  it.each([
    [0.1, 100],
    [0.105, 105],
    [0.1005, 100],
  ])(
    "the plan's rounding vectors: %s of $100,000 at $100 → %s shares (rounded down)",
    (weight, shares) => {
      const plan = planRebalance({
        cashCents: CASH,
        holdings: {},
        prices: { QQQ: 100 },
        targetWeights: { QQQ: weight },
        sizingMultiplier: 1,
      });
      expect(plan.orders).toEqual([
        {
          symbol: "QQQ",
          side: "buy",
          quantity: shares,
          expectedPrice: 100,
          notionalCents: shares * 10_000,
        },
      ]);
    },
  );

  it("sells before buys, and tracks the cash remainder in cents", () => {
    const plan = planRebalance({
      cashCents: 500_000,
      holdings: { TQQQ: 1000, TMF: 0 },
      prices: { TQQQ: 95, TMF: 7.3 },
      targetWeights: { TQQQ: 0.5, TMF: 0.45 },
      sizingMultiplier: 1,
    });
    // equity = $5,000 + 1000 × $95 = $100,000
    expect(plan.equityCents).toBe(10_000_000);
    expect(plan.orders.map((o) => `${o.side} ${o.quantity} ${o.symbol}`)).toEqual([
      "sell 474 TQQQ", // target $50,000 / $95 = 526.3 → 526 shares
      "buy 6164 TMF", // $45,000 / $7.30 = 6164.4 → 6164
    ]);
    expect(plan.cashAfterSellsCents).toBe(500_000 + 4_503_000);
    expect(plan.cashAfterCents).toBe(500_000 + 4_503_000 - 4_499_720);
    // rounding left $30 on TQQQ ($50,000 − 526 × $95) and $2.80 on TMF
    expect(plan.roundingRemainderCents).toBe(3_000 + 280);
  });

  it("applies the governor's multiplier: 60% in RAMPUP (× 0.5) is 30%", () => {
    const plan = planRebalance({
      cashCents: CASH,
      holdings: {},
      prices: { TQQQ: 50 },
      targetWeights: { TQQQ: 0.6 },
      sizingMultiplier: 0.5,
    });
    expect(plan.orders).toEqual([
      { symbol: "TQQQ", side: "buy", quantity: 600, expectedPrice: 50, notionalCents: 3_000_000 },
    ]);
  });

  it("scales weights down to keep 5% cash: 100% TQQQ becomes 95%", () => {
    const plan = planRebalance({
      cashCents: CASH,
      holdings: {},
      prices: { TQQQ: 50 },
      targetWeights: { TQQQ: 1 },
      sizingMultiplier: 1,
    });
    expect(plan.weightScale).toBeCloseTo(0.95, 12);
    expect(plan.orders[0]?.quantity).toBe(1900);
    expect(plan.cashAfterCents).toBe(500_000);
  });

  it("skips a symbol within 5 points of target; a 5-point gap trades", () => {
    const at = (target: number) =>
      planRebalance({
        cashCents: 7_000_000,
        holdings: { QQQ: 300 },
        prices: { QQQ: 100 },
        targetWeights: { QQQ: target },
        sizingMultiplier: 1,
      });
    expect(at(0.34).orders).toEqual([]);
    expect(at(0.34).skipped).toEqual([
      {
        symbol: "QQQ",
        code: "below_rebalance_threshold",
        message: "QQQ weight 30% is within 5% of target 34%",
        detail: { currentWeight: 0.3, targetWeight: 0.34, gap: 0.04, threshold: 0.05 },
      },
    ]);
    expect(at(0.35).orders).toMatchObject([{ side: "buy", quantity: 50 }]);
  });

  it("sells a full exit (target 0) even when the position is within the threshold", () => {
    const input: RebalanceInput = {
      cashCents: 9_700_000,
      holdings: { TMV: 30 },
      prices: { TMV: 100 },
      targetWeights: {},
      sizingMultiplier: 1,
    };
    expect(planRebalance(input).orders).toMatchObject([
      { symbol: "TMV", side: "sell", quantity: 30 },
    ]);
    const strict = parseRebalanceConfig({ fullExitsIgnoreThreshold: false });
    expect(planRebalance(input, strict).skipped[0]?.code).toBe("below_rebalance_threshold");
  });

  it("skips a buy that rounds down to no new share: zero_shares_after_rounding", () => {
    const plan = planRebalance(
      {
        cashCents: CASH,
        holdings: {},
        prices: { BRK: 700_000 },
        targetWeights: { BRK: 0.06 },
        sizingMultiplier: 1,
      },
      parseRebalanceConfig(),
    );
    expect(plan.orders).toEqual([]);
    expect(plan.skipped).toMatchObject([
      {
        symbol: "BRK",
        code: "zero_shares_after_rounding",
        message: "BRK target $6,000.00 at $700000 rounds down to the 0 shares already held",
      },
    ]);
  });

  it("limits buys to the cash after sells less the minimum cash: trims, then skips", () => {
    // equity $100,000 but only $20,000 cash; nothing to sell (holdings within threshold)
    const plan = planRebalance({
      cashCents: 2_000_000,
      holdings: { SPY: 800 },
      prices: { SPY: 100, QQQ: 100, TLT: 100 },
      targetWeights: { SPY: 0.8, QQQ: 0.1, TLT: 0.08 },
      sizingMultiplier: 1,
    });
    // weights 98% → scaled to 95%: QQQ 9.69% (96 shares), TLT 7.76% (77 shares); $15,000 usable
    expect(plan.orders.map((o) => `${o.side} ${o.quantity} ${o.symbol}`)).toEqual([
      "buy 96 QQQ",
      "buy 54 TLT",
    ]);
    expect(plan.trimmed).toEqual([
      { symbol: "TLT", wantedQuantity: 77, quantity: 54, code: "insufficient_cash" },
    ]);
    expect(plan.cashAfterCents).toBe(plan.minCashCents);
  });

  it("refuses bad input, naming it", () => {
    const base: RebalanceInput = {
      cashCents: CASH,
      holdings: {},
      prices: { QQQ: 100 },
      targetWeights: { QQQ: 0.5 },
      sizingMultiplier: 1,
    };
    expect(() => planRebalance({ ...base, prices: { QQQ: -1 } })).toThrow(
      "prices.QQQ must be a finite price > 0, got -1",
    );
    expect(() => planRebalance({ ...base, targetWeights: { QQQ: 0.5, TLT: 0.2 } })).toThrow(
      "prices has no entry for symbol TLT",
    );
    expect(() => planRebalance({ ...base, targetWeights: { QQQ: Number.NaN } })).toThrow(
      "targetWeights.QQQ must be a fraction between 0 and 1, got NaN",
    );
    expect(() =>
      planRebalance({ ...base, prices: { QQQ: 1, TLT: 1 }, targetWeights: { QQQ: 0.7, TLT: 0.6 } }),
    ).toThrow("targetWeights must sum to at most 1, got 1.3");
    expect(() => planRebalance({ ...base, holdings: { QQQ: 2.5 } })).toThrow(
      "holdings.QQQ must be a whole number of shares, got 2.5",
    );
  });
});

const UNIVERSE = ["QQQ", "TQQQ", "TMF", "TMV", "TLT"];
const arbitraryInput: fc.Arbitrary<RebalanceInput> = fc
  .record({
    cashCents: fc.integer({ min: 0, max: 50_000_000 }),
    holdings: fc.tuple(...UNIVERSE.map(() => fc.integer({ min: 0, max: 3000 }))),
    prices: fc.tuple(...UNIVERSE.map(() => fc.integer({ min: 100, max: 150_000 }))),
    rawWeights: fc.tuple(...UNIVERSE.map(() => fc.nat({ max: 100 }))),
    invested: fc.double({ min: 0, max: 1, noNaN: true }),
    sizingMultiplier: fc.constantFrom(1, 0.5),
  })
  .filter((r) => r.cashCents > 0 || r.holdings.some((q) => q > 0))
  .map((r) => {
    const total = r.rawWeights.reduce((a, b) => a + b, 0);
    return {
      cashCents: r.cashCents,
      holdings: Object.fromEntries(UNIVERSE.map((s, i) => [s, r.holdings[i] as number])),
      prices: Object.fromEntries(UNIVERSE.map((s, i) => [s, (r.prices[i] as number) / 100])),
      targetWeights: Object.fromEntries(
        UNIVERSE.map((s, i) => [
          s,
          total === 0 ? 0 : ((r.rawWeights[i] as number) / total) * r.invested * 0.999999,
        ]),
      ),
      sizingMultiplier: r.sizingMultiplier,
    };
  });

function execute(input: RebalanceInput, plan: RebalancePlan): RebalanceInput {
  const holdings = { ...input.holdings };
  for (const order of plan.orders) {
    holdings[order.symbol] =
      (holdings[order.symbol] ?? 0) + (order.side === "buy" ? order.quantity : -order.quantity);
  }
  return { ...input, holdings, cashCents: plan.cashAfterCents };
}

describe("rebalance planner properties", () => {
  it("shares are whole and positive; sells come before buys; one order per symbol", () => {
    fc.assert(
      fc.property(arbitraryInput, (input) => {
        const { orders } = planRebalance(input);
        for (const order of orders) {
          expect(Number.isSafeInteger(order.quantity) && order.quantity > 0).toBe(true);
          expect(order.notionalCents).toBe(marketValueCents(order.quantity, order.expectedPrice));
        }
        const sides = orders.map((o) => o.side).join(",");
        expect(sides).toMatch(/^(sell,?)*(buy,?)*$/);
        expect(new Set(orders.map((o) => o.symbol)).size).toBe(orders.length);
      }),
    );
  });

  it("buys never exceed the cash after sells, and leave at least the minimum cash", () => {
    fc.assert(
      fc.property(arbitraryInput, (input) => {
        const plan = planRebalance(input);
        const buys = plan.orders.filter((o) => o.side === "buy");
        const spent = buys.reduce((sum, o) => sum + o.notionalCents, 0);
        expect(spent).toBeLessThanOrEqual(Math.max(0, plan.cashAfterSellsCents));
        if (buys.length > 0) expect(plan.cashAfterCents).toBeGreaterThanOrEqual(plan.minCashCents);
        expect(plan.cashAfterCents).toBeGreaterThanOrEqual(
          Math.min(plan.minCashCents, plan.cashAfterSellsCents),
        );
      }),
    );
  });

  it("target weights are scaled to respect the minimum cash", () => {
    fc.assert(
      fc.property(arbitraryInput, (input) => {
        const plan = planRebalance(input);
        const invested = plan.targets.reduce((sum, t) => sum + t.targetWeight, 0);
        expect(invested).toBeLessThanOrEqual(0.95 + 1e-12);
      }),
    );
  });

  it("planning from the target portfolio yields no orders, even with no threshold", () => {
    const noThreshold: RebalanceConfig = parseRebalanceConfig({ threshold: 0 });
    fc.assert(
      fc.property(
        arbitraryInput,
        fc.integer({ min: 1_000_000, max: 100_000_000 }),
        (input, equity) => {
          // hold exactly the plan's target shares, the rest in cash, at the same equity
          const targets = planRebalance({ ...input, cashCents: equity, holdings: {} }).targets;
          const holdings = Object.fromEntries(targets.map((t) => [t.symbol, t.targetShares]));
          const invested = targets.reduce(
            (sum, t) => sum + marketValueCents(t.targetShares, input.prices[t.symbol] as number),
            0,
          );
          const atTarget = { ...input, holdings, cashCents: equity - invested };
          expect(planRebalance(atTarget).orders).toEqual([]);
          expect(planRebalance(atTarget, noThreshold).orders).toEqual([]);
        },
      ),
    );
  });

  it("executing a plan and planning again yields no orders", () => {
    fc.assert(
      fc.property(arbitraryInput, (input) => {
        const after = execute(input, planRebalance(input));
        expect(planRebalance(after).orders).toEqual([]);
      }),
    );
  });
});
