import { describe, expect, it } from "vitest";
import { pathCloses } from "../testing/price-paths.js";
import { DEFAULT_HIERARCHICAL_ADAPTIVE_PARAMS, parseHierarchicalAdaptiveParams } from "./params.js";
import { readBondTrend, readEquityTrend } from "./trend.js";

const params = DEFAULT_HIERARCHICAL_ADAPTIVE_PARAMS.trend;
const steady = (drift: number, bars = 272) => ({ bars, drift, swing: 0.006 });

describe("equity trend: SMA 40/140 and the Kalman velocity must agree", () => {
  it("is bull when the fast SMA is above the slow one and the velocity is positive", () => {
    const reading = readEquityTrend(pathCloses(380, [steady(0.001)]), params);
    expect(reading).toMatchObject({ trend: "bull", smaVote: 1, kalmanVote: 1 });
    expect(reading.fastSma).toBeGreaterThan(reading.slowSma);
    // A steady log-linear trend: the velocity converges to the daily log growth.
    expect(reading.kalmanVelocity).toBeCloseTo(Math.log(1.001), 3);
  });

  it("is bear when both point down", () => {
    const reading = readEquityTrend(pathCloses(380, [steady(-0.001)]), params);
    expect(reading).toMatchObject({ trend: "bear", smaVote: -1, kalmanVote: -1 });
  });

  it("is neutral when a fresh decline turns the velocity down before the SMAs cross", () => {
    const closes = pathCloses(380, [steady(0.001, 252), steady(-0.004, 20)]);
    const reading = readEquityTrend(closes, params);
    expect(reading).toMatchObject({ trend: "neutral", smaVote: 1, kalmanVote: -1 });
  });

  it("treats a velocity inside the deadband as no vote, hence neutral", () => {
    const wide = parseHierarchicalAdaptiveParams({ trend: { kalmanVelocityDeadband: 0.01 } });
    const reading = readEquityTrend(pathCloses(380, [steady(0.001)]), wide.trend);
    expect(reading).toMatchObject({ trend: "neutral", smaVote: 1, kalmanVote: 0 });
  });

  it("uses only the last 40 and 140 closes for the SMAs", () => {
    const closes = pathCloses(380, [steady(0.001)]);
    const reading = readEquityTrend(closes, params);
    const mean = (values: number[]) =>
      values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(reading.fastSma).toBeCloseTo(mean(closes.slice(-40)), 9);
    expect(reading.slowSma).toBeCloseTo(mean(closes.slice(-140)), 9);
  });
});

describe("bond trend: SMA 20/60", () => {
  it("is up when the 20-day SMA is above the 60-day SMA and down when below", () => {
    expect(readBondTrend(pathCloses(95, [steady(0.0005, 60)]), params).trend).toBe("up");
    expect(readBondTrend(pathCloses(95, [steady(-0.0005, 60)]), params).trend).toBe("down");
  });

  it("is flat inside the configured band", () => {
    const banded = parseHierarchicalAdaptiveParams({ trend: { bondFlatBand: 0.05 } }).trend;
    expect(readBondTrend(pathCloses(95, [steady(0.0005, 60)]), banded).trend).toBe("flat");
  });

  it("refuses fewer closes than the slow SMA needs", () => {
    expect(() => readBondTrend(pathCloses(95, [steady(0.0005, 59)]), params)).toThrow(
      /an SMA of 60 needs 60 closes, got 59/,
    );
  });
});
