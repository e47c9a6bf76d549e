import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_KALMAN_VELOCITY_CONFIG,
  type KalmanVelocityConfig,
  type KalmanVelocityPoint,
  kalmanVelocity,
  kalmanVelocityStream,
  parseKalmanVelocityConfig,
} from "./kalman-velocity.js";
import { priceSeries, runStream } from "./testing.js";
import type { IndicatorSeries } from "./types.js";

type Matrix = number[][];
const multiply = (a: Matrix, b: Matrix): Matrix =>
  a.map((row) =>
    (b[0] as number[]).map((_, j) =>
      row.reduce((sum, value, k) => sum + value * ((b[k] as number[])[j] as number), 0),
    ),
  );
const transpose = (a: Matrix): Matrix =>
  (a[0] as number[]).map((_, j) => a.map((row) => row[j] as number));
const add = (a: Matrix, b: Matrix): Matrix =>
  a.map((row, i) => row.map((value, j) => value + ((b[i] as number[])[j] as number)));
const subtract = (a: Matrix, b: Matrix): Matrix =>
  add(
    a,
    b.map((row) => row.map((value) => -value)),
  );

/** The textbook filter in matrix form, for comparison: returns [level, velocity] per observation. */
function referenceFilter(
  observations: readonly number[],
  config: KalmanVelocityConfig,
): number[][] {
  const F = [
    [1, 1],
    [0, 1],
  ];
  const H = [[1, 0]];
  const q = config.processNoise;
  const Q = [
    [q / 4, q / 2],
    [q / 2, q],
  ];
  const [first = 0, ...rest] = observations;
  let x: Matrix = [[first], [0]];
  let P: Matrix = [
    [config.measurementNoise, 0],
    [0, config.initialVelocityVariance],
  ];
  const states = [[first, 0]];
  for (const z of rest) {
    x = multiply(F, x);
    P = add(multiply(multiply(F, P), transpose(F)), Q);
    const S =
      ((multiply(multiply(H, P), transpose(H))[0] as number[])[0] as number) +
      config.measurementNoise;
    const K = multiply(P, transpose(H)).map((row) => [(row[0] as number) / S]);
    const innovation = z - ((multiply(H, x)[0] as number[])[0] as number);
    x = add(
      x,
      K.map((row) => [(row[0] as number) * innovation]),
    );
    P = multiply(
      subtract(
        [
          [1, 0],
          [0, 1],
        ],
        multiply(K, H),
      ),
      P,
    );
    states.push([(x[0] as number[])[0] as number, (x[1] as number[])[0] as number]);
  }
  return states;
}

const last = (series: IndicatorSeries<KalmanVelocityPoint>) => series.at(-1) as KalmanVelocityPoint;

describe("kalmanVelocity", () => {
  it("has documented defaults: log prices, q = 1e-8, r = 1e-4, 40 warm-up bars", () => {
    expect(DEFAULT_KALMAN_VELOCITY_CONFIG).toEqual({
      space: "log",
      processNoise: 1e-8,
      measurementNoise: 1e-4,
      initialVelocityVariance: 1e-4,
      warmUpBars: 40,
    });
  });

  it("reports warmUpBars leading nulls, then the filtered level and velocity", () => {
    const prices = Array.from({ length: 45 }, (_, day) => 100 + day);
    const filtered = kalmanVelocity(prices);
    expect(filtered.findIndex((point) => point !== null)).toBe(40);
    const first = kalmanVelocity([100, 101], { warmUpBars: 0 })[0] as KalmanVelocityPoint;
    expect(first.level).toBeCloseTo(100, 10);
    expect(first.velocity).toBe(0);
  });

  it("finds the growth rate of a steady log-linear trend (0.2% a day)", () => {
    const prices = Array.from({ length: 400 }, (_, day) => 100 * Math.exp(0.002 * day));
    const point = last(kalmanVelocity(prices));
    expect(point.velocity).toBeCloseTo(0.002, 6);
    expect(point.level / (prices.at(-1) as number)).toBeCloseTo(1, 6);
  });

  it("reports zero velocity on a flat price", () => {
    const point = last(kalmanVelocity(Array(60).fill(42.5)));
    expect(point.velocity).toBe(0);
    expect(point.level).toBeCloseTo(42.5, 10);
  });

  it("turns negative after a rally becomes a sell-off", () => {
    const rally = Array.from({ length: 120 }, (_, day) => 100 * 1.004 ** day);
    const top = rally.at(-1) as number;
    const selloff = Array.from({ length: 60 }, (_, day) => top * 0.99 ** (day + 1));
    const filtered = kalmanVelocity([...rally, ...selloff]);
    expect((filtered[119] as KalmanVelocityPoint).velocity).toBeGreaterThan(0.003);
    expect(last(filtered).velocity).toBeLessThan(-0.005);
  });

  it("in price space tracks dollars per bar", () => {
    const prices = Array.from({ length: 300 }, (_, day) => 50 + 0.5 * day);
    const point = last(
      kalmanVelocity(prices, { space: "price", processNoise: 1e-4, measurementNoise: 1 }),
    );
    expect(point.velocity).toBeCloseTo(0.5, 6);
  });

  it("agrees with the textbook matrix form of the filter", () => {
    fc.assert(
      fc.property(
        priceSeries({ minLength: 1, maxLength: 80 }),
        fc.constantFrom("log", "price"),
        (prices, space) => {
          const config = parseKalmanVelocityConfig({ space, warmUpBars: 0 });
          const observations = space === "log" ? prices.map(Math.log) : prices;
          const expected = referenceFilter(observations, config);
          return kalmanVelocity(prices, config).every((point, index) => {
            const [level = 0, velocity = 0] = expected[index] ?? [];
            const filteredLevel =
              space === "log" ? Math.log(point?.level as number) : (point?.level as number);
            return (
              Math.abs(filteredLevel - level) <= 1e-9 * Math.max(1, Math.abs(level)) &&
              Math.abs((point?.velocity as number) - velocity) <=
                1e-9 * Math.max(1, Math.abs(level))
            );
          });
        },
      ),
    );
  });

  it("streams exactly what the batch computes", () => {
    fc.assert(
      fc.property(
        priceSeries(),
        fc.constantFrom("log", "price"),
        fc.integer({ min: 0, max: 10 }),
        (prices, space, warmUpBars) => {
          const config = { space, warmUpBars } as const;
          const batch = kalmanVelocity(prices, config);
          const streamed = runStream(kalmanVelocityStream(config), prices);
          return (
            batch.length === streamed.length &&
            batch.every((point, index) => {
              const other = streamed[index] ?? null;
              if (point === null || other === null) return point === other;
              return (
                Object.is(point.level, other.level) && Object.is(point.velocity, other.velocity)
              );
            })
          );
        },
      ),
    );
  });

  it("refuses a price it cannot take the log of, and bad settings", () => {
    expect(() => kalmanVelocity([100, 0])).toThrow(
      "kalmanVelocity: prices[1] must be a finite price > 0 (the log-space filter takes its log), got 0",
    );
    expect(() => kalmanVelocityStream({ space: "price" }).update(Number.NaN)).toThrow(
      "kalmanVelocity: price #1 must be a finite number, got NaN",
    );
    expect(() => parseKalmanVelocityConfig({ measurementNoise: -1 })).toThrow(
      /kalmanVelocity config is invalid[\s\S]*measurementNoise/,
    );
  });
});
