import { describe, expect, it } from "vitest";
import { fixedClock, manualClock, parseIsoInstant, toIsoUtc } from "./clock.js";
import { seededIds } from "./ids.js";

describe("clock port", () => {
  it("a fixed clock always answers the same instant", () => {
    const clock = fixedClock("2026-11-20T20:50:00.000Z");
    expect(toIsoUtc(clock.now())).toBe("2026-11-20T20:50:00.000Z");
    expect(clock.now()).toBe(clock.now());
  });

  it("a manual clock advances and refuses to go backwards", () => {
    const clock = manualClock("2026-11-20T20:50:00Z");
    clock.advance(30_000);
    expect(toIsoUtc(clock.now())).toBe("2026-11-20T20:50:30.000Z");
    expect(() => clock.set("2026-11-20T20:00:00Z")).toThrow(/backwards/);
    expect(() => clock.advance(-1)).toThrow(/≥ 0/);
  });

  it("refuses instants without an offset, since exchange time and UTC must never be confused", () => {
    expect(() => parseIsoInstant("2026-11-20T15:50:00")).toThrow(/no UTC offset/);
    expect(parseIsoInstant("2026-11-20T15:50:00-05:00")).toBe(
      parseIsoInstant("2026-11-20T20:50:00Z"),
    );
    expect(() => parseIsoInstant("not a dateZ")).toThrow(/not an ISO-8601 instant/);
    expect(() => toIsoUtc(Number.NaN)).toThrow(/finite/);
  });
});

describe("id port", () => {
  it("seeded ids are UUID-shaped and reproduce exactly for the same seed", () => {
    const first = seededIds("run-1");
    const second = seededIds("run-1");
    const a = [first.next(), first.next(), first.next()];
    expect([second.next(), second.next(), second.next()]).toEqual(a);
    expect(new Set(a).size).toBe(3);
    expect(seededIds("run-2").next()).not.toBe(a[0]);
  });
});
