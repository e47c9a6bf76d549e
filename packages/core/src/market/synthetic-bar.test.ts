import { describe, expect, it } from "vitest";
import type { Quote } from "./bars.js";
import { withSyntheticBar } from "./synthetic-bar.js";
import { barsFromCloses, steadyBars } from "./testing.js";

const quote = (last: number, at = "2026-03-09T19:51:00Z"): Quote => ({
  symbol: "QQQ",
  at,
  last,
  source: "alpaca",
});

describe("the 3:55 protocol: today's synthetic bar", () => {
  const history = steadyBars(250, "2026-03-06", 440);

  it("appends one bar closing at the quote (plan: quote 450.25 → last close 450.25)", () => {
    const result = withSyntheticBar(history, quote(450.25), "2026-03-09");
    if (!result.ok) throw new Error(result.message);
    expect(result.bars).toHaveLength(history.length + 1);
    expect(result.bars.at(-1)).toEqual({
      date: "2026-03-09",
      open: 450.25,
      high: 450.25,
      low: 450.25,
      close: 450.25,
      volume: 0,
    });
    expect(result.bars.slice(0, -1)).toEqual(history);
    expect(history).toHaveLength(250);
  });

  it("takes open, high, low and volume from the session so far, widened to include the quote", () => {
    const result = withSyntheticBar(history, quote(452), "2026-03-09", {
      open: 447.1,
      high: 451.5,
      low: 446.2,
      volume: 31_000_000,
    });
    if (!result.ok) throw new Error(result.message);
    expect(result.bar).toEqual({
      date: "2026-03-09",
      open: 447.1,
      high: 452,
      low: 446.2,
      close: 452,
      volume: 31_000_000,
    });
  });

  it("carries an adjusted close equal to the close when the history has adjusted closes", () => {
    const adjusted = barsFromCloses([440, 441], { from: "2026-03-05", adjCloses: [438, 439] });
    const result = withSyntheticBar(adjusted, quote(450.25), "2026-03-09");
    if (!result.ok) throw new Error(result.message);
    expect(result.bar.adjClose).toBe(450.25);
  });

  it("refuses, replacing nothing, when the history already has a bar for today or later", () => {
    const withToday = barsFromCloses([440, 441], { from: "2026-03-06" });
    const result = withSyntheticBar(withToday, quote(450.25), "2026-03-09");
    expect(result).toEqual({
      ok: false,
      code: "bar_already_exists",
      message: expect.stringContaining("already has a bar dated 2026-03-09"),
      detail: { tradingDate: "2026-03-09", lastBarDate: "2026-03-09" },
    });
  });

  it("refuses bad input: a quote from another day, a NaN price, a disordered history", () => {
    expect(() =>
      withSyntheticBar(history, quote(450.25, "2026-03-06T19:51:00Z"), "2026-03-09"),
    ).toThrow(/from 2026-03-06 in New York, not the trading date 2026-03-09/);
    expect(() => withSyntheticBar(history, quote(Number.NaN), "2026-03-09")).toThrow(
      /quote is invalid/,
    );
    const disordered = [...barsFromCloses([1, 2], { from: "2026-03-04" })].reverse();
    expect(() => withSyntheticBar(disordered, quote(450.25), "2026-03-09")).toThrow(
      /dates must ascend/,
    );
    expect(() => withSyntheticBar(history, quote(450.25), "2026-03-09", { low: -1 })).toThrow(
      /session so far is invalid/,
    );
  });
});
