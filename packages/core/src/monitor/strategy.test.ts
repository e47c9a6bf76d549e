import { describe, expect, it } from "vitest";
import type { DomainEvent } from "../events/envelope.js";
import type { Quote } from "../market/bars.js";
import { barsFromCloses } from "../market/testing.js";
import { type PipelineInputs, runPipeline } from "../pipeline/run-pipeline.js";
import { createKillSwitch } from "../safety/kill-switch/decider.js";
import type { KillLevel } from "../safety/kill-switch/index.js";
import { SAFETY_AT_REST } from "../safety/precedence/at-rest.js";
import type { PositionView } from "../strategy/api.js";
import { parseMonitorConfig } from "./config.js";
import { createMonitorStrategy } from "./strategy.js";

const TRADING_DATE = "2026-11-20";
const AT = "2026-11-20T15:01:00.000Z";
const ON = parseMonitorConfig({ enabled: true });
const flat = barsFromCloses(
  Array.from({ length: 300 }, () => 100),
  { to: "2026-11-19" },
);
const history = { AAA: flat, BBB: flat };
const quotes = (prices: Record<string, number>): Quote[] =>
  Object.entries(prices).map(([symbol, last]) => ({ symbol, at: AT, last, source: "primary" }));
const held = (symbol: string, strategy = "holder"): PositionView => ({
  symbol,
  quantity: 250,
  averagePrice: 100,
  strategy,
});

/** $100,000 at the session's start: 250 AAA and 250 BBB bought at $100, $50,000 cash. */
const inputs = (prices: Record<string, number>, overrides: Partial<PipelineInputs> = {}) => ({
  runId: `paper:acct-1:${TRADING_DATE}:monitor-1501`,
  mode: "paper" as const,
  tradingDate: TRADING_DATE,
  at: AT,
  history,
  quotes: quotes(prices),
  account: {
    cashCents: 5_000_000,
    positions: [held("AAA"), held("BBB")],
    dayStartEquityCents: 10_000_000,
  },
  safety: SAFETY_AT_REST,
  sizingMultiplier: 1,
  ...overrides,
});

const monitor = (strategy = "holder", exitsInFlight: string[] = []) =>
  createMonitorStrategy({
    strategy,
    config: ON,
    sessionStartEquityCents: 10_000_000,
    universe: ["AAA", "BBB"],
    exitsInFlight,
  });

const ofType = (events: readonly DomainEvent[], type: string) =>
  events
    .filter((event) => event.type === type)
    .map((event) => event.data as Record<string, unknown>);

const killed = (level: KillLevel) => {
  const decision = createKillSwitch().decide(
    {
      type: "ActivateKill",
      scope: { kind: "global" },
      level,
      source: "cli",
      operator: "ops",
      reason: "test",
      at: AT,
    },
    SAFETY_AT_REST.killSwitch,
  );
  if (!decision.ok) throw new Error("kill refused");
  return decision.events.reduce(
    (state, event) => createKillSwitch().evolve(state, event),
    SAFETY_AT_REST.killSwitch,
  );
};

