import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PositionView } from "../strategy/api.js";
import { DEFAULT_MONITOR_CONFIG, type MonitorConfigInput, parseMonitorConfig } from "./config.js";
import { evaluateMonitor, type MonitorInput } from "./evaluate.js";

const ON = parseMonitorConfig({ enabled: true });
const held = (
  symbol: string,
  quantity: number,
  averagePrice: number,
  strategy = "holder",
): PositionView => ({ symbol, quantity, averagePrice, strategy });

/** $100,000 at the session's start: 250 AAA and 250 BBB bought at $100, $50,000 cash. */
const account = (prices: Record<string, number>, overrides: Partial<MonitorInput> = {}) => ({
  positions: [held("AAA", 250, 100), held("BBB", 250, 100)],
  prices,
  sessionStartEquityCents: 10_000_000,
  cashCents: 5_000_000,
  ...overrides,
});

describe("the monitor's config (SPEC §17)", () => {
  it("defaults to the spec's numbers, off", () => {
    expect(DEFAULT_MONITOR_CONFIG).toEqual({
      enabled: false,
      stopLoss: 0.02,
      takeProfit: 0.05,
      portfolioStopLoss: 0.02,
      portfolioTakeProfit: 0.05,
      intervalMinutes: 1,
      maxPositions: 2,
      profiles: {},
    });
  });

  it.each<[MonitorConfigInput, RegExp]>([
    [{ stopLoss: 1.5 }, /monitor config is invalid[\s\S]*stopLoss/],
    [{ portfolioStopLoss: 0 }, /portfolioStopLoss/],
    [{ maxPositions: 0 }, /maxPositions/],
    [{ intervalMinutes: 0.5 }, /intervalMinutes/],
    [{ profiles: { holder: { takeProfit: -0.05 } } }, /profiles\.holder\.takeProfit/],
  ])("refuses %j, naming the field", (input, message) => {
    expect(() => parseMonitorConfig(input)).toThrow(message);
  });
});

describe("evaluateMonitor: per-position stop-loss and take-profit from the entry price", () => {
  it("a position 2% below its entry breaches the stop-loss and is the one exit", () => {
    const result = evaluateMonitor(account({ AAA: 98, BBB: 100.5 }), ON);
    expect(result.breaches).toEqual([
      { symbol: "AAA", scope: "position", kind: "stop_loss", move: -0.02, threshold: -0.02 },
    ]);
    expect(result.exits).toEqual([
      {
        symbol: "AAA",
        strategy: "holder",
        quantity: 250,
        scope: "position",
        kind: "stop_loss",
        move: -0.02,
        threshold: -0.02,
      },
    ]);
    // 250 × −$2 + 250 × $0.50 = −$375: the portfolio is down 0.375%, inside its limits.
    expect(result.equityCents).toBe(9_962_500);
    expect(result.portfolioMove).toBe(-0.00375);
  });

  it("1.99% below the entry is not yet a breach", () => {
    expect(evaluateMonitor(account({ AAA: 98.01, BBB: 100 }), ON).exits).toEqual([]);
  });

  it("a position 5% above its entry takes profit; 4.99% does not", () => {
    const result = evaluateMonitor(account({ AAA: 100, BBB: 105 }), ON);
    expect(result.exits).toMatchObject([
      { symbol: "BBB", kind: "take_profit", move: 0.05, threshold: 0.05 },
    ]);
    expect(evaluateMonitor(account({ AAA: 100, BBB: 104.99 }), ON).exits).toEqual([]);
  });

  it("a short loses as the price rises: 2% up is its stop-loss", () => {
    const result = evaluateMonitor(
      account({ AAA: 102 }, { positions: [held("AAA", -100, 100)], cashCents: 11_020_000 }),
      ON,
    );
    expect(result.exits).toMatchObject([
      { symbol: "AAA", quantity: -100, kind: "stop_loss", move: -0.02 },
    ]);
  });

  it("watches at most maxPositions positions, the largest first", () => {
    // CCC is the smallest and 3% down: outside the watch with the default 2.
    const input = account(
      { AAA: 100, BBB: 100, CCC: 97 },
      {
        positions: [held("AAA", 300, 100), held("BBB", 200, 100), held("CCC", 50, 100)],
        cashCents: 5_000_000,
      },
    );
    const two = evaluateMonitor(input, ON);
    expect(two.monitored).toEqual(["AAA", "BBB"]);
    expect(two.unmonitored).toEqual(["CCC"]);
    expect(two.exits).toEqual([]);
    const three = evaluateMonitor(input, parseMonitorConfig({ enabled: true, maxPositions: 3 }));
    expect(three.exits.map((exit) => exit.symbol)).toEqual(["CCC"]);
  });

  it("turned off, it sees nothing, whatever the prices", () => {
    const result = evaluateMonitor(account({ AAA: 80, BBB: 80 }), DEFAULT_MONITOR_CONFIG);
    expect(result).toMatchObject({ breaches: [], exits: [], monitored: [], portfolioMove: null });
  });
});

