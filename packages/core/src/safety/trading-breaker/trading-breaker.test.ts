import { describe, expect, it } from "vitest";
import { fold } from "../../decider/decider.js";
import { createEventRegistry } from "../../events/registry.js";
import { fixedClock } from "../../ports/clock.js";
import { seededIds } from "../../ports/ids.js";
import { scenario } from "../../testing/scenario.js";
import { DEFAULT_TRADING_BREAKER_CONFIG, tradingBreakerConfigSchema } from "./config.js";
import { createTradingBreaker } from "./decider.js";
import { TRADING_BREAKER_EVENTS, type TradingBreakerEvent } from "./events.js";
import { tradingBreakerBlocks } from "./state.js";

const breaker = createTradingBreaker();
// Monday 2026-01-05 to Friday 2026-01-09, then the next week; 15:50 New York.
const closeOf = (date: string) => `${date}T20:50:00Z`;

const equity = (tradingDate: string, cents: number): TradingBreakerEvent => ({
  type: "TradingBreakerEquityObserved",
  data: { tradingDate, equity: cents, at: closeOf(tradingDate) },
});
const observe = (tradingDate: string, cents: number) =>
  ({ type: "ObserveEquity", tradingDate, equity: cents, at: closeOf(tradingDate) }) as const;

const apiError = (at: string): TradingBreakerEvent => ({
  type: "TradingBreakerApiErrorRecorded",
  data: { operation: "submitOrder", message: "timeout", at },
});
const failedTrade = (n: number, at: string): TradingBreakerEvent => ({
  type: "TradingBreakerFailedTradeRecorded",
  data: { tradeId: `trade-${n}`, reason: "expired unfilled", at },
});
const trade = (n: number, pnl: number): TradingBreakerEvent => ({
  type: "TradingBreakerTradeRecorded",
  data: { tradeId: `trade-${n}`, pnl, at: closeOf("2026-01-05") },
});
const orderFailure = (n: number): TradingBreakerEvent => ({
  type: "TradingBreakerOrderFailureRecorded",
  data: { intentId: `intent-${n}`, reason: "symbol halted", at: closeOf("2026-01-05") },
});

const opened = (
  data: Omit<
    Extract<TradingBreakerEvent, { type: "TradingBreakerOpened" }>["data"],
    "otherBreaches"
  > & {
    otherBreaches?: Extract<
      TradingBreakerEvent,
      { type: "TradingBreakerOpened" }
    >["data"]["otherBreaches"];
  },
): TradingBreakerEvent => ({
  type: "TradingBreakerOpened",
  data: { otherBreaches: [], ...data },
});

