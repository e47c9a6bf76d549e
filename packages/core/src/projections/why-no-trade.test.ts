import { describe, expect, it } from "vitest";
import type { DomainEvent } from "../events/envelope.js";
import { stamp } from "../events/envelope.js";
import { fixedClock } from "../ports/clock.js";
import { seededIds } from "../ports/ids.js";
import { auditTimeline } from "./audit-timeline.js";
import { conversionRates, funnelProjection, reachedByStage } from "./funnel.js";
import { project } from "./projection.js";
import { dayActivity, explainDay } from "./why-no-trade.js";

const runId = "paper:acct-1:2026-11-20:close";
const started: DomainEvent = {
  type: "RunStarted",
  data: { runId, mode: "paper", account: "acct-1", tradingDate: "2026-11-20", slot: "close" },
};
const completed = (outcome: string): DomainEvent => ({
  type: "RunCompleted",
  data: { runId, outcome, ordersSubmitted: 0 },
});
const raised = (signalId: string, symbol: string): DomainEvent => ({
  type: "SignalRaised",
  data: {
    signalId,
    strategy: "v3.5b",
    symbol,
    intent: { kind: "target_weight", weight: 0.6 },
    confidence: 0.9,
    regime: "bull_low_vol",
  },
});
const halt = "HALT since 2026-11-12: drawdown 8.4%; cooldown ends 2026-11-26: new entries blocked";
const stopped = (
  signalId: string,
  symbol: string,
  stage: string,
  code: string,
  message: string,
): DomainEvent => ({
  type: "SignalStopped",
  data: {
    signalId,
    strategy: "v3.5b",
    symbol,
    stage,
    code,
    message,
    detail: {},
    pending: stage === "RISK",
  },
});
const decided: DomainEvent = {
  type: "StrategyDecided",
  data: { strategy: "v3.5b", regime: "bull_low_vol", signals: 3 },
};

const why = (events: DomainEvent[]) => explainDay(project(dayActivity, events as never));

describe("why no trade", () => {
  it("names the stage, the top reasons and the binding constraint in words", () => {
    const answer = why([
      started,
      decided,
      raised("s1", "TQQQ"),
      raised("s2", "TMF"),
      raised("s3", "QQQ"),
      stopped("s1", "TQQQ", "RISK", "drawdown_halt", halt),
      stopped("s2", "TMF", "RISK", "drawdown_halt", halt),
      stopped(
        "s3",
        "QQQ",
        "DATA_QUALITY",
        "data_quality",
        "QQQ: last bar 2026-11-13 is 168 h old (limit 72 h)",
      ),
      completed("no_trade"),
    ]);
    expect(answer).toMatchObject({
      verdict: "all_stopped",
      stage: "RISK",
      bindingConstraint: halt,
      topReasons: [
        { stage: "RISK", code: "drawdown_halt", count: 2 },
        { stage: "DATA_QUALITY", code: "data_quality", count: 1 },
      ],
    });
    expect(answer.summary).toBe(`all 3 signal(s) stopped, most at RISK: ${halt}`);
  });

  it("says the strategy produced no signal, and in which regime", () => {
    const answer = why([
      started,
      { ...decided, data: { ...(decided.data as object), signals: 0 } },
      completed("no_trade"),
    ]);
    expect(answer).toMatchObject({
      verdict: "no_signal",
      summary: "v3.5b produced no signal (regime bull_low_vol)",
    });
  });

  it("tells no run, market closed, pre-flight failure, crash and abort apart", () => {
    expect(why([]).verdict).toBe("no_run");
    expect(why([started, completed("market_closed")])).toMatchObject({ reason: "market_closed" });
    expect(why([started, completed("preflight_failed")])).toMatchObject({
      reason: "preflight_failed",
    });
    expect(why([started, decided])).toMatchObject({ reason: "crashed" });
    expect(
      why([
        started,
        {
          type: "RunAborted",
          data: {
            runId,
            code: "corporate_action",
            message: "TQQQ 2:1 split on 2026-11-20",
            detail: {},
          },
        },
        completed("failed"),
      ]),
    ).toMatchObject({ verdict: "aborted", code: "corporate_action" });
  });

  it("reports a traded day", () => {
    const executed: DomainEvent = {
      type: "SignalExecuted",
      data: {
        signalId: "s1",
        strategy: "v3.5b",
        symbol: "TQQQ",
        intentId: "abc",
        side: "buy",
        quantity: 10,
        expectedPrice: 50,
      },
    };
    expect(
      why([started, decided, raised("s1", "TQQQ"), executed, completed("traded")]),
    ).toMatchObject({ verdict: "traded", orders: 1 });
  });
});

describe("funnel", () => {
  it("counts per stage add up and give conversion rates", () => {
    const funnel = project(funnelProjection, [
      decided,
      raised("s1", "TQQQ"),
      raised("s2", "TMF"),
      raised("s3", "QQQ"),
      raised("s4", "TLT"),
      stopped("s3", "QQQ", "DATA_QUALITY", "data_quality", "stale"),
      stopped("s2", "TMF", "RISK", "position_limit_symbol", "too big"),
      {
        type: "SignalExecuted",
        data: {
          signalId: "s1",
          strategy: "v3.5b",
          symbol: "TQQQ",
          intentId: "a",
          side: "buy",
          quantity: 1,
          expectedPrice: 1,
        },
      },
      {
        type: "SignalExecuted",
        data: {
          signalId: "s4",
          strategy: "v3.5b",
          symbol: "TLT",
          intentId: "b",
          side: "buy",
          quantity: 1,
          expectedPrice: 1,
        },
      },
    ] as never).get("v3.5b");
    expect(funnel).toBeDefined();
    if (!funnel) return;
    expect(reachedByStage(funnel)).toEqual({
      RAW: 4,
      DATA_QUALITY: 4,
      REGIME: 3,
      CORRELATION: 3,
      RISK: 3,
      EXECUTED: 2,
    });
    expect(funnel.stopped.RISK).toEqual({ position_limit_symbol: 1 });
    expect(conversionRates(funnel).find((r) => r.from === "DATA_QUALITY")?.rate).toBe(0.75);
  });
});

describe("audit timeline", () => {
  it("writes one human line per event, in order", () => {
    const events = stamp(
      [started, stopped("s1", "TQQQ", "RISK", "drawdown_halt", halt), completed("no_trade")],
      {
        clock: fixedClock("2026-11-20T20:50:00.000Z"),
        ids: seededIds("t"),
        runId,
        mode: "paper",
      },
      () => 1,
    );
    expect(auditTimeline(events)).toEqual([
      `20:50:00Z  RunStarted              run ${runId} started`,
      `20:50:00Z  SignalStopped           TQQQ stopped at RISK (drawdown_halt, pending): ${halt}`,
      `20:50:00Z  RunCompleted            run ${runId} finished: no_trade, 0 order(s)`,
    ]);
  });
});
