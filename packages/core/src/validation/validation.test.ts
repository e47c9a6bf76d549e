import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createEventRegistry } from "../events/registry.js";
import { fixedClock } from "../ports/clock.js";
import { seededIds } from "../ports/ids.js";
import { classifyValidation, priceDrift } from "./classify.js";
import { compareDecisions, summarizeDecision } from "./compare.js";
import { parseValidationConfig } from "./config.js";
import type { DecisionSummary } from "./events.js";
import { ValidationReported } from "./events.js";
import { daySlippage, validationReport } from "./report.js";
import { rollingValidation, type ValidationSession } from "./rolling.js";

/** The status of one symbol decided at `decision` whose official close was `close`. */
const statusAt = (decision: number, close: number, logicMatch = true) =>
  classifyValidation({ logicMatch, drifts: { QQQ: priceDrift(decision, close, "QQQ") } }).status;

describe("price drift and the GREEN / YELLOW / RED boundaries (SPEC §13)", () => {
  it("measures |official close − decision price| / decision price", () => {
    // The plan's report: QQQ 15:55 = 450.12, 16:00 = 450.35; TLT 92.80 → 92.75.
    expect(priceDrift(450.12, 450.35)).toBeCloseTo(0.000511, 6);
    expect(priceDrift(92.8, 92.75)).toBeCloseTo(0.000539, 6);
    expect(priceDrift(100, 99.8)).toBe(0.002);
  });

  it("0.19% is GREEN; exactly 0.2% and exactly 0.5% are YELLOW; 0.51% is RED", () => {
    expect(statusAt(100, 100.19)).toBe("GREEN");
    expect(statusAt(100, 100.2)).toBe("YELLOW");
    expect(statusAt(100, 99.8)).toBe("YELLOW");
    expect(statusAt(100, 100.35)).toBe("YELLOW");
    expect(statusAt(100, 100.5)).toBe("YELLOW");
    expect(statusAt(100, 100.51)).toBe("RED");
    expect(statusAt(450.12, 450.35)).toBe("GREEN");
  });

  it("a logic mismatch is RED whatever the drift", () => {
    expect(statusAt(100, 100, false)).toBe("RED");
    expect(classifyValidation({ logicMatch: false, drifts: { QQQ: 0.0005 } }).reason).toMatch(
      /^logic mismatch: the official close decides differently; largest drift 0.05% \(QQQ\)$/,
    );
  });

  it("grades on the largest drift and names its symbol", () => {
    const verdict = classifyValidation({ logicMatch: true, drifts: { QQQ: 0.0005, TLT: 0.0051 } });
    expect(verdict).toEqual({
      status: "RED",
      maxDrift: 0.0051,
      maxDriftSymbol: "TLT",
      reason: "logic match, but largest drift 0.51% (TLT) > 0.5%",
    });
    expect(classifyValidation({ logicMatch: true, drifts: {} })).toMatchObject({
      status: "GREEN",
      maxDrift: 0,
      maxDriftSymbol: null,
    });
  });

  it("uses configured thresholds and refuses bad ones and bad inputs", () => {
    const strict = parseValidationConfig({ greenBelow: 0.001, yellowUpTo: 0.002 });
    expect(classifyValidation({ logicMatch: true, drifts: { QQQ: 0.0015 } }, strict).status).toBe(
      "YELLOW",
    );
    expect(classifyValidation({ logicMatch: true, drifts: { QQQ: 0.0021 } }, strict).status).toBe(
      "RED",
    );
    expect(() => parseValidationConfig({ greenBelow: 0.01 })).toThrow(
      /validation config is invalid[\s\S]*greenBelow \(0.01\) ≤ yellowUpTo \(0.005\)/,
    );
    expect(() => parseValidationConfig({ rollingSessions: 0 })).toThrow(/rollingSessions/);
    expect(() => classifyValidation({ logicMatch: true, drifts: { QQQ: Number.NaN } })).toThrow(
      "drift of QQQ must be a finite fraction ≥ 0, got NaN",
    );
    expect(() => priceDrift(0, 100, "TLT")).toThrow(
      "TLT decisionPrice must be a finite price > 0, got 0",
    );
  });

  it("a larger drift never gets a better status", () => {
    const rank = { GREEN: 0, YELLOW: 1, RED: 2 } as const;
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 0.02, noNaN: true }),
        fc.double({ min: 0, max: 0.02, noNaN: true }),
        fc.boolean(),
        (a, b, logicMatch) => {
          const [low, high] = a <= b ? [a, b] : [b, a];
          const status = (drift: number) =>
            rank[classifyValidation({ logicMatch, drifts: { X: drift } }).status];
          expect(status(low)).toBeLessThanOrEqual(status(high));
        },
      ),
      { numRuns: 200 },
    );
  });
});

