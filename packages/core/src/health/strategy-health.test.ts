import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dateOfEpochDay, epochDay } from "../calendar/trading-calendar.js";
import { DEFAULT_HEALTH_CONFIG, parseHealthConfig } from "./config.js";
import {
  type ClosedTrade,
  type FunnelDay,
  healthStatus,
  type StrategyHealthInput,
  strategyHealth,
} from "./strategy-health.js";

const AS_OF = "2026-11-30";
const daysBefore = (n: number) => dateOfEpochDay(epochDay(AS_OF) - n);
/** Trades one a day going back from AS_OF, in dollars. */
const tradesOf = (dollars: readonly number[]): ClosedTrade[] =>
  dollars.map((pnl, i) => ({ closedOn: daysBefore(dollars.length - 1 - i), pnlCents: pnl * 100 }));
const funnelOf = (signals: number, rejections: number): FunnelDay[] => [
  { date: AS_OF, signals, rejections },
];
const input = (overrides: Partial<StrategyHealthInput>): StrategyHealthInput => ({
  strategy: "v3.5b",
  asOf: AS_OF,
  capitalCents: 10_000_000,
  trades: [],
  funnel: [],
  ...overrides,
});

describe("strategy health (SPEC §11)", () => {
  it("scores a healthy strategy: 30 activity + 30 expectancy + 15 rejection + 19.4 drawdown = 94", () => {
    const health = strategyHealth(
      input({
        trades: tradesOf([500, 300, -200, 400, -100, 600, -300, 200, 100, -100]),
        funnel: funnelOf(40, 8),
      }),
    );
    expect(health).toMatchObject({
      status: "HEALTHY",
      score: 94,
      message: "v3.5b: HEALTHY (94/100)",
      long: {
        trades: 10,
        signals: 40,
        rejections: 8,
        rejectionRate: 0.2,
        netPnlCents: 140_000,
        expectancyCents: 14_000,
        winRate: 0.6,
        averageWinCents: 35_000,
        averageLossCents: -17_500,
        profitFactor: 3,
        maxDrawdownCents: 30_000,
        maxDrawdown: 0.003,
      },
    });
    if (health.score === null) return;
    expect(health.components).toEqual({
      activity: 30,
      expectancy: 30,
      rejectionRate: 15,
      drawdown: expect.closeTo(19.4, 9),
    });
  });

  it("a WARNING: 6 trades (18) + profit factor 1.25 (15) + 20% rejections (15) + 2% drawdown (16) = 64", () => {
    const health = strategyHealth(
      input({
        capitalCents: 2_000_000,
        trades: tradesOf([250, 250, -100, -100, -100, -100]),
        funnel: funnelOf(30, 6),
      }),
    );
    expect(health).toMatchObject({ status: "WARNING", score: 64 });
    if (health.score === null) return;
    expect(health.findings).toEqual([
      "6 trades in 30 days (full activity at 10)",
      "profit factor 1.25 < 1.50",
      "max drawdown 2% of capital (no points at 10%)",
    ]);
  });

  it("CRITICAL: losing money with most signals rejected and a deep drawdown", () => {
    const health = strategyHealth(
      input({
        trades: tradesOf([100, -3000, -2000, 50, -1000, -850]),
        funnel: funnelOf(20, 17),
      }),
    );
    // activity 18, expectancy 0, rejection 0 (85% ≥ 80%), drawdown $6,800 of $100,000:
    // 20 × (1 − 6.8% / 10%) = 6.4; 24.4 rounds to 24
    expect(health).toMatchObject({ status: "CRITICAL", score: 24 });
    if (health.score === null) return;
    expect(health.findings).toContain("expectancy -$1,116.67 per trade ≤ minimum $0.00");
    expect(health.findings).toContain("rejection rate 85% ≥ max 80%");
  });

  it("needs at least 5 trades in the 30-day window to score", () => {
    const health = strategyHealth(input({ trades: tradesOf([100, 100, 100, 100]) }));
    expect(health).toMatchObject({
      status: "INSUFFICIENT_DATA",
      score: null,
      message: "v3.5b: insufficient data, 4 trades in 30 days < 5 needed to score",
    });
  });

  it("windows are calendar days ending on asOf: 7 days and 30 days, later dates ignored", () => {
    const trades: ClosedTrade[] = [
      { closedOn: daysBefore(0), pnlCents: 100 },
      { closedOn: daysBefore(6), pnlCents: 100 },
      { closedOn: daysBefore(7), pnlCents: 100 },
      { closedOn: daysBefore(29), pnlCents: 100 },
      { closedOn: daysBefore(30), pnlCents: 100 },
      { closedOn: "2026-12-01", pnlCents: 100 },
    ];
    const funnel: FunnelDay[] = [
      { date: daysBefore(3), signals: 4, rejections: 1 },
      { date: daysBefore(20), signals: 6, rejections: 5 },
    ];
    const health = strategyHealth(input({ trades, funnel }));
    expect(health.short).toMatchObject({ from: "2026-11-24", to: AS_OF, trades: 2, signals: 4 });
    expect(health.long).toMatchObject({
      from: "2026-11-01",
      trades: 4,
      signals: 10,
      rejections: 6,
    });
    expect(health.short.rejectionRate).toBe(0.25);
  });

  it("status thresholds: 80 HEALTHY, 79 WARNING, 60 WARNING, 59 DEGRADED, 40 DEGRADED, 39 CRITICAL", () => {
    expect([80, 79, 60, 59, 40, 39].map((score) => healthStatus(score))).toEqual([
      "HEALTHY",
      "WARNING",
      "WARNING",
      "DEGRADED",
      "DEGRADED",
      "CRITICAL",
    ]);
  });

  it("the score is a whole number in 0..100 whose status matches the thresholds", () => {
    const pnl = fc.integer({ min: -500_000, max: 500_000 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), pnl), { minLength: 0, maxLength: 40 }),
        fc.array(
          fc.tuple(fc.integer({ min: 0, max: 40 }), fc.nat({ max: 20 }), fc.nat({ max: 20 })),
          { maxLength: 30 },
        ),
        (rawTrades, rawFunnel) => {
          const health = strategyHealth(
            input({
              trades: rawTrades.map(([ago, pnlCents]) => ({ closedOn: daysBefore(ago), pnlCents })),
              funnel: rawFunnel.map(([ago, signals, extra]) => ({
                date: daysBefore(ago),
                signals: signals + extra,
                rejections: extra,
              })),
            }),
          );
          if (health.score === null) {
            expect(health.long.trades).toBeLessThan(DEFAULT_HEALTH_CONFIG.minTrades);
            return;
          }
          expect(Number.isInteger(health.score)).toBe(true);
          expect(health.score).toBeGreaterThanOrEqual(0);
          expect(health.score).toBeLessThanOrEqual(100);
          expect(health.status).toBe(healthStatus(health.score));
        },
      ),
    );
  });

  it("checks its config and refuses bad input, naming it", () => {
    expect(() => parseHealthConfig({ points: { activity: 40 } })).toThrow(
      /points must add up to 100, got 110/,
    );
    expect(() => parseHealthConfig({ shortWindowDays: 30 })).toThrow(/shortWindowDays \(30\)/);
    expect(() => strategyHealth(input({ trades: [{ closedOn: AS_OF, pnlCents: 1.5 }] }))).toThrow(
      "money: trades[0].pnlCents must be a whole number of cents, got 1.5",
    );
    expect(() =>
      strategyHealth(input({ trades: [{ closedOn: "2026-02-30", pnlCents: 1 }] })),
    ).toThrow('date "2026-02-30" does not exist');
    expect(() =>
      strategyHealth(input({ funnel: [{ date: AS_OF, signals: -1, rejections: 0 }] })),
    ).toThrow("funnel[0].signals must be a whole number ≥ 0, got -1");
  });
});