describe("trading circuit breaker: drawdown limits (SPEC §4)", () => {
  it("$1,000 yesterday → $950 today is a 5% drawdown today: it opens", () => {
    scenario(breaker)
      .given([equity("2026-01-05", 100_000)])
      .when(observe("2026-01-06", 95_000))
      .thenEvents([
        equity("2026-01-06", 95_000),
        opened({
          rule: "daily_drawdown",
          observed: 0.05,
          threshold: 0.05,
          windowSeconds: null,
          message: "drawdown today 5% ≥ 5% ($1,000.00 → $950.00)",
          at: closeOf("2026-01-06"),
        }),
      ]);
  });

  it("$1,000 → $950.01 stays closed", () => {
    scenario(breaker)
      .given([equity("2026-01-05", 100_000)])
      .when(observe("2026-01-06", 95_001))
      .thenEvents([equity("2026-01-06", 95_001)]);
  });

  it("measures today from the previous close, not from today's first reading", () => {
    const history = [equity("2026-01-05", 100_000), equity("2026-01-06", 97_000)];
    scenario(breaker)
      .given(history)
      // 97,000 → 95,000 later the same day is 2.06% from the open reading but 5% from yesterday.
      .when({
        type: "ObserveEquity",
        tradingDate: "2026-01-06",
        equity: 95_000,
        at: "2026-01-06T21:00:00Z",
      })
      .thenEvents([
        {
          type: "TradingBreakerEquityObserved",
          data: { tradingDate: "2026-01-06", equity: 95_000, at: "2026-01-06T21:00:00Z" },
        },
        opened({
          rule: "daily_drawdown",
          observed: 0.05,
          threshold: 0.05,
          windowSeconds: null,
          message: "drawdown today 5% ≥ 5% ($1,000.00 → $950.00)",
          at: "2026-01-06T21:00:00Z",
        }),
      ]);
  });

  it("four days of 2.5–4% losses in one week add up to a 10% weekly drawdown", () => {
    // Friday of the week before is the weekly reference: $1,000.
    const week = [
      equity("2026-01-02", 100_000),
      equity("2026-01-05", 97_000),
      equity("2026-01-06", 94_000),
      equity("2026-01-07", 92_000),
    ];
    scenario(breaker)
      .given(week)
      .when(observe("2026-01-08", 90_000))
      .thenEvents([
        equity("2026-01-08", 90_000),
        opened({
          rule: "weekly_drawdown",
          observed: 0.1,
          threshold: 0.1,
          windowSeconds: null,
          message: "drawdown this week 10% ≥ 10% ($1,000.00 → $900.00)",
          at: closeOf("2026-01-08"),
        }),
      ]);
  });

  it("a new week starts a new weekly reference: last Friday's close", () => {
    const history = [
      equity("2026-01-02", 100_000),
      equity("2026-01-05", 96_000),
      equity("2026-01-09", 92_000),
    ];
    // Monday 2026-01-12: 92,000 → 88,000 is 4.3% today and this week; 12% from the peak.
    scenario(breaker)
      .given(history)
      .when(observe("2026-01-12", 88_000))
      .thenEvents([equity("2026-01-12", 88_000)]);
  });

  it("a slow slide of 20% from the high-water mark opens on the total drawdown", () => {
    // Fridays only, each week under 5% down: no daily or weekly limit is reached.
    const slide = [
      equity("2026-01-02", 100_000),
      equity("2026-01-09", 96_000),
      equity("2026-01-16", 92_200),
      equity("2026-01-23", 88_500),
      equity("2026-01-30", 85_000),
      equity("2026-02-06", 81_600),
    ];
    scenario(breaker)
      .given(slide)
      .when(observe("2026-02-13", 80_000))
      .thenEvents([
        equity("2026-02-13", 80_000),
        opened({
          rule: "total_drawdown",
          observed: 0.2,
          threshold: 0.2,
          windowSeconds: null,
          message: "drawdown from the high-water mark 20% ≥ 20% ($1,000.00 → $800.00)",
          at: closeOf("2026-02-13"),
        }),
      ]);
  });

  it("one crash breaches every drawdown limit: the event names the daily one and lists the others", () => {
    const { events } = scenario(breaker)
      .given([equity("2026-01-05", 100_000)])
      .when(observe("2026-01-06", 75_000))
      .thenEvents([
        equity("2026-01-06", 75_000),
        opened({
          rule: "daily_drawdown",
          observed: 0.25,
          threshold: 0.05,
          windowSeconds: null,
          message: "drawdown today 25% ≥ 5% ($1,000.00 → $750.00)",
          at: closeOf("2026-01-06"),
          otherBreaches: [
            { rule: "weekly_drawdown", observed: 0.25, threshold: 0.1, windowSeconds: null },
            { rule: "total_drawdown", observed: 0.25, threshold: 0.2, windowSeconds: null },
          ],
        }),
      ]);
    expect(events).toHaveLength(2);
  });

  it("refuses equity for an earlier trading date than the last one seen", () => {
    scenario(breaker)
      .given([equity("2026-01-06", 100_000)])
      .when(observe("2026-01-05", 100_000))
      .thenRefused("out_of_order_observation");
    scenario(breaker).when(observe("2026-01-05", -1)).thenRefused("invalid_amount");
    scenario(breaker)
      .when({ ...observe("2026-01-05", 1), tradingDate: "5 Jan" })
      .thenRefused("invalid_trading_date");
  });
});

