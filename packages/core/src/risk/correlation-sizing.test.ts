import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  correlationGate,
  correlationSizeMultiplier,
  parseCorrelationSizingConfig,
} from "./correlation-sizing.js";

describe("correlation size multiplier (SPEC §9)", () => {
  it.each([
    [0, 1],
    [0.3, 1],
    [0.5, 1],
    [0.65, 0.625],
    [0.8, 0.25],
    [-0.8, 0.25],
    [0.81, 0],
    [1, 0],
  ])("|ρ| = %s → × %s", (rho, expected) => {
    expect(correlationSizeMultiplier(rho)).toBeCloseTo(expected, 12);
  });

  it("is monotone non-increasing in |ρ|", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        (a, b) => {
          const [weak, strong] = Math.abs(a) <= Math.abs(b) ? [a, b] : [b, a];
          expect(correlationSizeMultiplier(strong)).toBeLessThanOrEqual(
            correlationSizeMultiplier(weak),
          );
        },
      ),
    );
  });

  it("is continuous at 0.5 and reaches exactly 0.25 at 0.8", () => {
    expect(correlationSizeMultiplier(0.5 + 1e-9)).toBeCloseTo(1, 6);
    expect(correlationSizeMultiplier(0.8)).toBe(0.25);
    expect(correlationSizeMultiplier(0.8 - 1e-9)).toBeCloseTo(0.25, 6);
  });

  it("refuses a correlation that is not a number in [-1, 1]", () => {
    expect(() => correlationSizeMultiplier(Number.NaN)).toThrow(/correlation must be a finite/);
    expect(() => correlationSizeMultiplier(1.2)).toThrow(/\[-1, 1\]/);
  });

  it("takes its thresholds from config and checks their order", () => {
    const config = parseCorrelationSizingConfig({
      fullSizeMaxCorrelation: 0.6,
      rejectAboveCorrelation: 0.9,
      minMultiplier: 0.4,
    });
    expect(correlationSizeMultiplier(0.75, config)).toBeCloseTo(0.7, 12);
    expect(() =>
      parseCorrelationSizingConfig({ fullSizeMaxCorrelation: 0.8, rejectAboveCorrelation: 0.5 }),
    ).toThrow(/fullSizeMaxCorrelation \(0.8\) must be below rejectAboveCorrelation \(0.5\)/);
  });
});

describe("correlation gate", () => {
  it("sizes by the strongest |ρ| against any held position", () => {
    const verdict = correlationGate({
      symbol: "QQQ",
      heldSymbols: ["TMF", "TQQQ"],
      correlations: { TMF: -0.3, TQQQ: 0.65 },
    });
    expect(verdict).toEqual({
      pass: true,
      multiplier: expect.closeTo(0.625, 12),
      against: "TQQQ",
      maxAbsCorrelation: 0.65,
    });
  });

  it("rejects above 0.8 with high_correlation naming the held symbol and the numbers", () => {
    const verdict = correlationGate({
      symbol: "QQQ",
      heldSymbols: ["TQQQ", "TMF"],
      correlations: { TQQQ: 0.97, TMF: -0.85 },
    });
    expect(verdict).toEqual({
      pass: false,
      code: "high_correlation",
      message: "QQQ correlation with held TQQQ is 0.97 > limit 0.80",
      detail: { symbol: "QQQ", against: "TQQQ", correlation: 0.97, limit: 0.8 },
    });
  });

  it("gives full size when nothing else is held, and ignores the symbol's own position", () => {
    expect(correlationGate({ symbol: "TQQQ", heldSymbols: ["TQQQ"], correlations: {} })).toEqual({
      pass: true,
      multiplier: 1,
      against: null,
      maxAbsCorrelation: 0,
    });
  });

  it("refuses a held symbol with no correlation given", () => {
    expect(() =>
      correlationGate({ symbol: "QQQ", heldSymbols: ["TMF"], correlations: { TQQQ: 0.2 } }),
    ).toThrow("correlations of QQQ has no entry for symbol TMF");
  });
});
