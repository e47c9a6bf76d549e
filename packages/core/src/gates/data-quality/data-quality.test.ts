import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { weekdayCalendar } from "../../calendar/trading-calendar.js";
import type { Bar, Quote } from "../../market/bars.js";
import { barsFromCloses, steadyBars } from "../../market/testing.js";
import { parseDataQualityConfig } from "./config.js";
import {
  checkDataQuality,
  type DataQualityInput,
  dataQualityVerdict,
  type SymbolMarketData,
} from "./gate.js";

// Monday 16 March 2026, 15:50 in New York (daylight time): the decision instant.
const AT = "2026-03-16T19:50:00Z";
const FRIDAY = "2026-03-13";
const healthy = (symbol: string, bars: Bar[] = steadyBars(260, FRIDAY)): SymbolMarketData => ({
  symbol,
  bars,
});

const failuresOf = (input: DataQualityInput, config = parseDataQualityConfig()) =>
  checkDataQuality(input, config).symbols.map((entry) => ({
    symbol: entry.symbol,
    checks: entry.failures.map((failure) => failure.check),
  }));

/** Closes that wiggle gently, with `last` as the final close. */
const closesEndingWith = (count: number, ...tail: number[]): number[] => [
  ...Array.from({ length: count - tail.length }, (_, index) => 100 + (index % 3)),
  ...tail,
];

describe("staleness (72 h from the last bar's 16:00 New York close)", () => {
  it("passes Friday's bar on Monday at 15:50 (71 h 50 min)", () => {
    const report = checkDataQuality({ at: AT, symbols: [healthy("QQQ")] });
    expect(report.symbols).toEqual([{ symbol: "QQQ", pass: true, failures: [] }]);
    expect(report.aborts).toEqual([]);
  });

  it("passes exactly at 72 h and 71 h 59 min, blocks at 72 h 1 min", () => {
    const symbols = [healthy("QQQ")];
    expect(checkDataQuality({ at: "2026-03-16T19:59:00Z", symbols }).symbols[0]?.pass).toBe(true);
    expect(checkDataQuality({ at: "2026-03-16T20:00:00Z", symbols }).symbols[0]?.pass).toBe(true);
    const late = checkDataQuality({ at: "2026-03-16T20:01:00Z", symbols });
    expect(late.symbols[0]?.failures).toEqual([
      {
        check: "stale",
        code: "data_quality",
        message: "QQQ last bar 2026-03-13 closed 72 h before the decision (limit 72 h)",
        detail: {
          lastBarDate: FRIDAY,
          lastCloseAt: "2026-03-13T20:00:00.000Z",
          ageHours: 72 + 1 / 60,
          maxAgeHours: 72,
          assetClass: null,
          previousSession: null,
        },
      },
    ]);
  });

  it("measures from 21:00 UTC in winter: Friday 6 March to Monday 9 March 15:50 EDT is 70 h 50 min", () => {
    const report = checkDataQuality({
      at: "2026-03-09T19:50:00Z",
      symbols: [healthy("QQQ", steadyBars(260, "2026-03-06"))],
    });
    expect(report.symbols[0]?.pass).toBe(true);
  });

  it("blocks after a Monday holiday without a calendar, and not with one", () => {
    const symbols = [healthy("QQQ", steadyBars(260, "2026-05-22"))];
    const at = "2026-05-26T19:50:00Z";
    expect(failuresOf({ at, symbols })).toEqual([{ symbol: "QQQ", checks: ["stale"] }]);
    const calendar = weekdayCalendar(["2026-05-25"]);
    expect(checkDataQuality({ at, symbols, calendar }).symbols[0]?.pass).toBe(true);
    // A bar older than the previous session is still stale with a calendar.
    const older = [healthy("QQQ", steadyBars(260, "2026-05-21"))];
    expect(failuresOf({ at, symbols: older, calendar })).toEqual([
      { symbol: "QQQ", checks: ["stale"] },
    ]);
  });

  it("uses the asset class's limit and a caller's session close", () => {
    const config = parseDataQualityConfig({ maxAgeHoursByAssetClass: { crypto: 1 } });
    const input = { at: AT, symbols: [{ ...healthy("BTC"), assetClass: "crypto" }] };
    expect(failuresOf(input, config)).toEqual([{ symbol: "BTC", checks: ["stale"] }]);
    // Friday closed early at 13:00 New York (17:00 UTC): Monday 15:30 is then 74.5 h later.
    const earlyClose = (date: string) => `${date}T17:00:00Z`;
    const at = "2026-03-16T19:30:00Z";
    expect(checkDataQuality({ at, symbols: [healthy("QQQ")] }).symbols[0]?.pass).toBe(true);
    const report = checkDataQuality({ at, symbols: [healthy("QQQ")], sessionClose: earlyClose });
    expect(report.symbols[0]?.failures[0]?.detail).toMatchObject({
      lastCloseAt: "2026-03-13T17:00:00Z",
      ageHours: 74.5,
    });
  });

  it("counts today's synthetic bar as fresh, and refuses a bar from the future", () => {
    const withToday = steadyBars(260, "2026-03-16");
    expect(
      checkDataQuality({ at: AT, symbols: [healthy("QQQ", withToday)] }).symbols[0]?.pass,
    ).toBe(true);
    expect(() =>
      checkDataQuality({ at: AT, symbols: [healthy("QQQ", steadyBars(260, "2026-03-17"))] }),
    ).toThrow(/QQQ has a bar dated 2026-03-17, after the decision date 2026-03-16/);
  });

  it("blocks a symbol with no bars at all", () => {
    expect(failuresOf({ at: AT, symbols: [healthy("QQQ", [])] })).toEqual([
      { symbol: "QQQ", checks: ["stale", "insufficient_history"] },
    ]);
  });
});

