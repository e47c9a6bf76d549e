/**
 * Post-market validation (SPEC §13) over real cycles: each run decides at 15:50 on a quote (the
 * 3:55 protocol), then the day is re-decided on the official close and graded.
 */
import { decisionPriceFillModel, openPaperSimulator } from "@trader/brokers";
import {
  type Bar,
  createAccountModel,
  manualClock,
  type PriceHistory,
  parseIsoInstant,
  parseValidationConfig,
  type Strategy,
} from "@trader/core";
import { createMemoryStore, type EventStore } from "@trader/store";
import { describe, expect, it } from "vitest";
import { loadAccount, typedAccountStore } from "../account/account-journal.js";
import { dayStream } from "../account/streams.js";
import { decisionInstant } from "../cycle/decision-time.js";
import { historySource, type MarketSource } from "../cycle/market-source.js";
import { runCycle } from "../cycle/run-cycle.js";
import {
  openTestAccount,
  randomWalkHistory,
  scheduledWeights,
  TEST_ACCOUNT,
  TEST_CALENDAR,
  testCycleSettings,
} from "../testing/cycle-fixture.js";
import { renderValidation } from "./render.js";
import { readValidation, ValidationInputError, validateDay } from "./validate-day.js";

const DAY_1 = "2026-03-02";
const DAY_2 = "2026-03-03";
const DAY_3 = "2026-03-04";
const BEFORE = TEST_CALENDAR.previousSession(DAY_1);

/** Two random walks up to the session before DAY_1, scaled to close there at $100 and $50. */
const BASE: PriceHistory = (() => {
  const walks = randomWalkHistory({ seed: 11, symbols: ["AAA", "BBB"], through: BEFORE });
  const scaledTo = (bars: readonly Bar[], last: number) => {
    const factor = last / (bars.at(-1) as Bar).close;
    const scale = (price: number) => Math.round(price * factor * 100) / 100;
    return bars.map((bar) => ({
      ...bar,
      open: scale(bar.open),
      high: scale(bar.high),
      low: scale(bar.low),
      close: scale(bar.close),
    }));
  };
  return { AAA: scaledTo(walks.AAA ?? [], 100), BBB: scaledTo(walks.BBB ?? [], 50) };
})();

/**
 * Two regime cells on AAA's price today: at or above $100 "above" holds 20% AAA and 10% BBB;
 * below it, "below" holds no AAA and 10% BBB.
 */
const THRESHOLD: Strategy<{ level: number }> = {
  name: "threshold",
  universe: ["AAA", "BBB"],
  historyBars: 20,
  params: { level: 100 },
  decide(snapshot) {
    const close = snapshot.bars("AAA").at(-1)?.close ?? 0;
    const above = close >= 100;
    return {
      regime: above ? "above" : "below",
      signals: [
        { kind: "target_weights", weights: { AAA: above ? 0.2 : 0, BBB: 0.1 }, confidence: 1 },
      ],
    };
  },
};

/** One session: the 15:50 quotes the decision uses, and the official 16:00 closes. */
interface Session {
  readonly date: string;
  readonly quotes: Readonly<Record<string, number>>;
  readonly closes: Readonly<Record<string, number>>;
}

const officialBar = (date: string, close: number): Bar => ({
  date,
  open: close,
  high: close,
  low: close,
  close,
  volume: 1_000_000,
});

/**
 * An account whose market serves history up to yesterday (the official closes of earlier
 * sessions included) and today's quotes; fills slip 10 bp against the decision price.
 */
async function quotingAccount(
  sessions: readonly Session[],
  store: EventStore = createMemoryStore(),
) {
  const official: Record<string, Bar[]> = {};
  for (const [symbol, bars] of Object.entries(BASE)) {
    official[symbol] = [
      ...bars,
      ...sessions.map((session) => officialBar(session.date, session.closes[symbol] as number)),
    ];
  }
  const sessionOf = (date: string) => sessions.find((session) => session.date === date) as Session;
  const clock = manualClock("2000-01-03T00:00:00.000Z");
  const moveClockTo = (at: string) => {
    if (parseIsoInstant(at) > clock.now()) clock.set(at);
  };
  let today = BEFORE;
  const simulator = await openPaperSimulator({
    store,
    account: TEST_ACCOUNT,
    clock,
    initialCashCents: 10_000_000,
    fillModel: decisionPriceFillModel({ slippageBps: 10 }),
    marks: (symbol) => sessionOf(today).quotes[symbol],
  });
  const market: MarketSource = {
    name: "quoting",
    async history(symbols, through) {
      return Object.fromEntries(
        symbols.map((symbol) => [
          symbol,
          (official[symbol] ?? []).filter((bar) => bar.date < through),
        ]),
      );
    },
    async quotes(symbols, at) {
      const { quotes } = sessionOf(today);
      return symbols.map((symbol) => ({
        symbol,
        at,
        last: quotes[symbol] as number,
        source: "quoting",
      }));
    },
  };
  const model = createAccountModel({ calendar: TEST_CALENDAR });
  const typed = typedAccountStore(store);
  return {
    official: official as PriceHistory,
    typed,
    model,
    clock,
    async run(date: string) {
      today = date;
      moveClockTo(decisionInstant(TEST_CALENDAR, date));
      return runCycle(
        {
          store,
          model,
          calendar: TEST_CALENDAR,
          broker: simulator,
          market,
          clock,
          strategies: [THRESHOLD],
          settings: testCycleSettings(),
        },
        { mode: "paper", account: TEST_ACCOUNT, tradingDate: date, endOfDay: true },
      );
    },
    /** At 16:15, on the official closes. */
    async validate(date: string, options: { rollingSessions?: number } = {}) {
      moveClockTo(`${date}T21:15:00.000Z`);
      return validateDay(
        typed,
        model,
        [THRESHOLD],
        testCycleSettings().pipeline,
        TEST_ACCOUNT,
        date,
        official,
        { clock, config: parseValidationConfig(options) },
      );
    },
    async validations(date: string) {
      const reports = [];
      for await (const event of typed.readStream(dayStream(TEST_ACCOUNT, date))) {
        if (event.type === "ValidationReported") reports.push(event);
      }
      return reports;
    },
  };
}

