import {
  type Bar,
  DEFAULT_MONITOR_CONFIG,
  type MonitorConfig,
  type PriceHistory,
  parseIsoInstant,
  parseMonitorConfig,
  type Quote,
} from "@trader/core";
import { createMemoryStore } from "@trader/store";
import { describe, expect, it } from "vitest";
import { historySource } from "../cycle/market-source.js";
import type { CycleSettings } from "../cycle/run-cycle.js";
import {
  openTestAccount,
  scheduledWeights,
  TEST_CALENDAR,
  type TestAccount,
  testCycleSettings,
} from "../testing/cycle-fixture.js";
import { isMonitorSlot, monitorSlot, runMonitorTick } from "./monitor-tick.js";

const HOLD = "2026-03-02";
const NEXT = "2026-03-03";
const DAY3 = "2026-03-04";
const ON = parseMonitorConfig({ enabled: true });

/** Flat at $100 through HOLD, then `later` per date: the daily closes the close runs see. */
function history(symbols: readonly string[], later: Record<string, number> = {}): PriceHistory {
  const dates: string[] = [DAY3];
  while (dates.length < 300) dates.unshift(TEST_CALENDAR.previousSession(dates[0] as string));
  const bars = dates.map((date): Bar => {
    const close = later[date] ?? 100;
    return { date, open: close, high: close, low: close, close, volume: 1_000_000 };
  });
  return Object.fromEntries(symbols.map((symbol) => [symbol, bars]));
}

interface World {
  readonly account: TestAccount;
  tick(
    date: string,
    hhmm: string,
    prices: Record<string, number>,
    options?: { monitor?: MonitorConfig; settings?: CycleSettings },
  ): ReturnType<typeof runMonitorTick>;
  intentsOn(date: string): Promise<Record<string, unknown>[]>;
}

/** An account whose "holder" strategy bought `weights` at $100 on HOLD's close run. */
async function world(weights: Record<string, number>, prices: PriceHistory): Promise<World> {
  const store = createMemoryStore();
  const holder = scheduledWeights("holder", { [HOLD]: weights });
  const account = await openTestAccount({ store, history: prices, strategies: [holder] });
  expect((await account.run(HOLD)).outcome).toBe("traded");
  return {
    account,
    async tick(date, hhmm, quotePrices, options = {}) {
      const at = `${date}T${hhmm.slice(0, 2)}:${hhmm.slice(2)}:00.000Z`;
      if (parseIsoInstant(at) > account.clock.now()) account.clock.set(parseIsoInstant(at));
      const quotes = Object.entries(quotePrices).map(
        ([symbol, last]): Quote => ({ symbol, at, last, source: "test" }),
      );
      return runMonitorTick(
        {
          store,
          model: account.model,
          calendar: TEST_CALENDAR,
          broker: account.broker,
          market: historySource("test", prices),
          clock: account.clock,
          strategies: [holder],
          settings: options.settings ?? testCycleSettings(),
          monitor: options.monitor ?? ON,
        },
        { mode: "paper", account: account.account, tradingDate: date, at, quotes },
      );
    },
    async intentsOn(date) {
      return (await account.dayEvents(date))
        .filter((event) => event.type === "IntentCreated")
        .map((event) => event.data as Record<string, unknown>);
    },
  };
}

const sells = (intents: Record<string, unknown>[]) =>
  intents.map((intent) => [intent.strategy, intent.symbol, intent.side, intent.targetQuantity]);

