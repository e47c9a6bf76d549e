import { describe, expect, it } from "vitest";
import { pathCloses } from "../testing/price-paths.js";
import { DEFAULT_HIERARCHICAL_ADAPTIVE_PARAMS, type VolatilityState } from "./params.js";
import {
  nextVolatilityState,
  readVolatility,
  type VolatilityObservation,
  walkVolatilityState,
} from "./volatility.js";

const params = DEFAULT_HIERARCHICAL_ADAPTIVE_PARAMS.volatility;
const z = (zScore: number, volCrushChange: number | null = 0): VolatilityObservation => ({
  zScore,
  volCrushChange,
});
const walk = (zScores: readonly number[]) =>
  walkVolatilityState(
    zScores.map((value) => z(value)),
    params,
  );

describe("volatility hysteresis (enter high at z > 1.0, leave at z < 0.2)", () => {
  it("enters high volatility only when z crosses above 1.0", () => {
    expect(nextVolatilityState("low_vol", z(1.0), params)).toBe("low_vol");
    expect(nextVolatilityState("low_vol", z(1.01), params)).toBe("high_vol");
    expect(walk([0.1, 0.5, 0.9, 1.3]).state).toBe("high_vol");
  });

  it("stays in either state while z is between 0.2 and 1.0", () => {
    for (const state of ["low_vol", "high_vol"] satisfies VolatilityState[]) {
      for (const value of [0.2, 0.5, 1.0]) {
        expect(nextVolatilityState(state, z(value), params)).toBe(state);
      }
    }
    expect(walk([1.3, 0.9, 0.5, 0.21])).toEqual({ state: "high_vol", barsInState: 4 });
    expect(walk([0.1, 0.9, 0.5, 0.99])).toEqual({ state: "low_vol", barsInState: 4 });
  });

  it("leaves high volatility only when z drops below 0.2", () => {
    expect(nextVolatilityState("high_vol", z(0.19), params)).toBe("low_vol");
    expect(walk([1.3, 0.6, 0.19])).toEqual({ state: "low_vol", barsInState: 1 });
    expect(walk([1.3, 0.6, 0.19, 0.7])).toEqual({ state: "low_vol", barsInState: 2 });
  });

  it("starts the walk in low volatility, so the state is a function of the window alone", () => {
    expect(walk([])).toEqual({ state: "low_vol", barsInState: 0 });
    expect(walk([0.7]).state).toBe("low_vol");
  });
});

describe("vol-crush override (short vol fell ≥ 15% over 5 bars)", () => {
  it("forces low volatility even when z would enter or hold high", () => {
    expect(nextVolatilityState("high_vol", z(0.6, -0.15), params)).toBe("low_vol");
    expect(nextVolatilityState("low_vol", z(2.5, -0.2), params)).toBe("low_vol");
  });

  it("does not apply to a smaller fall or an unknown change", () => {
    expect(nextVolatilityState("high_vol", z(0.6, -0.149), params)).toBe("high_vol");
    expect(nextVolatilityState("high_vol", z(0.6, null), params)).toBe("high_vol");
  });

  it("lets the hysteresis take over again on the next bar", () => {
    const observations = [z(1.5), z(0.8, -0.16), z(0.8), z(1.1)];
    expect(walkVolatilityState(observations.slice(0, 3), params).state).toBe("low_vol");
    expect(walkVolatilityState(observations, params)).toEqual({
      state: "high_vol",
      barsInState: 1,
    });
  });
});

describe("readVolatility", () => {
  const calm = { bars: 272, drift: 0.001, swing: 0.006 };

  it("measures the short realized volatility annualized and its z-score", () => {
    const reading = readVolatility(pathCloses(100, [calm]), params);
    // An alternating ±0.6% path has a constant daily log-return deviation of about 0.6%.
    expect(reading.shortVol).toBeCloseTo(0.006 * Math.sqrt(252), 3);
    expect(reading.zScore).toBe(0);
    expect(reading.state).toBe("low_vol");
    expect(reading.barsInState).toBe(126);
  });

  it("turns high when the last weeks swing much harder than the half-year before", () => {
    const closes = pathCloses(100, [
      { ...calm, bars: 262 },
      { bars: 10, drift: 0.001, swing: 0.03 },
    ]);
    const reading = readVolatility(closes, params);
    expect(reading.zScore).toBeGreaterThan(1);
    expect(reading.state).toBe("high_vol");
    expect(reading.barsInState).toBe(10);
  });

  it("refuses a window too short for one z-score", () => {
    expect(() => readVolatility(pathCloses(100, [{ ...calm, bars: 146 }]), params)).toThrow(
      /one z-score needs 147 closes, got 146/,
    );
  });
});