describe("validateDay: the day re-decided on the official close (SPEC §13)", () => {
  it("a day whose official close moved the strategy into another regime cell is RED", async () => {
    // 15:50 quote 100.05 (above the level), official close 99.95 (below): a drift of only 0.1%.
    const world = await quotingAccount([
      { date: DAY_1, quotes: { AAA: 100.05, BBB: 50 }, closes: { AAA: 99.95, BBB: 50 } },
    ]);
    expect((await world.run(DAY_1)).outcome).toBe("traded");
    const { status, report } = await world.validate(DAY_1);

    expect(status).toBe("reported");
    expect(report).toMatchObject({
      date: DAY_1,
      runId: `paper:${TEST_ACCOUNT}:${DAY_1}:close`,
      status: "RED",
      logicMatch: false,
      regimes: { recorded: { threshold: "above" }, official: { threshold: "below" } },
      prices: [
        {
          symbol: "AAA",
          decisionPrice: 100.05,
          decisionPriceFrom: "quote",
          officialClose: 99.95,
          drift: 0.0009995002,
        },
        { symbol: "BBB", decisionPrice: 50, officialClose: 50, drift: 0 },
      ],
    });
    expect(report.differences).toEqual([
      { kind: "regime", strategy: "threshold", symbol: null, recorded: "above", official: "below" },
      {
        kind: "target",
        strategy: "threshold",
        symbol: "AAA",
        recorded: "weight 0.2",
        official: "weight 0",
      },
    ]);
    expect(report.reason).toMatch(/^logic mismatch/);
  });

  it.each([
    [100.19, "GREEN", 0.0019],
    [100.2, "YELLOW", 0.002],
    [100.5, "YELLOW", 0.005],
    [100.51, "RED", 0.0051],
  ] as const)(
    "decided on a 100.00 quote, an official close of %s is %s",
    async (close, expected, drift) => {
      const world = await quotingAccount([
        { date: DAY_1, quotes: { AAA: 100, BBB: 50 }, closes: { AAA: close, BBB: 50 } },
      ]);
      await world.run(DAY_1);
      const { report } = await world.validate(DAY_1);
      expect(report.logicMatch).toBe(true);
      expect(report.maxDrift).toBe(drift);
      expect(report.status).toBe(expected);
    },
  );

  it("appends the report once: validating the day again returns the recorded report", async () => {
    const world = await quotingAccount([
      { date: DAY_1, quotes: { AAA: 100, BBB: 50 }, closes: { AAA: 100.1, BBB: 50.05 } },
    ]);
    await world.run(DAY_1);
    const before = (await loadAccount(world.typed, world.model, TEST_ACCOUNT)).state;
    const first = await world.validate(DAY_1);
    const again = await world.validate(DAY_1);

    expect(first.status).toBe("reported");
    expect(again).toEqual({ status: "already_reported", report: first.report });
    const recorded = await world.validations(DAY_1);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]?.metadata).toMatchObject({
      mode: "validate",
      runId: `validate:${TEST_ACCOUNT}:${DAY_1}:validation`,
      occurredAt: `${DAY_1}T21:15:00.000Z`,
    });
    expect(await readValidation(world.typed, TEST_ACCOUNT, DAY_1)).toEqual(first.report);
    expect(await readValidation(world.typed, TEST_ACCOUNT, DAY_2)).toBeNull();
    // An audit record only: the account's fold ignores it.
    expect((await loadAccount(world.typed, world.model, TEST_ACCOUNT)).state).toEqual(before);
  });

  it("rolls the sessions validated so far: logic match %, average drift and slippage", async () => {
    const world = await quotingAccount([
      { date: DAY_1, quotes: { AAA: 100, BBB: 50 }, closes: { AAA: 100.1, BBB: 50 } },
      // Decided "above" on 100.20; the close of 99.90 is "below": a mismatch.
      { date: DAY_2, quotes: { AAA: 100.2, BBB: 50 }, closes: { AAA: 99.9, BBB: 50.1 } },
      { date: DAY_3, quotes: { AAA: 99, BBB: 50 }, closes: { AAA: 99, BBB: 50.1 } },
    ]);
    const reports = [];
    for (const date of [DAY_1, DAY_2, DAY_3]) {
      await world.run(date);
      reports.push(
        (await world.validate(date, date === DAY_3 ? { rollingSessions: 2 } : {})).report,
      );
    }
    const [day1, day2, day3] = reports;

    // Day 1 bought AAA and BBB, each fill 10 bp against the decision price.
    expect(day1?.slippage.fills).toBe(2);
    expect(day1?.slippage.average).toBeCloseTo(0.001, 4);
    expect(day1?.rolling).toMatchObject({ sessions: 1, logicMatches: 1, logicMatchPct: 100 });

    expect(day2?.status).toBe("RED");
    expect(day2?.rolling).toMatchObject({ sessions: 2, logicMatches: 1, logicMatchPct: 50 });
    expect(day2?.rolling.averageDrift).toBeCloseTo(
      ((day1?.averageDrift ?? 0) + (day2?.averageDrift ?? 0)) / 2,
      9,
    );
    expect(day2?.rolling.maxDrift).toBe(day2?.maxDrift);
    expect(day2?.rolling.averageSlippage).toBeCloseTo(0.001, 4);

    // Day 3 matches (below on both); with a 2-session window, day 1 has left the view.
    expect(day3?.status).toBe("YELLOW");
    expect(day3?.rolling).toMatchObject({ sessions: 2, logicMatches: 1, logicMatchPct: 50 });
  });

  it("an end-of-day decision is priced at its own close; the official source may be a market source", async () => {
    const history = randomWalkHistory({ seed: 3, symbols: ["AAA", "BBB"], through: DAY_1 });
    const test = await openTestAccount({
      store: createMemoryStore(),
      history,
      strategies: [scheduledWeights("rotation", { [DAY_1]: { AAA: 0.25, BBB: 0.25 } })],
    });
    await test.run(DAY_1);
    const validate = (official: MarketSource) =>
      validateDay(
        typedAccountStore(test.store),
        test.model,
        [scheduledWeights("rotation", { [DAY_1]: { AAA: 0.25, BBB: 0.25 } })],
        testCycleSettings().pipeline,
        TEST_ACCOUNT,
        DAY_1,
        official,
        { clock: test.clock },
      );
    const { report } = await validate(historySource("official", history));
    expect(report.status).toBe("GREEN");
    expect(report.prices.map((line) => [line.decisionPriceFrom, line.drift])).toEqual([
      ["window_close", 0],
      ["window_close", 0],
    ]);
    expect(report.reason).toBe("logic match; largest drift 0% (AAA) < 0.2%");
  });

  it("refuses a day without a decision, and official closes missing a symbol", async () => {
    const world = await quotingAccount([
      { date: DAY_1, quotes: { AAA: 100, BBB: 50 }, closes: { AAA: 100, BBB: 50 } },
    ]);
    await expect(world.validate(DAY_1)).rejects.toThrow(
      `${DAY_1}: account "${TEST_ACCOUNT}" has no decision run recorded on this day; nothing to validate`,
    );
    await world.run(DAY_1);
    const withoutBbb = { AAA: world.official.AAA ?? [] };
    await expect(
      validateDay(
        world.typed,
        world.model,
        [THRESHOLD],
        testCycleSettings().pipeline,
        TEST_ACCOUNT,
        DAY_1,
        withoutBbb,
        { clock: world.clock },
      ),
    ).rejects.toThrow(
      new ValidationInputError(
        `the official closes have no bar dated ${DAY_1} for BBB; validation needs the session's official close of every symbol the decision read`,
      ),
    );
    expect(await world.validations(DAY_1)).toHaveLength(0);
  });

  it("renders the report for people", async () => {
    const world = await quotingAccount([
      { date: DAY_1, quotes: { AAA: 100.05, BBB: 50 }, closes: { AAA: 99.95, BBB: 50 } },
    ]);
    await world.run(DAY_1);
    const text = renderValidation((await world.validate(DAY_1)).report);
    expect(text.split("\n")).toEqual([
      `${DAY_1} validation of paper:${TEST_ACCOUNT}:${DAY_1}:close: 🔴 RED`,
      "  logic mismatch: the official close decides differently; largest drift 0.1% (AAA)",
      "",
      "Price drift (decision price → official close; GREEN < 0.2%, RED > 0.5%):",
      "  AAA: 100.05 (quote) → 99.95  0.1%",
      "  BBB: 50 (quote) → 50  0%",
      "",
      "Logic: MISMATCH",
      "  threshold: above → below   ✗ differs",
      "  threshold AAA: weight 0.2 → weight 0   ✗ differs",
      "  threshold BBB: weight 0.1 → weight 0.1",
      "",
      "Slippage today: 0.1% average over 2 fill(s)",
      "Rolling (last 1 session(s)): logic match 0/1 (0%), average drift 0.05%, max drift 0.1%, average slippage 0.1% over 2 fill(s)",
    ]);
  });
});
