import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decisionPriceFillModel } from "./fill-model.js";

const order = (clientOrderId: string, side: "buy" | "sell", decisionPrice = 450) => ({
  clientOrderId,
  side,
  decisionPrice,
});

describe("decision-price fill model", () => {
  it("names itself and its version for the fills it prices", () => {
    const model = decisionPriceFillModel();
    expect([model.name, model.version, model.id]).toEqual([
      "decision-price",
      1,
      "decision-price@1",
    ]);
  });

  it("fills at the decision price when there is no slippage", () => {
    expect(decisionPriceFillModel().price(order("a", "buy"))).toBe(45_000);
    expect(decisionPriceFillModel().price(order("a", "sell", 123.45))).toBe(12_345);
  });

  it("moves the price against the trader: 20 bp on $450.00 buys at $450.90 and sells at $449.10", () => {
    const model = decisionPriceFillModel({ slippageBps: 20 });
    expect(model.price(order("a", "buy"))).toBe(45_090);
    expect(model.price(order("a", "sell"))).toBe(44_910);
  });

  it("draws noise per order within [slippage, slippage + noise], the same draw whatever the call order", () => {
    const options = { slippageBps: 10, noiseBps: 30, seed: "s1" };
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.constantFrom("buy" as const, "sell" as const),
        (id, side) => {
          const price = decisionPriceFillModel(options).price(order(id, side));
          const adverse = side === "buy" ? price - 45_000 : 45_000 - price;
          // 10 bp of $450 is 45 cents, 40 bp is 180 cents.
          expect(adverse).toBeGreaterThanOrEqual(45);
          expect(adverse).toBeLessThanOrEqual(180);
        },
      ),
      { numRuns: 100 },
    );
    const ids = Array.from({ length: 40 }, (_, i) => `order-${i}`);
    const forwards = decisionPriceFillModel(options);
    const backwards = decisionPriceFillModel(options);
    const prices = ids.map((id) => forwards.price(order(id, "buy")));
    const reversed = [...ids].reverse().map((id) => backwards.price(order(id, "buy")));
    expect(reversed.reverse()).toEqual(prices);
    expect(new Set(prices).size).toBeGreaterThan(20);
    const otherSeed = decisionPriceFillModel({ ...options, seed: "s2" });
    expect(ids.map((id) => otherSeed.price(order(id, "buy")))).not.toEqual(prices);
  });

  it("refuses bad options and prices, naming the input and the rule", () => {
    expect(() => decisionPriceFillModel({ slippageBps: -1 })).toThrow(
      /slippageBps must be a finite number ≥ 0/,
    );
    expect(() => decisionPriceFillModel({ noiseBps: Number.NaN })).toThrow(/noiseBps/);
    expect(() => decisionPriceFillModel({ slippageBps: 9_000, noiseBps: 1_000 })).toThrow(
      /below 10000/,
    );
    expect(() => decisionPriceFillModel().price(order("a", "buy", 0))).toThrow(
      /decisionPrice must be a positive/,
    );
    expect(() => decisionPriceFillModel().price(order("a", "buy", 0.001))).toThrow(
      /below one cent/,
    );
  });
});
