import { describe, expect, it } from "vitest";
import { assertCents, centsFromDollars, dollarsFromCents, formatCents } from "./money.js";

describe("money in integer cents", () => {
  it("converts dollars to whole cents without float drift", () => {
    expect(centsFromDollars(0.1 + 0.2)).toBe(30);
    expect(centsFromDollars(1000)).toBe(100_000);
    expect(centsFromDollars(-2.005)).toBe(-201);
    expect(dollarsFromCents(92_000)).toBe(920);
  });

  it("refuses NaN, infinities and fractional cents, naming the field", () => {
    expect(() => centsFromDollars(Number.NaN)).toThrow(/not a finite amount/);
    expect(() => assertCents(1.5, "equity")).toThrow(
      /equity must be a whole number of cents, got 1.5/,
    );
  });

  it("formats for people", () => {
    expect(formatCents(123_456)).toBe("$1,234.56");
    expect(formatCents(-5)).toBe("-$0.05");
  });
});