describe("the intraday monitor in a simulated session (SPEC §17)", () => {
  it("one position falling 2% below its entry produces exactly one exit intent", async () => {
    const { account, tick, intentsOn } = await world(
      { AAA: 0.25, BBB: 0.25 },
      history(["AAA", "BBB"]),
    );
    // Bought at $100: 250 shares each.
    const first = await tick(NEXT, "1500", { AAA: 98.6, BBB: 100.2 });
    expect(first).toMatchObject({ ran: true, runId: `paper:acct-test:${NEXT}:monitor-1500` });
    expect(await intentsOn(NEXT)).toEqual([]);

    const breach = await tick(NEXT, "1501", { AAA: 98, BBB: 100.5 });
    expect(breach).toMatchObject({ ran: true, cycle: { outcome: "traded", ordersSubmitted: 1 } });
    // The next looks see AAA gone, however far it falls.
    await tick(NEXT, "1502", { AAA: 97, BBB: 100.5 });
    await tick(NEXT, "1503", { AAA: 95, BBB: 100.4 });

    expect(sells(await intentsOn(NEXT))).toEqual([["holder", "AAA", "sell", 250]]);
    const state = await account.state();
    expect(Object.keys(state.positions)).toEqual(["BBB"]);
    expect(state.cashCents).toBe(5_000_000 + 250 * 9_800);
    const raised = (await account.dayEvents(NEXT)).find((event) => event.type === "SignalRaised");
    expect(raised?.data).toMatchObject({ strategy: "holder", regime: "monitor_stop_loss" });
    expect((await account.simulator.positions()).map((p) => [p.symbol, p.quantity])).toEqual([
      ["BBB", 250],
    ]);
  });

  it("a portfolio −2% from the session's start exits everything, beyond maxPositions too", async () => {
    // Three positions of 200 shares at $100 ($40,000 cash); NEXT closes at $104, so DAY3's
    // session starts at $102,400. At $100.50 each position is +0.5% from its entry while the
    // account is −2.05% from the session's start ($100,300).
    const prices = history(["AAA", "BBB", "CCC"], { [NEXT]: 104, [DAY3]: 104 });
    const { account, tick, intentsOn } = await world({ AAA: 0.2, BBB: 0.2, CCC: 0.2 }, prices);
    await account.run(NEXT);
    expect(await intentsOn(NEXT)).toEqual([]);

    await tick(DAY3, "1430", { AAA: 101.5, BBB: 101.5, CCC: 101.5 });
    expect(await intentsOn(DAY3)).toEqual([]);
    await tick(DAY3, "1431", { AAA: 100.5, BBB: 100.5, CCC: 100.5 });
    // Nothing is left to watch: the next look records nothing.
    expect(await tick(DAY3, "1432", { AAA: 100, BBB: 100, CCC: 100 })).toMatchObject({
      ran: false,
      reason: "no_watched_positions",
    });

    expect(sells(await intentsOn(DAY3))).toEqual([
      ["holder", "AAA", "sell", 200],
      ["holder", "BBB", "sell", 200],
      ["holder", "CCC", "sell", 200],
    ]);
    expect((await account.state()).positions).toEqual({});
    const decided = (await account.dayEvents(DAY3)).filter(
      (event) => event.type === "StrategyDecided",
    );
    expect(decided.map((event) => (event.data as { regime: string }).regime)).toEqual([
      "monitor_within_limits",
      "monitor_portfolio_stop_loss",
    ]);
  });

  it("under a kill at level `entries` the exits still go through", async () => {
    const { account, tick, intentsOn } = await world(
      { AAA: 0.25, BBB: 0.25 },
      history(["AAA", "BBB"]),
    );
    const report = await tick(
      NEXT,
      "1501",
      { AAA: 98, BBB: 100 },
      { settings: testCycleSettings({ tradingDisabled: true }) },
    );
    expect(report).toMatchObject({ ran: true, cycle: { outcome: "traded" } });
    const events = await account.dayEvents(NEXT);
    expect(events.find((event) => event.type === "KillSwitchActivated")?.data).toMatchObject({
      level: "entries",
      reason: "TRADING_DISABLED=true",
    });
    expect(sells(await intentsOn(NEXT))).toEqual([["holder", "AAA", "sell", 250]]);
    expect(Object.keys((await account.state()).positions)).toEqual(["BBB"]);
  });

  it("a position 5% above its entry takes profit", async () => {
    const { account, tick, intentsOn } = await world(
      { AAA: 0.25, BBB: 0.25 },
      history(["AAA", "BBB"]),
    );
    await tick(NEXT, "1600", { AAA: 104.9, BBB: 100 });
    await tick(NEXT, "1601", { AAA: 105, BBB: 100 });
    expect(sells(await intentsOn(NEXT))).toEqual([["holder", "AAA", "sell", 250]]);
    const raised = (await account.dayEvents(NEXT)).find((event) => event.type === "SignalRaised");
    expect(raised?.data).toMatchObject({ symbol: "AAA", regime: "monitor_take_profit" });
  });

  it("with the monitor off nothing happens and nothing is recorded", async () => {
    const { account, tick } = await world({ AAA: 0.25, BBB: 0.25 }, history(["AAA", "BBB"]));
    const report = await tick(
      NEXT,
      "1501",
      { AAA: 90, BBB: 90 },
      { monitor: DEFAULT_MONITOR_CONFIG },
    );
    expect(report).toEqual({
      ran: false,
      runId: `paper:acct-test:${NEXT}:monitor-1501`,
      reason: "monitor_disabled",
    });
    // On for another strategy only: holder's positions are not watched.
    const other = parseMonitorConfig({ profiles: { other: { enabled: true } } });
    expect(await tick(NEXT, "1502", { AAA: 90, BBB: 90 }, { monitor: other })).toMatchObject({
      ran: false,
      reason: "no_watched_positions",
    });
    expect(await account.dayEvents(NEXT)).toEqual([]);
    expect(Object.keys((await account.state()).positions)).toEqual(["AAA", "BBB"]);
  });

  it("a look repeated in the same minute is the same run: already done, nothing sold twice", async () => {
    const { tick, intentsOn } = await world({ AAA: 0.25, BBB: 0.25 }, history(["AAA", "BBB"]));
    await tick(NEXT, "1501", { AAA: 98, BBB: 100 });
    const again = await tick(NEXT, "1501", { AAA: 98, BBB: 100 });
    expect(again).toMatchObject({ ran: true, cycle: { status: "already_done" } });
    expect(await intentsOn(NEXT)).toHaveLength(1);
  });

  it("leaves a strategy's pending entry to the strategy's own runs", async () => {
    // The third 25% would take holder to 75% (> the 60% per-strategy limit): deferred, pending.
    const { account, tick } = await world(
      { AAA: 0.25, BBB: 0.25, CCC: 0.25 },
      history(["AAA", "BBB", "CCC"]),
    );
    const pendingBefore = (await account.state()).pendingSignals;
    expect(Object.values(pendingBefore.signals)).toMatchObject([
      { symbol: "CCC", status: "PENDING" },
    ]);
    await tick(NEXT, "1501", { AAA: 98, BBB: 100, CCC: 100 });
    const events = await account.dayEvents(NEXT);
    const raised = events.filter((event) => event.type === "SignalRaised");
    expect(raised.map((event) => (event.data as { symbol: string }).symbol)).toEqual(["AAA"]);
    expect(events.filter((event) => event.type.startsWith("PendingSignal"))).toEqual([]);
    expect((await account.state()).pendingSignals).toEqual(pendingBefore);
  });

  it("without quotes in the request it asks the market source for the held symbols' quotes", async () => {
    const prices = history(["AAA", "BBB"]);
    const { account, intentsOn } = await world({ AAA: 0.25, BBB: 0.25 }, prices);
    const at = `${NEXT}T15:05:00.000Z`;
    account.clock.set(parseIsoInstant(at));
    const asked: string[][] = [];
    const market = {
      ...historySource("test", prices),
      async quotes(symbols: readonly string[]) {
        asked.push([...symbols]);
        return [{ symbol: "AAA", at, last: 97.9, source: "live" }];
      },
    };
    await runMonitorTick(
      {
        store: account.store,
        model: account.model,
        calendar: TEST_CALENDAR,
        broker: account.broker,
        market,
        clock: account.clock,
        strategies: [],
        settings: testCycleSettings(),
        monitor: ON,
      },
      { mode: "paper", account: account.account, tradingDate: NEXT, at },
    );
    expect(asked[0]).toEqual(["AAA", "BBB"]);
    expect(sells(await intentsOn(NEXT))).toEqual([["holder", "AAA", "sell", 250]]);
  });

  it("refuses a quote from another day, naming it, before anything is recorded", async () => {
    const { account, tick } = await world({ AAA: 0.25 }, history(["AAA"]));
    const stale: Quote = { symbol: "AAA", at: `${HOLD}T20:00:00.000Z`, last: 98, source: "test" };
    const store = account.store;
    await expect(
      runMonitorTick(
        {
          store,
          model: account.model,
          calendar: TEST_CALENDAR,
          broker: account.broker,
          market: historySource("test", history(["AAA"])),
          clock: account.clock,
          strategies: [],
          settings: testCycleSettings(),
          monitor: ON,
        },
        {
          mode: "paper",
          account: account.account,
          tradingDate: NEXT,
          at: `${NEXT}T15:00:00.000Z`,
          quotes: [stale],
        },
      ),
    ).rejects.toThrow(
      /quotes\[0\] \(AAA\) is from 2026-03-02 in New York, not the session 2026-03-03/,
    );
    await expect(tick(NEXT, "0300", { AAA: 98 })).rejects.toThrow(
      /at 2026-03-03T03:00:00.000Z is on 2026-03-02 in New York, not the session 2026-03-03/,
    );
    expect(await account.dayEvents(NEXT)).toEqual([]);
  });
});

describe("monitor run slots", () => {
  it("name a look by its UTC minute, and are told apart from the day's other runs", () => {
    expect(monitorSlot("2026-11-20T14:31:59.000Z")).toBe("monitor-1431");
    expect(monitorSlot("2026-11-20T09:31:00-05:00")).toBe("monitor-1431");
    expect(isMonitorSlot("monitor-1431")).toBe(true);
    expect(isMonitorSlot("close")).toBe(false);
  });
});