describe("history length (250 bars, or the strategy's historyBars when larger)", () => {
  it("passes 250 bars and blocks 249", () => {
    expect(failuresOf({ at: AT, symbols: [healthy("QQQ", steadyBars(250, FRIDAY))] })).toEqual([
      { symbol: "QQQ", checks: [] },
    ]);
    const report = checkDataQuality({ at: AT, symbols: [healthy("QQQ", steadyBars(249, FRIDAY))] });
    expect(report.symbols[0]?.failures[0]).toMatchObject({
      check: "insufficient_history",
      message: "QQQ has 249 bars of history, fewer than the 250 required",
      detail: { bars: 249, required: 250, minHistoryBars: 250, strategyHistoryBars: null },
    });
  });

  it("requires the strategy's historyBars when larger", () => {
    const symbols = [healthy("QQQ", steadyBars(260, FRIDAY))];
    expect(failuresOf({ at: AT, symbols, historyBars: 300 })).toEqual([
      { symbol: "QQQ", checks: ["insufficient_history"] },
    ]);
    expect(failuresOf({ at: AT, symbols, historyBars: 100 })).toEqual([
      { symbol: "QQQ", checks: [] },
    ]);
  });
});

describe("one-day moves (> 50% blocks the symbol)", () => {
  const to = FRIDAY;
  it("passes exactly +50% and blocks +50.5%", () => {
    const up50 = barsFromCloses(closesEndingWith(260, 100, 150), { to });
    const up505 = barsFromCloses(closesEndingWith(260, 100, 150.5), { to });
    expect(failuresOf({ at: AT, symbols: [healthy("QQQ", up50)] })).toEqual([
      { symbol: "QQQ", checks: [] },
    ]);
    const report = checkDataQuality({ at: AT, symbols: [healthy("QQQ", up505)] });
    expect(report.symbols[0]?.failures[0]).toMatchObject({
      check: "price_outlier",
      message: "QQQ moved +50.5% in one day on 2026-03-13 (100 → 150.5), more than the 50% limit",
    });
    expect(report.aborts).toEqual([]);
  });

  it("leaves a split-like halving to the run-level corporate-action abort", () => {
    const halved = barsFromCloses(closesEndingWith(260, 100, 50), { to });
    const report = checkDataQuality({ at: AT, symbols: [healthy("TQQQ", halved)] });
    expect(report.symbols[0]?.pass).toBe(true);
    expect(report.aborts).toHaveLength(1);
    expect(report.aborts[0]).toMatchObject({
      code: "corporate_action",
      severity: "CRITICAL",
      detail: { symbol: "TQQQ", evidence: [{ nearestSplit: "2:1", date: "2026-03-13" }] },
    });
  });

  it("does not abort on a −34% leveraged-ETF crash", () => {
    const crash = barsFromCloses(closesEndingWith(260, 100, 66), { to });
    const report = checkDataQuality({ at: AT, symbols: [healthy("TQQQ", crash)] });
    expect(report.symbols[0]?.pass).toBe(true);
    expect(report.aborts).toEqual([]);
  });
});