describe("the monitor strategy through the pipeline (SPEC §17)", () => {
  it("a position 2% below its entry becomes exactly one sell intent, for all its shares", () => {
    const { events, orders } = runPipeline([monitor()], inputs({ AAA: 98, BBB: 100.5 }));
    expect(
      orders.map(({ symbol, side, quantity, expectedPrice, strategy }) => [
        symbol,
        side,
        quantity,
        expectedPrice,
        strategy,
      ]),
    ).toEqual([["AAA", "sell", 250, 98, "holder"]]);
    expect(ofType(events, "IntentCreated")).toHaveLength(1);
    expect(ofType(events, "StrategyDecided")).toEqual([
      { strategy: "holder", regime: "monitor_stop_loss", signals: 1 },
    ]);
    expect(ofType(events, "SignalRaised")).toMatchObject([
      { symbol: "AAA", intent: { kind: "target_weight", weight: 0 }, regime: "monitor_stop_loss" },
    ]);
  });

  it("within the limits it raises nothing", () => {
    const { events, orders } = runPipeline([monitor()], inputs({ AAA: 98.5, BBB: 104 }));
    expect(orders).toEqual([]);
    expect(ofType(events, "StrategyDecided")).toEqual([
      { strategy: "holder", regime: "monitor_within_limits", signals: 0 },
    ]);
  });

  it("5% above the entry takes profit", () => {
    const { orders, events } = runPipeline([monitor()], inputs({ AAA: 100, BBB: 105 }));
    expect(orders.map((order) => [order.symbol, order.side, order.quantity])).toEqual([
      ["BBB", "sell", 250],
    ]);
    expect(ofType(events, "SignalRaised")).toMatchObject([{ regime: "monitor_take_profit" }]);
  });

  it("the portfolio 2% below the session's start sells everything", () => {
    // 500 × $96 + $50,000 = $98,000 against $100,000; each position is −4% too, but the
    // portfolio breach is the one named.
    const { orders, events } = runPipeline([monitor()], inputs({ AAA: 96, BBB: 96 }));
    expect(orders.map((order) => [order.symbol, order.side, order.quantity])).toEqual([
      ["AAA", "sell", 250],
      ["BBB", "sell", 250],
    ]);
    expect(ofType(events, "StrategyDecided")).toMatchObject([
      { regime: "monitor_portfolio_stop_loss", signals: 2 },
    ]);
  });

  it("under a kill at level `entries` the exit still goes through; at `all` it is stopped", () => {
    const entries = runPipeline(
      [monitor()],
      inputs(
        { AAA: 98, BBB: 100 },
        { safety: { ...SAFETY_AT_REST, killSwitch: killed("entries") } },
      ),
    );
    expect(entries.orders.map((order) => [order.symbol, order.side])).toEqual([["AAA", "sell"]]);

    const all = runPipeline(
      [monitor()],
      inputs({ AAA: 98, BBB: 100 }, { safety: { ...SAFETY_AT_REST, killSwitch: killed("all") } }),
    );
    expect(all.orders).toEqual([]);
    expect(ofType(all.events, "SignalStopped")).toMatchObject([
      { symbol: "AAA", stage: "RISK", code: "kill_switch" },
    ]);
  });

  it("a position whose sell is still open is not sold again", () => {
    const { orders, events } = runPipeline(
      [monitor("holder", ["AAA"])],
      inputs({ AAA: 97, BBB: 100 }),
    );
    expect(orders).toEqual([]);
    expect(ofType(events, "StrategyDecided")).toMatchObject([
      { regime: "monitor_exit_in_flight", signals: 0 },
    ]);
  });

  it("sells each strategy's own positions under its name, and a later one is not fooled by the cash an earlier one freed", () => {
    const account = {
      cashCents: 5_000_000,
      positions: [held("AAA", "alpha"), held("BBB", "beta")],
      dayStartEquityCents: 10_000_000,
    };
    const { orders } = runPipeline(
      [monitor("alpha"), monitor("beta")],
      inputs({ AAA: 98, BBB: 100 }, { account }),
    );
    // alpha's sale frees $24,500 of cash before beta decides: counted with beta's unchanged
    // positions that would read as +24.5% and take profit on BBB.
    expect(orders.map((order) => [order.strategy, order.symbol, order.side])).toEqual([
      ["alpha", "AAA", "sell"],
    ]);
  });

  it("turned off for its strategy, it decides `monitor_off` and reads no data", () => {
    const off = createMonitorStrategy({
      strategy: "holder",
      config: parseMonitorConfig({ enabled: true, profiles: { holder: { enabled: false } } }),
      sessionStartEquityCents: 10_000_000,
      universe: ["AAA", "BBB"],
    });
    expect(off.universe).toEqual([]);
    const { orders, events } = runPipeline([off], inputs({ AAA: 90, BBB: 90 }));
    expect(orders).toEqual([]);
    expect(ofType(events, "StrategyDecided")).toMatchObject([{ regime: "monitor_off" }]);
  });

  it("refuses a session start that is not positive whole cents, naming it", () => {
    expect(() =>
      createMonitorStrategy({
        strategy: "holder",
        config: ON,
        sessionStartEquityCents: 0,
        universe: [],
      }),
    ).toThrow(/sessionStartEquityCents must be > 0, got 0/);
  });
});