describe("trading circuit breaker: error and loss limits (SPEC §4)", () => {
  it("3 broker API errors within 60 s open it", () => {
    scenario(breaker)
      .given([apiError("2026-01-05T20:50:00Z"), apiError("2026-01-05T20:50:30Z")])
      .when({
        type: "RecordApiError",
        operation: "submitOrder",
        message: "timeout",
        at: "2026-01-05T20:51:00Z",
      })
      .thenEvents([
        apiError("2026-01-05T20:51:00Z"),
        opened({
          rule: "api_errors",
          observed: 3,
          threshold: 3,
          windowSeconds: 60,
          message: "3 broker API errors within 60 s (limit 3)",
          at: "2026-01-05T20:51:00Z",
        }),
      ]);
  });

  it("the API-error window slides: 3 errors spread over 61 s leave it closed", () => {
    const { state } = scenario(breaker)
      .given([apiError("2026-01-05T20:50:00Z"), apiError("2026-01-05T20:50:30Z")])
      .when({
        type: "RecordApiError",
        operation: "submitOrder",
        message: "timeout",
        at: "2026-01-05T20:51:01Z",
      })
      .thenEvents([apiError("2026-01-05T20:51:01Z")]);
    expect(state.apiErrorTimes).toEqual(["2026-01-05T20:50:30Z", "2026-01-05T20:51:01Z"]);
  });

  it("an error reported late still counts in its place in the window", () => {
    scenario(breaker)
      .given([apiError("2026-01-05T20:50:00Z"), apiError("2026-01-05T20:50:40Z")])
      .when({
        type: "RecordApiError",
        operation: "getAccount",
        message: "503",
        at: "2026-01-05T20:50:20Z",
      })
      .thenEvents([
        {
          type: "TradingBreakerApiErrorRecorded",
          data: { operation: "getAccount", message: "503", at: "2026-01-05T20:50:20Z" },
        },
        opened({
          rule: "api_errors",
          observed: 3,
          threshold: 3,
          windowSeconds: 60,
          message: "3 broker API errors within 60 s (limit 3)",
          at: "2026-01-05T20:50:20Z",
        }),
      ]);
  });

  it("10 consecutive losing trades open it; a win in between resets the streak", () => {
    const nineLosses = Array.from({ length: 9 }, (_, i) => trade(i + 1, -1_500));
    scenario(breaker)
      .given(nineLosses)
      .when({
        type: "RecordTradeResult",
        tradeId: "trade-10",
        pnl: -200,
        at: closeOf("2026-01-05"),
      })
      .thenEvents([
        trade(10, -200),
        opened({
          rule: "consecutive_losses",
          observed: 10,
          threshold: 10,
          windowSeconds: null,
          message: "10 consecutive losing trades (limit 10)",
          at: closeOf("2026-01-05"),
        }),
      ]);
    scenario(breaker)
      .given([...nineLosses.slice(0, 5), trade(99, 0), ...nineLosses.slice(5)])
      .when({
        type: "RecordTradeResult",
        tradeId: "trade-10",
        pnl: -200,
        at: closeOf("2026-01-05"),
      })
      .thenEvents([trade(10, -200)]);
  });

  it("5 order failures open it", () => {
    scenario(breaker)
      .given([1, 2, 3, 4].map(orderFailure))
      .when({
        type: "RecordOrderFailure",
        intentId: "intent-5",
        reason: "symbol halted",
        at: closeOf("2026-01-05"),
      })
      .thenEvents([
        orderFailure(5),
        opened({
          rule: "order_failures",
          observed: 5,
          threshold: 5,
          windowSeconds: null,
          message: "5 order failures (limit 5)",
          at: closeOf("2026-01-05"),
        }),
      ]);
  });

  it("5 failed trades within 1 h open it; spread over more than an hour they do not", () => {
    const within = ["20:00", "20:15", "20:30", "20:45"].map((t, i) =>
      failedTrade(i + 1, `2026-01-05T${t}:00Z`),
    );
    scenario(breaker)
      .given(within)
      .when({
        type: "RecordFailedTrade",
        tradeId: "trade-5",
        reason: "expired unfilled",
        at: "2026-01-05T21:00:00Z",
      })
      .thenEvents([
        failedTrade(5, "2026-01-05T21:00:00Z"),
        opened({
          rule: "failed_trades",
          observed: 5,
          threshold: 5,
          windowSeconds: 3_600,
          message: "5 failed trades within 3600 s (limit 5)",
          at: "2026-01-05T21:00:00Z",
        }),
      ]);
    scenario(breaker)
      .given(within)
      .when({
        type: "RecordFailedTrade",
        tradeId: "trade-5",
        reason: "canceled",
        at: "2026-01-05T21:00:01Z",
      })
      .thenEvents([
        {
          type: "TradingBreakerFailedTradeRecorded",
          data: { tradeId: "trade-5", reason: "canceled", at: "2026-01-05T21:00:01Z" },
        },
      ]);
  });
});