describe("indicators (required and present; > 10% missing in the last 20 values blocks)", () => {
  const window = (missing: number, length = 20): (number | null)[] =>
    Array.from({ length }, (_, index) => (index < missing ? Number.NaN : 100 + index));

  it("passes 2 missing of 20 (10%) and blocks 3 of 20 (15%)", () => {
    const at10 = { ...healthy("QQQ"), indicators: { sma40: window(2) } };
    const at15 = { ...healthy("QQQ"), indicators: { sma40: window(3) } };
    expect(failuresOf({ at: AT, symbols: [at10] })).toEqual([{ symbol: "QQQ", checks: [] }]);
    const report = checkDataQuality({ at: AT, symbols: [at15] });
    expect(report.symbols[0]?.failures).toEqual([
      {
        check: "nan_share",
        code: "data_quality",
        message: "QQQ has too many missing indicator values: sma40 3 of 20 (15%); limit 10%",
        detail: {
          indicators: [{ indicator: "sma40", missing: 3, window: 20, share: 0.15 }],
          maxNanShare: 0.1,
          nanWindowBars: 20,
        },
      },
    ]);
  });

  it("passes 10 missing of 100 and blocks 11 when the window is 100", () => {
    const config = parseDataQualityConfig({ nanWindowBars: 100 });
    const symbol = (missing: number) => ({
      ...healthy("QQQ"),
      indicators: { vol: window(missing, 100) },
    });
    expect(failuresOf({ at: AT, symbols: [symbol(10)] }, config)[0]?.checks).toEqual([]);
    expect(failuresOf({ at: AT, symbols: [symbol(11)] }, config)[0]?.checks).toEqual(["nan_share"]);
  });

  it("ignores warm-up NaNs before the window", () => {
    const sma140 = [...window(139, 139), ...window(0, 121)];
    expect(
      failuresOf({ at: AT, symbols: [{ ...healthy("QQQ"), indicators: { sma140 } }] }),
    ).toEqual([{ symbol: "QQQ", checks: [] }]);
  });

  it("blocks a required indicator whose latest value is missing or absent", () => {
    const latestNull = [...window(0, 19), null];
    const report = checkDataQuality({
      at: AT,
      symbols: [
        {
          ...healthy("QQQ"),
          indicators: { kalmanVelocity: latestNull, sma40: window(0) },
          requiredIndicators: ["sma140"],
        },
      ],
    });
    expect(report.symbols[0]?.failures).toEqual([
      {
        check: "missing_indicator",
        code: "data_quality",
        message: "QQQ is missing the latest value of kalmanVelocity, sma140",
        detail: {
          missing: ["kalmanVelocity", "sma140"],
          latest: { kalmanVelocity: null, sma140: null },
        },
      },
    ]);
  });
});

describe("cross-source quotes in the gate", () => {
  const quote = (source: string, last: number, symbol = "QQQ"): Quote => ({
    symbol,
    at: AT,
    last,
    source,
  });

  it("passes 1% apart and aborts the run at 1.01%", () => {
    const symbols = [healthy("QQQ"), healthy("TLT")];
    const ok = checkDataQuality({
      at: AT,
      symbols,
      quotes: [quote("alpaca", 100), quote("iex", 101), quote("alpaca", 90, "TLT")],
    });
    expect(ok.aborts).toEqual([]);
    const bad = checkDataQuality({
      at: AT,
      symbols,
      quotes: [quote("alpaca", 100), quote("iex", 101.01)],
    });
    expect(bad.aborts).toEqual([
      expect.objectContaining({ code: "quote_mismatch", severity: "CRITICAL" }),
    ]);
    expect(bad.symbols.every((entry) => entry.pass)).toBe(true);
  });
});

