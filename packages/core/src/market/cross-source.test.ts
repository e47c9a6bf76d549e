import { describe, expect, it } from "vitest";
import type { Quote } from "./bars.js";
import { crossCheckQuotes, parseCrossSourceConfig } from "./cross-source.js";

const quote = (source: string, last: number, symbol = "QQQ"): Quote => ({
  symbol,
  at: "2026-03-09T19:51:00Z",
  last,
  source,
});

describe("cross-source quote check", () => {
  it("passes two quotes exactly 1% apart", () => {
    expect(
      crossCheckQuotes(quote("alpaca", 450), quote("iex", 454.5), { maxDiffPct: 0.01 }),
    ).toEqual({
      pass: true,
    });
    expect(crossCheckQuotes(quote("alpaca", 100), quote("iex", 99))).toEqual({ pass: true });
  });

  it("aborts at 1.01% apart, with both prices", () => {
    const check = crossCheckQuotes(quote("alpaca", 100), quote("iex", 101.01));
    expect(check).toEqual({
      pass: false,
      severity: "CRITICAL",
      code: "quote_mismatch",
      message: "QQQ quotes 1.01% apart: alpaca 100 vs iex 101.01 (limit 1%)",
      detail: {
        symbol: "QQQ",
        a: { source: "alpaca", last: 100, at: "2026-03-09T19:51:00Z" },
        b: { source: "iex", last: 101.01, at: "2026-03-09T19:51:00Z" },
        diffPct: expect.closeTo(0.0101, 12),
        maxDiffPct: 0.01,
      },
    });
  });

  it("takes a configured limit and refuses a nonsense one", () => {
    expect(crossCheckQuotes(quote("a", 100), quote("b", 101.5), { maxDiffPct: 0.02 }).pass).toBe(
      true,
    );
    expect(() => parseCrossSourceConfig({ maxDiffPct: -1 })).toThrow(/maxDiffPct/);
  });

  it("refuses quotes for different symbols, from one source, or with a bad price", () => {
    expect(() => crossCheckQuotes(quote("a", 100), quote("b", 100, "TLT"))).toThrow(
      /one symbol, got QQQ and TLT/,
    );
    expect(() => crossCheckQuotes(quote("a", 100), quote("a", 100))).toThrow(/two sources/);
    expect(() => crossCheckQuotes(quote("a", Number.NaN), quote("b", 100))).toThrow(
      /quote a is invalid/,
    );
  });
});
