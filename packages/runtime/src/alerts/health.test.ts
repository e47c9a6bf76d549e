import {
  type AccountStreamEvent,
  deterministicId,
  manualClock,
  nyseCalendar,
  uuidFromName,
} from "@trader/core";
import { createMemoryStore, type EventStore } from "@trader/store";
import { describe, expect, it } from "vitest";
import { ACCOUNT_REGISTRY, typedAccountStore } from "../account/account-journal.js";
import { dayStream } from "../account/streams.js";
import type { AlertChannel } from "./channels.js";
import { parseAlertsConfig } from "./config.js";
import { dispatchPendingAlerts } from "./dispatcher.js";
import { isLastSessionOfWeek, strategyHealthFromEvents, weeklyHealthSummary } from "./health.js";

const ACCOUNT = "acct-health";
/** Monday 2026-03-02 to Friday 2026-03-06: five NYSE sessions, no holiday. */
const WEEK = ["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06"];
const CAPITAL = 10_000_000;

type Domain = Pick<AccountStreamEvent, "type" | "data">;
const at = (date: string) => `${date}T20:50:00.000Z`;
const intentIdOf = (name: string) => deterministicId(["intent", name]);

const opened = (date: string): Domain =>
  ({
    type: "AccountOpened",
    data: {
      account: ACCOUNT,
      at: at(date),
      cashCents: CAPITAL,
      positions: [],
      source: "broker_snapshot",
    },
  }) as Domain;

const equity = (date: string, cents: number): Domain =>
  ({
    type: "GovernorEquityObserved",
    data: { at: at(date), session: date, equity: cents, peak: CAPITAL, drawdown: 0 },
  }) as Domain;

/** Signals raised by `strategy` on `date`, the first `stopped` of them stopped at RISK. */
function funnel(date: string, strategy: string, raised: number, stopped: number): Domain[] {
  const events: Domain[] = [];
  for (let i = 0; i < raised; i++) {
    const signalId = `${strategy}-${date}-${i}`;
    events.push({
      type: "SignalRaised",
      data: {
        signalId,
        strategy,
        symbol: `S${i}`,
        intent: { kind: "entry", fraction: 0.1 },
        confidence: 1,
        regime: "test",
      },
    } as Domain);
    if (i < stopped)
      events.push({
        type: "SignalStopped",
        data: {
          signalId,
          strategy,
          symbol: `S${i}`,
          stage: "RISK",
          code: "position_limit",
          message: "over the position limit",
          detail: {},
          pending: false,
        },
      } as Domain);
  }
  return events;
}

/** An intent of `strategy` filled in one or more fills (quantity, price in cents). */
function order(
  date: string,
  name: string,
  strategy: string,
  side: "buy" | "sell",
  fills: readonly (readonly [number, number])[],
): Domain[] {
  const intentId = intentIdOf(name);
  const quantity = fills.reduce((sum, [q]) => sum + q, 0);
  return [
    {
      type: "IntentCreated",
      data: {
        intentId,
        runId: `run-${date}`,
        strategy,
        symbol: "AAA",
        side,
        targetQuantity: quantity,
        timeBucket: `${date.replaceAll("-", "")}_15`,
        at: at(date),
      },
    } as Domain,
    ...fills.map(
      ([q, priceCents], i) =>
        ({
          type: "IntentFillRecorded",
          data: { intentId, at: at(date), executionId: `${name}-x${i}`, quantity: q, priceCents },
        }) as Domain,
    ),
  ];
}

const snapshot = (date: string, through: number): Domain =>
  ({
    type: "AccountSnapshotTaken",
    data: { tradingDate: date, at: at(date), through, state: {} },
  }) as Domain;

async function append(store: EventStore, date: string, events: readonly Domain[], run = "run") {
  const typed = typedAccountStore(store);
  const stream = dayStream(ACCOUNT, date);
  const start = await typed.streamRevision(stream);
  await typed.append(
    stream,
    events.map((event, i) => ({
      ...event,
      metadata: {
        eventId: uuidFromName(`${stream}|${run}|${i}`),
        occurredAt: at(date),
        runId: `paper:${ACCOUNT}:${date}:${run}`,
        mode: "paper" as const,
        schemaVersion: ACCOUNT_REGISTRY.versionOf(event.type),
        causationId: null,
        correlationId: null,
      },
    })) as never,
    { expectedRevision: start === "no_stream" ? "no_stream" : start },
  );
}

/**
 * A week in which "loser" buys 10 AAA at $100 and sells them at $90 every day ($100 lost per
 * trade) and 9 of its 10 signals a day are stopped; each day ends with a snapshot.
 */
async function losingWeek(): Promise<EventStore> {
  const store = createMemoryStore();
  for (const [index, date] of WEEK.entries()) {
    const events = [
      ...(index === 0 ? [opened(date)] : []),
      equity(date, CAPITAL - index * 10_000),
      ...funnel(date, "loser", 10, 9),
      ...order(date, `buy-${date}`, "loser", "buy", [[10, 10_000]]),
      ...order(date, `sell-${date}`, "loser", "sell", [[10, 9_000]]),
    ];
    await append(store, date, [...events, snapshot(date, events.length)]);
  }
  return store;
}

function spy() {
  const sent: { code: string; level: string; id: string; title: string; message: string }[] = [];
  const channel: AlertChannel = {
    name: "spy",
    send: async ({ code, level, id, title, message }) =>
      void sent.push({ code, level, id, title, message }),
  };
  return { sent, channel };
}