describe("evaluateMonitor: portfolio stop-loss and take-profit from the session's start", () => {
  /** Bought at $97, so a fall to $96 is only −1.03% per position. */
  const boughtLow = (price: number, cashCents: number) => ({
    positions: [held("AAA", 250, 97), held("BBB", 250, 97), held("CCC", 10, 10)],
    prices: { AAA: price, BBB: price, CCC: 10 },
    sessionStartEquityCents: 10_000_000,
    cashCents,
  });

  it("equity 2% below the session's start exits every watched position, beyond maxPositions too", () => {
    // $49,900 cash + 500 × $96 + 10 × $10 = $98,000: −2% from $100,000.
    const result = evaluateMonitor(boughtLow(96, 4_990_000), ON);
    expect(result.portfolioMove).toBe(-0.02);
    expect(result.breaches).toEqual([
      { symbol: "portfolio", scope: "portfolio", kind: "stop_loss", move: -0.02, threshold: -0.02 },
    ]);
    expect(result.exits.map(({ symbol, quantity, scope }) => [symbol, quantity, scope])).toEqual([
      ["AAA", 250, "portfolio"],
      ["BBB", 250, "portfolio"],
      ["CCC", 10, "portfolio"],
    ]);
  });

  it("just above −2% nothing exits", () => {
    expect(evaluateMonitor(boughtLow(96, 4_990_100), ON).exits).toEqual([]);
  });

  it("equity 5% above the session's start takes profit on everything", () => {
    // Bought at $103, so $105 is +1.94% per position; $52,400 + 500 × $105 + $100 = $105,000.
    const result = evaluateMonitor(
      {
        positions: [held("AAA", 250, 103), held("BBB", 250, 103), held("CCC", 10, 10)],
        prices: { AAA: 105, BBB: 105, CCC: 10 },
        sessionStartEquityCents: 10_000_000,
        cashCents: 5_240_000,
      },
      ON,
    );
    expect(result.portfolioMove).toBe(0.05);
    expect(result.breaches).toEqual([
      { symbol: "portfolio", scope: "portfolio", kind: "take_profit", move: 0.05, threshold: 0.05 },
    ]);
    expect(result.exits.map((exit) => exit.symbol)).toEqual(["AAA", "BBB", "CCC"]);
  });
});

describe("evaluateMonitor: per strategy profile", () => {
  const twoOwners = account(
    { AAA: 97, BBB: 97 },
    { positions: [held("AAA", 250, 100, "alpha"), held("BBB", 250, 100, "beta")] },
  );

  it("watches only the strategies whose monitor is on", () => {
    const config = parseMonitorConfig({ profiles: { alpha: { enabled: true } } });
    const result = evaluateMonitor(twoOwners, config);
    expect(result.monitored).toEqual(["AAA"]);
    expect(result.exits.map((exit) => [exit.symbol, exit.strategy])).toEqual([["AAA", "alpha"]]);
  });

  it("a profile's own stop-loss replaces the account's", () => {
    const config = parseMonitorConfig({ enabled: true, profiles: { beta: { stopLoss: 0.05 } } });
    expect(evaluateMonitor(twoOwners, config).exits.map((exit) => exit.symbol)).toEqual(["AAA"]);
  });

  it("a portfolio breach exits only the watched strategies' positions", () => {
    const config = parseMonitorConfig({ profiles: { alpha: { enabled: true } } });
    const result = evaluateMonitor(
      { ...twoOwners, prices: { AAA: 99, BBB: 90 }, sessionStartEquityCents: 10_100_000 },
      config,
    );
    expect(result.breaches).toMatchObject([{ symbol: "portfolio", kind: "stop_loss" }]);
    expect(result.exits.map((exit) => exit.symbol)).toEqual(["AAA"]);
  });
});

