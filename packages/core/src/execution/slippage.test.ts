import { describe, expect, it } from "vitest";
import { classifySlippage, parseSlippageConfig } from "./slippage.js";

const buy = (fillPrice: number) =>
  classifySlippage({ symbol: "QQQ", side: "buy", expectedPrice: 450, fillPrice });

describe("slippage classification (SPEC §10, the plan's vectors)", () => {
  it("450.00 → 450.90 is 0.2%: ok", () => {
    expect(buy(450.9)).toEqual({
      level: "ok",
      slippage: 0.002,
      abortRemaining: false,
      message: "QQQ buy filled 450.9 vs expected 450: 0.2% adverse",
    });
  });

  it("450.00 → 452.70 is 0.6%: a warning with an alert, still allowed", () => {
    expect(buy(452.7)).toEqual({
      level: "warning_alert",
      slippage: 0.006,
      abortRemaining: false,
      message: "QQQ buy filled 452.7 vs expected 450: 0.6% adverse > max 0.5%: alert",
    });
  });

  it("450.00 → 456.75 is 1.5%: critical, the remaining orders are aborted", () => {
    expect(buy(456.75)).toMatchObject({ level: "critical", slippage: 0.015, abortRemaining: true });
    expect(buy(456.75).message).toBe(
      "QQQ buy filled 456.75 vs expected 450: 1.5% adverse > 1%: remaining orders aborted",
    );
  });

  it("between 0.3% and 0.5% is a plain warning; the thresholds themselves are inclusive", () => {
    expect(buy(451.8).level).toBe("warning"); // 0.4%
    expect(buy(451.35).level).toBe("ok"); // exactly 0.3%
    expect(buy(452.25).level).toBe("warning"); // exactly 0.5%
    expect(buy(454.5).level).toBe("warning_alert"); // exactly 1.0%
  });

  it("for a sell, a lower fill is adverse and a higher fill is favourable", () => {
    const sell = (fillPrice: number) =>
      classifySlippage({ symbol: "TQQQ", side: "sell", expectedPrice: 450, fillPrice });
    expect(sell(443.25)).toMatchObject({ level: "critical", slippage: 0.015 });
    expect(sell(456.75)).toMatchObject({ level: "ok", slippage: -0.015 });
    expect(buy(440).level).toBe("ok");
  });

  it("uses configured thresholds, checks their order, and refuses bad prices", () => {
    const strict = parseSlippageConfig({ warnAbove: 0.001, alertAbove: 0.002, abortAbove: 0.004 });
    expect(
      classifySlippage({ symbol: "QQQ", side: "buy", expectedPrice: 450, fillPrice: 450.9 }, strict)
        .level,
    ).toBe("warning");
    expect(() => parseSlippageConfig({ warnAbove: 0.02 })).toThrow(/must be ordered/);
    expect(() => buy(Number.NaN)).toThrow("QQQ fillPrice must be a finite price > 0, got NaN");
  });
});