async function dispatch(store: EventStore, channel: AlertChannel) {
  return dispatchPendingAlerts({
    store,
    channels: { console: channel },
    config: parseAlertsConfig({
      routes: { CRITICAL: ["console"], WARNING: ["console"], INFO: ["console"] },
    }),
    clock: manualClock("2026-03-06T22:00:00.000Z"),
    checkpoint: { name: "health" },
  });
}

async function daysOf(store: EventStore): Promise<Map<string, AccountStreamEvent[]>> {
  const days = new Map<string, AccountStreamEvent[]>();
  for (const date of WEEK) {
    const events: AccountStreamEvent[] = [];
    for await (const event of typedAccountStore(store).readStream(dayStream(ACCOUNT, date)))
      events.push(event);
    days.set(date, events);
  }
  return days;
}

describe("strategy health from the account's events", () => {
  it("a sell closes at fill − average cost: buys 10 @ $100 and 10 @ $110, sells 15 @ $120 in two fills = +$225", () => {
    const date = "2026-03-02";
    const days = new Map([
      [
        date,
        [
          opened(date),
          ...order(date, "b1", "avg", "buy", [[10, 10_000]]),
          ...order(date, "b2", "avg", "buy", [[10, 11_000]]),
          ...order(date, "s1", "avg", "sell", [
            [5, 12_000],
            [10, 12_000],
          ]),
          // Selling 50 with 5 left: only 5 close (at $130 − $105 = $125), the rest has no cost.
          ...order(date, "s2", "avg", "sell", [[50, 13_000]]),
        ] as AccountStreamEvent[],
      ],
    ]);
    const [report] = strategyHealthFromEvents(days, date);
    expect(report).toMatchObject({
      strategy: "avg",
      status: "INSUFFICIENT_DATA",
      long: { trades: 2, netPnlCents: 22_500 + 12_500, signals: 0 },
    });
  });

  it("scores the losing week CRITICAL 34: 5 trades (15) + no expectancy (0) + 90% rejected (0) + $500 of $99,600 drawdown (19)", async () => {
    const [report] = strategyHealthFromEvents(await daysOf(await losingWeek()), "2026-03-06");
    expect(report).toMatchObject({
      strategy: "loser",
      status: "CRITICAL",
      score: 34,
      long: { trades: 5, netPnlCents: -50_000, signals: 50, rejections: 45, rejectionRate: 0.9 },
    });
  });

  it("refuses a day that is not a date and a scored strategy without any known equity", () => {
    expect(() => strategyHealthFromEvents(new Map([["2026-02-30", []]]), "2026-03-06")).toThrow(
      '"2026-02-30"',
    );
    const date = "2026-03-02";
    const days = new Map([[date, funnel(date, "s", 1, 0) as AccountStreamEvent[]]]);
    expect(() => strategyHealthFromEvents(days, date)).toThrow(/no positive account equity/);
  });

  it("the last session of a week: Friday, or Thursday when Friday is a holiday (Good Friday 2026-04-03)", () => {
    const nyse = nyseCalendar();
    expect(WEEK.map((date) => isLastSessionOfWeek(nyse, date))).toEqual([
      false,
      false,
      false,
      false,
      true,
    ]);
    expect(isLastSessionOfWeek(nyse, "2026-04-02")).toBe(true);
    expect(isLastSessionOfWeek(nyse, "2026-04-01")).toBe(false);
  });

  it("the weekly summary names each strategy's status, both windows and its findings, HTML escaped", async () => {
    const reports = strategyHealthFromEvents(await daysOf(await losingWeek()), "2026-03-06");
    const summary = weeklyHealthSummary("<acct>", "2026-03-06", reports);
    expect(summary.text).toContain("trader weekly health summary: <acct>, week ending 2026-03-06");
    expect(summary.text).toContain("loser: CRITICAL (34/100)");
    expect(summary.text).toContain("7d (2026-02-28..2026-03-06): 5 trades, net -$500.00");
    expect(summary.text).toContain("rejection rate 90% ≥ max 80%");
    expect(summary.html).toContain("&lt;acct&gt;");
    expect(summary.html).not.toContain("<acct>");
  });
});

describe("the dispatcher raises strategy health (issue #6)", () => {
  it("a strategy losing on 5 trades with 90% rejected gets one WARNING, however often it runs", async () => {
    const store = await losingWeek();
    const { sent, channel } = spy();
    await dispatch(store, channel);
    await dispatch(store, channel);
    // A second run on Friday ends with another snapshot: the same alert, not sent again.
    await append(store, "2026-03-06", [snapshot("2026-03-06", 0)], "second");
    await dispatch(store, channel);
    const health = sent.filter((alert) => alert.code === "health_score_low");
    expect(health).toHaveLength(1);
    expect(health[0]).toMatchObject({ level: "WARNING", title: "Strategy loser health 34" });
    expect(health[0]?.message).toContain("loser's health score is 34 (below 60)");
  });

  it("a week of runs ending on a Friday sends exactly one weekly health summary, on Friday", async () => {
    const store = await losingWeek();
    const { sent, channel } = spy();
    await dispatch(store, channel);
    await append(store, "2026-03-06", [snapshot("2026-03-06", 0)], "second");
    await dispatch(store, channel);
    const weekly = sent.filter((alert) => alert.code === "weekly_health");
    expect(weekly).toHaveLength(1);
    expect(weekly[0]).toMatchObject({ level: "INFO", title: "Weekly health summary 2026-03-06" });
    expect(weekly[0]?.message).toContain("loser: CRITICAL (34/100)");
    // The daily digest still goes out every day.
    expect(sent.filter((alert) => alert.code === "daily_digest")).toHaveLength(5);
  });
});
