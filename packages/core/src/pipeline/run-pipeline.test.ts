import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Bar, Quote } from "../market/bars.js";
import { barsFromCloses, steadyBars } from "../market/testing.js";
import { funnelProjection, reachedByStage, stopsAt } from "../projections/funnel.js";
import { project } from "../projections/projection.js";
import { dayActivity, explainDay } from "../projections/why-no-trade.js";
import { SAFETY_AT_REST } from "../safety/precedence/at-rest.js";
import type { GovernorView } from "../safety/precedence/precedence.js";
import type { PositionView, Strategy, StrategyDecision } from "../strategy/api.js";
import { type PipelineInputs, runPipeline } from "./run-pipeline.js";

const TRADING_DATE = "2026-11-20";
const AT = "2026-11-20T20:50:00.000Z";
const history = {
  AAA: steadyBars(300, "2026-11-19", 100),
  BBB: barsFromCloses(
    Array.from({ length: 300 }, (_, i) => Number((50 * (1 + 0.01 * Math.cos(i * 1.7))).toFixed(2))),
    { to: "2026-11-19" },
  ),
};
const quote = (symbol: string, last: number, source = "primary"): Quote => ({
  symbol,
  at: AT,
  last,
  source,
});
const quotes = [quote("AAA", 101), quote("BBB", 50.5)];

const fixedWeights = (weights: Record<string, number>, regime = "steady"): Strategy => ({
  name: "fixed",
  universe: ["AAA", "BBB"],
  historyBars: 250,
  params: {},
  decide: (): StrategyDecision => ({
    regime,
    signals: [{ kind: "target_weights", weights, confidence: 0.9 }],
  }),
});

const inputs = (
  overrides: Partial<PipelineInputs> = {},
  governor: GovernorView = { status: "NORMAL" },
): PipelineInputs => ({
  runId: `paper:acct-1:${TRADING_DATE}:close`,
  mode: "paper",
  tradingDate: TRADING_DATE,
  at: AT,
  history,
  quotes,
  account: { cashCents: 10_000_000, positions: [], dayStartEquityCents: 10_000_000 },
  safety: { ...SAFETY_AT_REST, governor },
  sizingMultiplier: 1,
  ...overrides,
});

const types = (events: { type: string }[]) => events.map((event) => event.type);