describe("report, summary and funnel verdicts", () => {
  const input: DataQualityInput = {
    at: AT,
    symbols: [
      healthy("QQQ"),
      healthy("TLT"),
      healthy("TMF", steadyBars(260, "2026-03-10")),
      healthy("TMV", steadyBars(100, FRIDAY)),
    ],
  };

  it("summarizes who was blocked by what", () => {
    const { summary } = checkDataQuality(input);
    expect(summary).toEqual({
      checked: 4,
      passed: 2,
      blocked: ["TMF", "TMV"],
      failuresByCheck: {
        stale: 1,
        insufficient_history: 1,
        price_outlier: 0,
        missing_indicator: 0,
        nan_share: 0,
      },
      message: "4 symbols checked, 2 passed; blocked: TMF (stale), TMV (insufficient_history)",
    });
  });

  it("gives a blocked symbol's signals data_quality with the failed check", () => {
    const report = checkDataQuality(input);
    expect(dataQualityVerdict(report, "QQQ")).toEqual({ pass: true });
    expect(dataQualityVerdict(report, "TMF")).toEqual({
      pass: false,
      code: "data_quality",
      message: "TMF last bar 2026-03-10 closed 143.8 h before the decision (limit 72 h)",
      detail: { symbol: "TMF", checks: ["stale"], failures: report.symbols[2]?.failures },
    });
    expect(() => dataQualityVerdict(report, "SPY")).toThrow(
      /SPY was not checked; the report covers QQQ, TLT, TMF, TMV/,
    );
  });

  it("refuses duplicate symbols, bad bars and a bad instant", () => {
    expect(() => checkDataQuality({ at: AT, symbols: [healthy("QQQ"), healthy("QQQ")] })).toThrow(
      /QQQ appears twice/,
    );
    const nanBar = steadyBars(3, FRIDAY).map((bar, index) =>
      index === 1 ? { ...bar, close: Number.NaN } : bar,
    );
    expect(() => checkDataQuality({ at: AT, symbols: [healthy("QQQ", nanBar)] })).toThrow(
      /QQQ bar 1 \(2026-03-12\): close must be a finite price > 0, got NaN/,
    );
    expect(() => checkDataQuality({ at: "yesterday", symbols: [] })).toThrow(/ISO-8601/);
    expect(() => parseDataQualityConfig({ maxNanShare: 1.5 })).toThrow(/maxNanShare/);
  });

  it("accounts for every symbol exactly once (property)", () => {
    const symbolData = fc.record({
      days: fc.integer({ min: 0, max: 6 }),
      length: fc.integer({ min: 0, max: 300 }),
      jump: fc.double({ min: 0.3, max: 1.8, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(symbolData, { maxLength: 6 }), (specs) => {
        const calendar = weekdayCalendar();
        const symbols = specs.map((spec, index) => {
          let last = FRIDAY;
          for (let day = 0; day < spec.days; day++) last = calendar.previousSession(last);
          const bars = steadyBars(spec.length, last).map((bar, position, all) =>
            position === all.length - 1 ? { ...bar, close: bar.close * spec.jump } : bar,
          );
          return healthy(
            `S${index}`,
            bars.map((bar) => ({
              ...bar,
              high: Math.max(bar.high, bar.close),
              low: Math.min(bar.low, bar.close),
            })),
          );
        });
        const report = checkDataQuality({ at: AT, symbols });
        const { summary } = report;
        const failures = report.symbols.reduce((sum, entry) => sum + entry.failures.length, 0);
        const counted = Object.values(summary.failuresByCheck).reduce((sum, n) => sum + n, 0);
        return (
          report.symbols.length === symbols.length &&
          summary.checked === summary.passed + summary.blocked.length &&
          failures === counted &&
          report.symbols.every((entry) => entry.pass === (entry.failures.length === 0))
        );
      }),
    );
  });
});