describe("evaluateMonitor: bad input names the input and the rule", () => {
  it.each<[Partial<MonitorInput>, RegExp]>([
    [{ prices: { AAA: Number.NaN } }, /monitor: prices\.AAA must be a finite price > 0, got NaN/],
    [{ sessionStartEquityCents: 0 }, /sessionStartEquityCents must be > 0/],
    [{ cashCents: 1.5 }, /cashCents must be a whole number of cents/],
    [{ positions: [held("AAA", 2.5, 100)] }, /positions\[0\] \(AAA\)\.quantity must be a whole/],
    [{ positions: [held("AAA", 10, 0)] }, /positions\[0\] \(AAA\)\.averagePrice must be a finite/],
    [{ positions: [held("AAA", 1, 100), held("AAA", 1, 100)] }, /holder holds AAA twice/],
  ])("%j", (overrides, message) => {
    expect(() => evaluateMonitor(account({ AAA: 100 }, overrides), ON)).toThrow(message);
  });

  it("a closed position (quantity 0, entry price 0) is skipped, not an error", () => {
    const input = account({ AAA: 100 }, { positions: [held("AAA", 0, 0)] });
    expect(evaluateMonitor(input, ON).monitored).toEqual([]);
  });

  it("a position without a price is not judged alone and counts at its entry price", () => {
    const result = evaluateMonitor(account({ AAA: 98 }), ON);
    expect(result.unpriced).toEqual(["BBB"]);
    expect(result.monitored).toEqual(["AAA"]);
    expect(result.equityCents).toBe(9_950_000);
  });
});

describe("evaluateMonitor: properties", () => {
  const position = fc.record({
    symbol: fc.constantFrom("AAA", "BBB", "CCC", "DDD"),
    quantity: fc.integer({ min: -500, max: 500 }),
    averagePrice: fc.integer({ min: 1_000, max: 50_000 }).map((cents) => cents / 100),
    strategy: fc.constantFrom("alpha", "beta"),
  });
  const scenario = fc.record({
    positions: fc.uniqueArray(position, {
      selector: (p) => `${p.strategy}/${p.symbol}`,
      maxLength: 6,
    }),
    moves: fc.dictionary(
      fc.constantFrom("AAA", "BBB", "CCC", "DDD"),
      fc.integer({ min: -1_000, max: 1_000 }),
    ),
    cashCents: fc.integer({ min: 0, max: 20_000_000 }),
    startCents: fc.integer({ min: 1_000_000, max: 30_000_000 }),
    maxPositions: fc.integer({ min: 1, max: 4 }),
  });

  it("every exit is a distinct watched position called for by a recorded breach", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const prices: Record<string, number> = {};
        for (const p of s.positions) {
          const basisPoints = s.moves[p.symbol] ?? 0;
          prices[p.symbol] = Math.max(
            0.01,
            Math.round(p.averagePrice * (100 + basisPoints / 100)) / 100,
          );
        }
        const config = parseMonitorConfig({ enabled: true, maxPositions: s.maxPositions });
        const result = evaluateMonitor(
          {
            positions: s.positions,
            prices,
            sessionStartEquityCents: s.startCents,
            cashCents: s.cashCents,
          },
          config,
        );
        const keys = result.exits.map((exit) => `${exit.strategy}/${exit.symbol}`);
        expect(new Set(keys).size).toBe(keys.length);
        expect(result.monitored.length).toBeLessThanOrEqual(s.maxPositions);
        const open = s.positions.filter((p) => p.quantity !== 0);
        const portfolio = result.breaches.find((breach) => breach.scope === "portfolio");
        if (portfolio) {
          expect(result.exits).toHaveLength(open.length);
        } else {
          for (const exit of result.exits) {
            expect(result.monitored).toContain(exit.symbol);
            expect(result.breaches.map((breach) => breach.symbol)).toContain(exit.symbol);
          }
        }
        if (result.breaches.length === 0) expect(result.exits).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
