import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fold } from "../decider/decider.js";
import { createKillSwitch } from "../safety/kill-switch/decider.js";
import type { KillSwitchEvent } from "../safety/kill-switch/events.js";
import type { SafetySnapshot } from "../safety/precedence/precedence.js";
import { createTradingBreaker } from "../safety/trading-breaker/decider.js";
import { DEFAULT_RISK_LIMITS, parseRiskConfig, type RiskLimits, riskLimitsFor } from "./config.js";
import type { RiskGateInput } from "./gates.js";
import {
  applyOrders,
  type PortfolioOrder,
  type RiskHolding,
  type RiskPortfolio,
} from "./portfolio.js";
import { RISK_GATE_ORDER, runRiskGates } from "./run-risk-gates.js";

const killSwitch = createKillSwitch();
const SAFE: SafetySnapshot = {
  killSwitch: killSwitch.initialState,
  tradingBreaker: createTradingBreaker().initialState,
  governor: { status: "NORMAL" },
};
const SYMBOLS = [
  "QQQ",
  "TQQQ",
  "TMF",
  "TMV",
  "TLT",
  "SPY",
  "IWM",
  "GLD",
  "SLV",
  "XLE",
  "XLF",
  "XLK",
];
/** Quiet markets: ±0.5% days, 1% daily σ, so only the gate under test can fail. */
const QUIET_RETURNS = Object.fromEntries(
  SYMBOLS.map((s) => [s, Array.from({ length: 250 }, (_, d) => (d % 2 === 0 ? 0.005 : -0.005))]),
);
const QUIET_VOL = Object.fromEntries(SYMBOLS.map((s) => [s, 0.01]));

const hold = (symbol: string, quantity: number, price = 100, strategy = "alpha"): RiskHolding => ({
  symbol,
  strategy,
  quantity,
  price,
});
const buy = (symbol: string, quantity: number, expectedPrice = 100): PortfolioOrder => ({
  symbol,
  side: "buy",
  quantity,
  expectedPrice,
});
const sell = (symbol: string, quantity: number, expectedPrice = 100): PortfolioOrder => ({
  symbol,
  side: "sell",
  quantity,
  expectedPrice,
});

interface Case {
  readonly current: RiskPortfolio;
  readonly order: PortfolioOrder;
  readonly strategy?: string;
  readonly limits?: Partial<RiskLimits>;
  readonly input?: Partial<RiskGateInput>;
}
function judge({ current, order, strategy = "alpha", limits = {}, input = {} }: Case) {
  const gateInput: RiskGateInput = {
    strategy,
    symbol: order.symbol,
    confidence: 0.9,
    current,
    proposed: applyOrders(current, strategy, [order]),
    dayStartEquityCents: 10_000_000,
    dailyVolatility: QUIET_VOL,
    dailyReturns: QUIET_RETURNS,
    safety: SAFE,
    ...input,
  };
  return runRiskGates(gateInput, { ...DEFAULT_RISK_LIMITS, ...limits });
}
const codeOf = (result: ReturnType<typeof runRiskGates>) => (result.pass ? null : result.code);
/** $100,000 of cash, nothing held. */
const CASH_ONLY: RiskPortfolio = { cashCents: 10_000_000, holdings: [] };