const decided = (strategy: string, regime: string) => ({
  type: "StrategyDecided",
  data: { strategy, regime, signals: 1 },
});
const raised = (strategy: string, symbol: string, weight: number) => ({
  type: "SignalRaised",
  data: {
    signalId: `${strategy}-${symbol}`,
    strategy,
    symbol,
    intent: { kind: "target_weight", weight },
    confidence: 1,
    regime: "r",
  },
});

describe("logic match: regime cell and targets", () => {
  const cell3 = summarizeDecision([
    decided("v3.5b", "cell_3"),
    raised("v3.5b", "TQQQ", 0.45),
    raised("v3.5b", "TMF", 0.3),
    { type: "SignalStopped", data: {} },
  ]);

  it("reads the regime per strategy and the target per strategy and symbol", () => {
    expect(cell3).toEqual({
      aborted: null,
      regimes: { "v3.5b": "cell_3" },
      targets: {
        "v3.5b": {
          TMF: { kind: "target_weight", weight: 0.3 },
          TQQQ: { kind: "target_weight", weight: 0.45 },
        },
      },
    });
  });

  it("the same cell and targets match; float noise in a weight still matches", () => {
    expect(compareDecisions(cell3, cell3)).toEqual({ logicMatch: true, differences: [] });
    const noisy = summarizeDecision([
      decided("v3.5b", "cell_3"),
      raised("v3.5b", "TQQQ", 0.45 + 1e-12),
      raised("v3.5b", "TMF", 0.1 + 0.2),
    ]);
    expect(compareDecisions(cell3, noisy).logicMatch).toBe(true);
  });

  it("another cell with other targets is a mismatch, each difference named", () => {
    const cell5 = summarizeDecision([
      decided("v3.5b", "cell_5"),
      raised("v3.5b", "TQQQ", 0),
      raised("v3.5b", "TMV", 0.3),
    ]);
    expect(compareDecisions(cell3, cell5)).toEqual({
      logicMatch: false,
      differences: [
        { kind: "regime", strategy: "v3.5b", symbol: null, recorded: "cell_3", official: "cell_5" },
        {
          kind: "target",
          strategy: "v3.5b",
          symbol: "TMF",
          recorded: "weight 0.3",
          official: null,
        },
        {
          kind: "target",
          strategy: "v3.5b",
          symbol: "TMV",
          recorded: null,
          official: "weight 0.3",
        },
        {
          kind: "target",
          strategy: "v3.5b",
          symbol: "TQQQ",
          recorded: "weight 0.45",
          official: "weight 0",
        },
      ],
    });
  });

  it("a run aborted on one side only, or a strategy missing on one side, is a mismatch", () => {
    const aborted = summarizeDecision([
      {
        type: "RunAborted",
        data: { runId: "r", code: "corporate_action", message: "m", detail: {} },
      },
    ]);
    expect(compareDecisions(cell3, aborted).differences[0]).toEqual({
      kind: "aborted",
      strategy: null,
      symbol: null,
      recorded: null,
      official: "corporate_action",
    });
    const withoutTargets: DecisionSummary = { ...cell3, targets: {} };
    expect(compareDecisions(cell3, withoutTargets).logicMatch).toBe(false);
    expect(() => compareDecisions(cell3, cell3, -1)).toThrow(
      "weightTolerance must be a finite number ≥ 0, got -1",
    );
  });
});

const session = (
  date: string,
  logicMatch: boolean,
  averageDrift: number,
  slippage = daySlippage([]),
): ValidationSession => ({ date, logicMatch, averageDrift, maxDrift: averageDrift * 2, slippage });

/** Sessions on 2026-03-01 … 2026-03-n (calendar days are enough for the arithmetic). */
const day = (n: number) => `2026-03-${String(n).padStart(2, "0")}`;