describe("the decision pipeline", () => {
  it("turns target weights into whole-share order intents priced at the 3:55 quote", () => {
    const { events, orders } = runPipeline([fixedWeights({ AAA: 0.25, BBB: 0.2 })], inputs());
    expect(
      orders.map(({ symbol, side, quantity, expectedPrice }) => ({
        symbol,
        side,
        quantity,
        expectedPrice,
      })),
    ).toEqual([
      { symbol: "AAA", side: "buy", quantity: 247, expectedPrice: 101 },
      { symbol: "BBB", side: "buy", quantity: 396, expectedPrice: 50.5 },
    ]);
    expect(types(events)).toEqual([
      "StrategyDecided",
      "SignalRaised",
      "SignalRaised",
      "IntentCreated",
      "SignalExecuted",
      "IntentCreated",
      "SignalExecuted",
    ]);
    expect(orders.every((order) => order.intentId.match(/^[0-9a-f]{16}$/))).toBe(true);
  });

  it("is deterministic: the same inputs give byte-identical events", () => {
    const run = () =>
      JSON.stringify(runPipeline([fixedWeights({ AAA: 0.25, BBB: 0.2 })], inputs()));
    expect(run()).toBe(run());
  });

  it("in HALT stops every entry at RISK and why-no-trade names the governor's constraint", () => {
    const governor: GovernorView = {
      status: "HALT",
      detail: { since: "2026-11-12", drawdown: 0.084, cooldownEndsOn: "2026-11-26" },
    };
    const { events, orders } = runPipeline(
      [fixedWeights({ AAA: 0.25, BBB: 0.2 })],
      inputs({}, governor),
    );
    expect(orders).toEqual([]);
    // The runtime wraps the pipeline's events in the run's start and completion.
    const started = {
      type: "RunStarted",
      data: { runId: "r", mode: "paper", account: "a", tradingDate: TRADING_DATE, slot: "close" },
    };
    const completed = {
      type: "RunCompleted",
      data: { runId: "r", outcome: "no_trade", ordersSubmitted: 0 },
    };
    const why = explainDay(project(dayActivity, [started, ...events, completed] as never));
    expect(why).toMatchObject({
      verdict: "all_stopped",
      stage: "RISK",
      bindingConstraint:
        "HALT since 2026-11-12: drawdown 8.4%; cooldown ends 2026-11-26: new entries blocked",
    });
  });

  it("in HALT still lets an exit through", () => {
    const held: PositionView[] = [
      { symbol: "AAA", quantity: 300, averagePrice: 100, strategy: "fixed" },
    ];
    const { orders } = runPipeline(
      [fixedWeights({ BBB: 0.2 })],
      inputs(
        { account: { cashCents: 7_000_000, positions: held, dayStartEquityCents: 10_030_000 } },
        { status: "HALT" },
      ),
    );
    expect(orders.map(({ symbol, side, quantity }) => ({ symbol, side, quantity }))).toEqual([
      { symbol: "AAA", side: "sell", quantity: 300 },
    ]);
  });

  it("stops a symbol with stale data at DATA_QUALITY and trades the rest", () => {
    const stale = { ...history, BBB: steadyBars(300, "2026-11-13", 50) };
    const { events, orders } = runPipeline(
      [fixedWeights({ AAA: 0.25, BBB: 0.2 })],
      inputs({ history: stale, quotes: [quote("AAA", 101)] }),
    );
    expect(orders.map((order) => order.symbol)).toEqual(["AAA"]);
    const stopped = events.find((event) => event.type === "SignalStopped");
    expect(stopped?.data).toMatchObject({
      symbol: "BBB",
      stage: "DATA_QUALITY",
      code: "data_quality",
    });
  });

  it("records a throwing strategy as failed and still runs the others", () => {
    const broken: Strategy = {
      ...fixedWeights({}),
      name: "broken",
      decide: () => {
        throw new Error("division by zero");
      },
    };
    const { events, orders } = runPipeline([broken, fixedWeights({ AAA: 0.1 })], inputs());
    expect(events[0]).toMatchObject({
      type: "StrategyFailed",
      data: { strategy: "broken", kind: "threw" },
    });
    expect(orders.map((order) => order.symbol)).toEqual(["AAA"]);
  });

  it("aborts the whole run on a split-like jump, before any strategy decides", () => {
    const closes = history.AAA.map((bar) => bar.close);
    closes[closes.length - 1] = (closes.at(-2) as number) / 2;
    const split = { ...history, AAA: barsFromCloses(closes, { to: "2026-11-19" }) };
    const { events, orders } = runPipeline(
      [fixedWeights({ AAA: 0.25 })],
      inputs({ history: split, quotes: [] }),
    );
    expect(types(events)).toEqual(["RunAborted"]);
    expect(events[0]?.data).toMatchObject({ code: "corporate_action" });
    expect(orders).toEqual([]);
  });

  it("aborts when two sources quote a symbol more than 1% apart", () => {
    const { events } = runPipeline(
      [fixedWeights({ AAA: 0.25 })],
      inputs({ quotes: [quote("AAA", 101), quote("AAA", 102.1, "secondary"), quote("BBB", 50.5)] }),
    );
    expect(events[0]).toMatchObject({ type: "RunAborted", data: { code: "quote_mismatch" } });
  });

  it("plans nothing for a portfolio already at its targets", () => {
    const first = runPipeline([fixedWeights({ AAA: 0.25, BBB: 0.2 })], inputs());
    const positions: PositionView[] = first.orders.map((order) => ({
      symbol: order.symbol,
      quantity: order.quantity,
      averagePrice: order.expectedPrice,
      strategy: "fixed",
    }));
    const spent = first.orders.reduce((sum, order) => sum + order.notionalCents, 0);
    const { orders, events } = runPipeline(
      [fixedWeights({ AAA: 0.25, BBB: 0.2 })],
      inputs({
        account: { cashCents: 10_000_000 - spent, positions, dayStartEquityCents: 10_000_000 },
      }),
    );
    expect(orders).toEqual([]);
    expect(
      events
        .filter((e) => e.type === "SignalStopped")
        .map((e) => (e.data as { code: string }).code),
    ).toEqual(["below_rebalance_threshold", "below_rebalance_threshold"]);
  });

  it("ends every signal at exactly one stage, and the funnel adds up (property)", () => {
    const weight = fc.double({ min: 0, max: 0.45, noNaN: true });
    fc.assert(
      fc.property(
        weight,
        weight,
        fc.integer({ min: 0, max: 400 }),
        fc.constantFrom("NORMAL", "HALT", "RAMPUP"),
        (a, b, held, status) => {
          const positions: PositionView[] =
            held > 0
              ? [{ symbol: "AAA", quantity: held, averagePrice: 100, strategy: "fixed" }]
              : [];
          const { events, orders } = runPipeline(
            [fixedWeights({ AAA: a, BBB: b })],
            inputs(
              {
                account: {
                  cashCents: 10_000_000 - held * 10_000,
                  positions,
                  dayStartEquityCents: 10_000_000,
                },
                sizingMultiplier: status === "RAMPUP" ? 0.5 : status === "HALT" ? 0 : 1,
              },
              { status: status as GovernorView["status"] },
            ),
          );
          const endings = new Map<string, number>();
          for (const event of events) {
            if (event.type === "SignalStopped" || event.type === "SignalExecuted") {
              const id = (event.data as { signalId: string }).signalId;
              endings.set(id, (endings.get(id) ?? 0) + 1);
            }
          }
          const raised = events
            .filter((e) => e.type === "SignalRaised")
            .map((e) => (e.data as { signalId: string }).signalId);
          expect(raised.every((id) => endings.get(id) === 1)).toBe(true);
          expect(endings.size).toBe(raised.length);
          expect(
            orders.every((order) => Number.isInteger(order.quantity) && order.quantity > 0),
          ).toBe(true);
          const funnel = project(funnelProjection, events as never).get("fixed");
          if (funnel) {
            const reached = reachedByStage(funnel);
            expect(reached.EXECUTED + stopsAt(funnel, "RISK")).toBe(reached.RISK);
          }
          if (status === "HALT") expect(orders.every((order) => order.side === "sell")).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("bars fixture", () => {
  it("ends the day before the decision", () => {
    expect((history.AAA.at(-1) as Bar).date).toBe("2026-11-19");
  });
});