describe("risk gates, one at a time (SPEC §9)", () => {
  it("passes an ordinary 20% entry", () => {
    const result = judge({ current: CASH_ONLY, order: buy("QQQ", 200) });
    expect(result.pass).toBe(true);
    expect(result.risk).toBe("risk_increasing");
    expect(result.gates.map((g) => g.gate)).toEqual(RISK_GATE_ORDER);
  });

  it("per symbol: 34% of TQQQ > 30%", () => {
    const result = judge({ current: CASH_ONLY, order: buy("TQQQ", 340) });
    expect(result).toMatchObject({
      pass: false,
      gate: "position_limit_symbol",
      code: "position_limit_symbol",
      message: "TQQQ weight 34% > per-symbol limit 30%",
      detail: { symbol: "TQQQ", weight: 0.34, limit: 0.3 },
    });
    // exactly at the limit passes
    expect(codeOf(judge({ current: CASH_ONLY, order: buy("TQQQ", 300) }))).toBeNull();
  });

  it("per symbol counts every strategy's holding of the symbol", () => {
    const current = { cashCents: 8_000_000, holdings: [hold("TQQQ", 200, 100, "beta")] };
    expect(codeOf(judge({ current, order: buy("TQQQ", 150) }))).toBe("position_limit_symbol");
  });

  it("per strategy: 30% + 30% + 5% = 65% > 60%", () => {
    const current = { cashCents: 4_000_000, holdings: [hold("QQQ", 300), hold("TLT", 300)] };
    const result = judge({ current, order: buy("GLD", 50) });
    expect(result).toMatchObject({
      code: "position_limit_strategy",
      message: "strategy alpha weight 65% > per-strategy limit 60%",
    });
    // the same entry by another strategy is not alpha's exposure
    expect(codeOf(judge({ current, order: buy("GLD", 50), strategy: "beta" }))).toBeNull();
  });

  it("portfolio: 92% invested across strategies > 90%", () => {
    const current = {
      cashCents: 1_000_000,
      holdings: [
        hold("QQQ", 300, 100, "a"),
        hold("TLT", 300, 100, "b"),
        hold("GLD", 300, 100, "c"),
      ],
    };
    expect(judge({ current, order: buy("SLV", 20), strategy: "d" })).toMatchObject({
      code: "position_limit_portfolio",
      message: "portfolio invested 92% > portfolio limit 90%",
    });
  });

  it("count: an 11th position > 10", () => {
    const holdings = SYMBOLS.slice(0, 10).map((s, i) => hold(s, 10, 100, `s${i}`));
    const current = { cashCents: 9_000_000, holdings };
    const result = judge({ current, order: buy("XLK", 10), strategy: "new" });
    expect(result).toMatchObject({
      code: "position_limit_count",
      message: "11 positions > limit 10",
    });
    // adding to a held symbol is not a new position
    expect(codeOf(judge({ current, order: buy("QQQ", 10), strategy: "s0" }))).toBeNull();
  });

  it("heat: three 25% positions at 4% daily σ (63.5% a year) is heat 47.6% > 30%", () => {
    const current = {
      cashCents: 5_000_000,
      holdings: [hold("TQQQ", 250, 100, "a"), hold("TMF", 250, 100, "b")],
    };
    const dailyVolatility = { ...QUIET_VOL, TQQQ: 0.04, TMF: 0.04, TMV: 0.04 };
    const result = judge({
      current,
      order: buy("TMV", 250),
      strategy: "c",
      input: { dailyVolatility },
      limits: { maxDailyVolatility: 0.05 },
    });
    expect(result).toMatchObject({
      code: "portfolio_heat_exceeded",
      message: "portfolio heat 47.62% > limit 30%",
    });
  });

  it("daily loss: −2% today blocks new entries; −1.99% does not", () => {
    const current = { cashCents: 9_800_000, holdings: [] };
    const down2 = judge({ current, order: buy("QQQ", 10) });
    expect(down2).toMatchObject({
      code: "daily_loss_limit",
      message:
        "equity -2% today ($100,000.00 → $98,000.00) ≤ daily loss limit -2%: new entries blocked for the day",
    });
    const down199 = { cashCents: 9_801_000, holdings: [] };
    expect(codeOf(judge({ current: down199, order: buy("QQQ", 10) }))).toBeNull();
  });

  it("leverage: gross 2.1× > 2.0× on margin, when a profile lifts the allocation limits", () => {
    const current = { cashCents: -10_000_000, holdings: [hold("SPY", 2000)] };
    const result = judge({
      current,
      order: buy("SPY", 100),
      limits: {
        maxSymbolWeight: 3,
        maxStrategyWeight: 3,
        maxPortfolioWeight: 3,
        maxPortfolioHeat: 1,
        minCashFraction: 0,
      },
      input: { buyingPowerCents: 5_000_000, dayStartEquityCents: 10_000_000 },
    });
    expect(result).toMatchObject({
      code: "leverage",
      message: "gross leverage 2.10× > limit 2.00×",
    });
  });

  it("min cash: 96% invested leaves 4% < 5%", () => {
    const result = judge({
      current: CASH_ONLY,
      order: buy("QQQ", 960),
      limits: { maxSymbolWeight: 1, maxStrategyWeight: 1, maxPortfolioWeight: 1 },
    });
    expect(result).toMatchObject({
      code: "min_cash",
      message: "cash after the trade $4,000.00 is 4% of equity < minimum 5%",
    });
  });

  it("buying power: a $28,000 buy with $29,000 of buying power uses > 95%", () => {
    const result = judge({
      current: CASH_ONLY,
      order: buy("QQQ", 280),
      input: { buyingPowerCents: 2_900_000 },
    });
    expect(result).toMatchObject({
      code: "insufficient_buying_power",
      message: "order needs $28,000.00 > 95% of buying power $29,000.00 ($27,550.00)",
    });
  });

  it("VaR: 5 crash days of −20% in 100 make the 95% VaR of a 30% position 6% > 5%", () => {
    const crash = Array.from({ length: 100 }, (_, d) => (d < 5 ? -0.2 : 0.01));
    const result = judge({
      current: CASH_ONLY,
      order: buy("TQQQ", 300),
      input: { dailyReturns: { ...QUIET_RETURNS, TQQQ: crash } },
    });
    expect(result).toMatchObject({
      code: "var_limit",
      message: "1-day 95% VaR $6,000.00 is 6% of equity > limit 5%",
      detail: { observations: 100, rank: 5 },
    });
    // with 4 crash days the 5th worst day is a gain: VaR 0
    const fourCrashes = crash.map((r, d) => (d === 4 ? 0.01 : r));
    const calmer = judge({
      current: CASH_ONLY,
      order: buy("TQQQ", 300),
      input: { dailyReturns: { ...QUIET_RETURNS, TQQQ: fourCrashes } },
    });
    expect(codeOf(calmer)).toBeNull();
  });

  it("VaR needs enough aligned history", () => {
    const result = judge({
      current: CASH_ONLY,
      order: buy("QQQ", 100),
      input: { dailyReturns: { QQQ: [0.01, -0.01] } },
    });
    expect(result).toMatchObject({
      code: "var_insufficient_history",
      message: "only 2 aligned daily returns for VaR < minimum 20",
    });
  });

  it("volatility/confidence: daily σ 6% > 5% needs confidence ≥ 0.8", () => {
    const dailyVolatility = { ...QUIET_VOL, TQQQ: 0.06 };
    const at = (confidence: number) =>
      judge({
        current: CASH_ONLY,
        order: buy("TQQQ", 10),
        input: { dailyVolatility, confidence },
      });
    expect(at(0.7)).toMatchObject({
      code: "low_confidence_high_volatility",
      message: "TQQQ daily volatility 6% > 5% and confidence 0.7 < 0.8",
    });
    expect(codeOf(at(0.8))).toBeNull();
    const calm = judge({
      current: CASH_ONLY,
      order: buy("TQQQ", 10),
      input: { dailyVolatility: { ...QUIET_VOL, TQQQ: 0.05 }, confidence: 0.1 },
    });
    expect(codeOf(calm)).toBeNull();
  });
});