describe("trading circuit breaker: while open and on reset (SPEC §4)", () => {
  const crash = [
    equity("2026-01-05", 100_000),
    equity("2026-01-06", 94_000),
    opened({
      rule: "daily_drawdown",
      observed: 0.06,
      threshold: 0.05,
      windowSeconds: null,
      message: "drawdown today 6% ≥ 5% ($1,000.00 → $940.00)",
      at: closeOf("2026-01-06"),
    }),
  ];

  it("blocks risk-increasing orders and lets exits through", () => {
    const state = fold(breaker, crash);
    expect(tradingBreakerBlocks(state, "risk_increasing")).toMatchObject({
      code: "circuit_open",
      message:
        "trading circuit breaker open since 2026-01-06T20:50:00Z: drawdown today 6% ≥ 5% ($1,000.00 → $940.00)",
    });
    expect(tradingBreakerBlocks(state, "risk_reducing")).toBeNull();
    expect(tradingBreakerBlocks(breaker.initialState, "risk_increasing")).toBeNull();
  });

  it("stays open on its own: more inputs never close it", () => {
    scenario(breaker)
      .given(crash)
      .when({
        type: "RecordApiError",
        operation: "getAccount",
        message: "timeout",
        at: closeOf("2026-01-07"),
      })
      .thenEvents([]);
    const { state } = scenario(breaker)
      .given(crash)
      .when(observe("2026-01-07", 101_000))
      .thenEvents([equity("2026-01-07", 101_000)]);
    expect(state.status).toBe("OPEN");
  });

  it("a reset needs operator and reason and only applies to an open breaker", () => {
    const reset = {
      type: "ResetBreaker",
      operator: "ana",
      reason: "reviewed",
      at: closeOf("2026-01-07"),
    } as const;
    scenario(breaker)
      .given(crash)
      .when({ ...reset, operator: "" })
      .thenRefused("missing_operator");
    scenario(breaker)
      .given(crash)
      .when({ ...reset, reason: " " })
      .thenRefused("missing_reason");
    scenario(breaker).when(reset).thenRefused("not_open");
  });

  it("a reset closes it and re-bases the references, so the same drawdown does not reopen it", () => {
    const { state } = scenario(breaker)
      .given(crash)
      .when({
        type: "ResetBreaker",
        operator: "ana",
        reason: "reviewed",
        at: closeOf("2026-01-07"),
      })
      .thenEvents([
        {
          type: "TradingBreakerReset",
          data: {
            operator: "ana",
            reason: "reviewed",
            rebasedEquity: 94_000,
            at: closeOf("2026-01-07"),
          },
        },
      ]);
    expect(state.status).toBe("CLOSED");
    expect(state.equity).toMatchObject({ dayStart: 94_000, weekStart: 94_000, peak: 94_000 });
    const resetEvent: TradingBreakerEvent = {
      type: "TradingBreakerReset",
      data: {
        operator: "ana",
        reason: "reviewed",
        rebasedEquity: 94_000,
        at: closeOf("2026-01-07"),
      },
    };
    scenario(breaker)
      .given([...crash, resetEvent])
      .when(observe("2026-01-07", 93_000))
      .thenEvents([equity("2026-01-07", 93_000)]);
  });
});

describe("trading circuit breaker: config and events", () => {
  it("defaults to the spec's numbers and refuses daily ≥ weekly or weekly ≥ total", () => {
    expect(DEFAULT_TRADING_BREAKER_CONFIG).toEqual({
      dailyDrawdown: 0.05,
      weeklyDrawdown: 0.1,
      totalDrawdown: 0.2,
      maxConsecutiveLosses: 10,
      maxApiErrors: 3,
      apiErrorWindowSeconds: 60,
      maxOrderFailures: 5,
      maxFailedTrades: 5,
      failedTradeWindowSeconds: 3_600,
    });
    const dailyTooHigh = tradingBreakerConfigSchema.safeParse({ dailyDrawdown: 0.1 });
    expect(dailyTooHigh.error?.issues.map((issue) => issue.path)).toEqual([["dailyDrawdown"]]);
    const weeklyTooHigh = tradingBreakerConfigSchema.safeParse({ weeklyDrawdown: 0.25 });
    expect(weeklyTooHigh.error?.issues.map((issue) => issue.path)).toEqual([["weeklyDrawdown"]]);
    expect(() => createTradingBreaker({ config: { totalDrawdown: 0.08 } })).toThrow(
      /less than totalDrawdown/,
    );
  });

  it("every event the breaker decides passes its schema in the registry", () => {
    const registry = createEventRegistry(TRADING_BREAKER_EVENTS);
    const history = [...[1, 2, 3, 4].map(orderFailure)];
    const decision = breaker.decide(
      { type: "RecordOrderFailure", intentId: "intent-5", reason: "x", at: closeOf("2026-01-05") },
      fold(breaker, history),
    );
    expect(decision.ok).toBe(true);
    const events = [
      ...history,
      ...(decision.ok ? decision.events : []),
      equity("2026-01-05", 100_000),
      apiError("2026-01-05T20:50:00Z"),
      failedTrade(1, "2026-01-05T20:50:00Z"),
      trade(1, -5),
    ];
    const stamped = registry.stamp(events, {
      clock: fixedClock(closeOf("2026-01-05")),
      ids: seededIds("trading-breaker"),
      runId: "live:acct:2026-01-05:close",
      mode: "live",
    });
    expect(stamped).toHaveLength(events.length);
  });
});