describe("rolling 20 sessions", () => {
  it("covers the last 20 sessions: 19 of 20 matched is 95%, older sessions fall out", () => {
    const sessions = Array.from({ length: 25 }, (_, index) =>
      // Sessions 1–5 all mismatch (they fall out of the window); session 12 mismatches.
      session(day(index + 1), index >= 5 && index !== 11, 0.0018),
    );
    const rolling = rollingValidation(sessions, 20);
    expect(rolling).toMatchObject({
      sessions: 20,
      logicMatches: 19,
      logicMatchPct: 95,
      averageDrift: 0.0018,
      maxDrift: 0.0036,
      averageSlippage: null,
      fills: 0,
    });
  });

  it("averages drift per session and slippage per fill", () => {
    const rolling = rollingValidation([
      session(day(2), true, 0.001, daySlippage([0.003, 0.003, 0.003])),
      session(day(1), true, 0.003, daySlippage([-0.001])),
      session(day(3), false, 0.002),
    ]);
    expect(rolling.sessions).toBe(3);
    expect(rolling.logicMatchPct).toBeCloseTo(66.67, 2);
    expect(rolling.averageDrift).toBe(0.002);
    // (3 × 0.3% − 0.1%) / 4 fills = 0.2%.
    expect(rolling.averageSlippage).toBe(0.002);
    expect(rolling.fills).toBe(4);
  });

  it("a date given twice counts once (its later report)", () => {
    const rolling = rollingValidation([
      session(day(1), false, 0.001),
      session(day(1), true, 0.001),
    ]);
    expect(rolling).toMatchObject({ sessions: 1, logicMatches: 1, logicMatchPct: 100 });
  });

  it("refuses an empty history, a bad window and bad drifts", () => {
    expect(() => rollingValidation([])).toThrow("needs at least one validated session");
    expect(() => rollingValidation([session(day(1), true, 0)], 0)).toThrow(
      "rollingValidation: sessions must be a whole number ≥ 1, got 0",
    );
    expect(() => rollingValidation([session(day(1), true, -0.1)])).toThrow(
      "rollingValidation: 2026-03-01 averageDrift must be a finite fraction ≥ 0, got -0.1",
    );
    expect(() => daySlippage([Number.POSITIVE_INFINITY])).toThrow(
      "adverse slippage of fill 1 must be a finite number, got Infinity",
    );
  });
});

describe("the validation report and its event", () => {
  const recorded = summarizeDecision([decided("sma", "uptrend"), raised("sma", "QQQ", 0.9)]);

  it("grades the day, keeps both decisions, and rolls this session in with the earlier ones", () => {
    const report = validationReport({
      date: day(21),
      runId: "paper:acct:2026-03-21:close",
      recorded,
      official: recorded,
      prices: [
        { symbol: "TLT", decisionPrice: 92.8, decisionPriceFrom: "quote", officialClose: 92.75 },
        { symbol: "QQQ", decisionPrice: 100, decisionPriceFrom: "quote", officialClose: 100.2 },
      ],
      slippage: daySlippage([0.0024]),
      previous: Array.from({ length: 20 }, (_, index) =>
        session(day(index + 1), index !== 0, 0.001),
      ),
    });
    expect(report).toMatchObject({
      status: "YELLOW",
      logicMatch: true,
      differences: [],
      maxDrift: 0.002,
      prices: [
        { symbol: "QQQ", drift: 0.002 },
        { symbol: "TLT", drift: priceDrift(92.8, 92.75) },
      ],
      regimes: { recorded: { sma: "uptrend" }, official: { sma: "uptrend" } },
      slippage: { fills: 1, average: 0.0024 },
      thresholds: { greenBelow: 0.002, yellowUpTo: 0.005 },
    });
    // The first session (the only mismatch) fell out of the 20; today is in.
    expect(report.rolling).toMatchObject({
      sessions: 20,
      logicMatchPct: 100,
      averageSlippage: 0.0024,
    });
    expect(report.averageDrift).toBeCloseTo((0.002 + priceDrift(92.8, 92.75)) / 2, 9);

    const registry = createEventRegistry([ValidationReported]);
    const [stamped] = registry.stamp([{ type: "ValidationReported", data: report }], {
      clock: fixedClock("2026-03-21T20:15:00.000Z"),
      ids: seededIds("validation"),
      runId: "validate:acct:2026-03-21:validation",
      mode: "validate",
    });
    expect(registry.decode(JSON.parse(JSON.stringify(stamped))).data).toEqual(report);
  });

  it("a decision that moved cell on the official close is RED", () => {
    const official = summarizeDecision([decided("sma", "downtrend"), raised("sma", "QQQ", 0)]);
    const report = validationReport({
      date: day(1),
      runId: "paper:acct:2026-03-01:close",
      recorded,
      official,
      prices: [
        { symbol: "QQQ", decisionPrice: 100, decisionPriceFrom: "quote", officialClose: 100.1 },
      ],
      slippage: daySlippage([]),
      previous: [],
    });
    expect(report.status).toBe("RED");
    expect(report.differences.map((difference) => difference.kind)).toEqual(["regime", "target"]);
    expect(report.rolling).toMatchObject({ sessions: 1, logicMatches: 0, logicMatchPct: 0 });
  });
});