describe("runRiskGates: order, precedence and exits", () => {
  it("returns the first failure in the documented order and every verdict for the audit", () => {
    // 96% in one symbol breaks the symbol, strategy, portfolio, min-cash and buying-power limits
    const result = judge({ current: CASH_ONLY, order: buy("QQQ", 960) });
    expect(codeOf(result)).toBe("position_limit_symbol");
    const failed = result.gates.flatMap((g) => ("verdict" in g && !g.verdict.pass ? [g.gate] : []));
    expect(failed).toEqual([
      "position_limit_symbol",
      "position_limit_strategy",
      "position_limit_portfolio",
      "min_cash",
      "buying_power",
    ]);
  });

  it("the safety layers come first: HALT wins over a breached limit, with the governor's words", () => {
    const result = judge({
      current: CASH_ONLY,
      order: buy("TQQQ", 340),
      input: {
        safety: {
          ...SAFE,
          governor: {
            status: "HALT",
            detail: { since: "2026-11-12", drawdown: 0.084, cooldownEndsOn: "2026-11-26" },
          },
        },
      },
    });
    expect(result).toMatchObject({
      gate: "safety",
      code: "drawdown_halt",
      message:
        "HALT since 2026-11-12: drawdown 8.4%; cooldown ends 2026-11-26: new entries blocked",
    });
  });

  const overLimits: RiskPortfolio = {
    cashCents: -1_000_000,
    holdings: [hold("TQQQ", 600), hold("TMF", 500)],
  };
  it("an exit is never blocked by entry limits, even from an account past every limit", () => {
    const result = judge({
      current: overLimits,
      order: sell("TQQQ", 100),
      input: {
        dayStartEquityCents: 20_000_000,
        safety: { ...SAFE, governor: { status: "PANIC" } },
      },
    });
    expect(result.pass).toBe(true);
    expect(result.risk).toBe("risk_reducing");
    expect(result.gates.filter((g) => "verdict" in g).map((g) => g.gate)).toEqual(["safety"]);
  });

  it("a kill at level `all` stops even an exit", () => {
    const killAll: KillSwitchEvent = {
      type: "KillSwitchActivated",
      data: {
        killId: "global/manual:cli",
        scope: { kind: "global" },
        cause: "manual",
        source: "cli",
        level: "all",
        operator: "ana",
        reason: "broker outage",
        evidence: {},
        at: "2026-11-12T20:50:00Z",
      },
    };
    const result = judge({
      current: overLimits,
      order: sell("TQQQ", 100),
      input: { safety: { ...SAFE, killSwitch: fold(killSwitch, [killAll]) } },
    });
    expect(codeOf(result)).toBe("kill_switch");
  });

  it("selling through zero into a short is risk-increasing", () => {
    const current = { cashCents: 9_000_000, holdings: [hold("SPY", 100)] };
    const result = judge({ current, order: sell("SPY", 150) });
    expect(result.risk).toBe("risk_increasing");
  });

  it("uses the strategy's profile: the reference strategy may hold 95% of TQQQ", () => {
    const config = parseRiskConfig({
      profiles: { "v3.5b": { maxSymbolWeight: 1, maxStrategyWeight: 1, maxPortfolioWeight: 1 } },
    });
    const input: RiskGateInput = {
      strategy: "v3.5b",
      symbol: "TQQQ",
      confidence: 0.9,
      current: CASH_ONLY,
      proposed: applyOrders(CASH_ONLY, "v3.5b", [buy("TQQQ", 950)]),
      dayStartEquityCents: 10_000_000,
      dailyVolatility: QUIET_VOL,
      dailyReturns: QUIET_RETURNS,
      safety: SAFE,
    };
    expect(runRiskGates(input, riskLimitsFor(config, "v3.5b")).pass).toBe(true);
    expect(codeOf(runRiskGates(input, riskLimitsFor(config, "alpha")))).toBe(
      "position_limit_symbol",
    );
  });

  it("every result stops at most once, at the first failing gate", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SYMBOLS),
        fc.integer({ min: 1, max: 2000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (symbol, quantity, confidence) => {
          const result = judge({
            current: CASH_ONLY,
            order: buy(symbol, quantity),
            input: { confidence },
          });
          const failures = result.gates.flatMap((g) =>
            "verdict" in g && !g.verdict.pass ? [g.gate] : [],
          );
          expect(result.pass).toBe(failures.length === 0);
          if (!result.pass) expect(result.gate).toBe(failures[0]);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("bad input names the input and the rule", () => {
  it("refuses a NaN price, a missing volatility and an out-of-range confidence", () => {
    const badPrice = { cashCents: 0, holdings: [hold("QQQ", 1, Number.NaN)] };
    expect(() => judge({ current: badPrice, order: sell("QQQ", 1) })).toThrow(
      "current.holdings[0] (QQQ).price must be a finite price > 0, got NaN",
    );
    expect(() =>
      judge({ current: CASH_ONLY, order: buy("QQQ", 1), input: { dailyVolatility: {} } }),
    ).toThrow("dailyVolatility has no entry for symbol QQQ");
    expect(() =>
      judge({ current: CASH_ONLY, order: buy("QQQ", 1), input: { confidence: 1.5 } }),
    ).toThrow("confidence must be a fraction between 0 and 1, got 1.5");
  });

  it("refuses fractional shares in an order", () => {
    expect(() => applyOrders(CASH_ONLY, "alpha", [buy("QQQ", 1.5)])).toThrow(
      "orders[0] (QQQ).quantity must be a whole number of shares, got 1.5",
    );
  });
});
