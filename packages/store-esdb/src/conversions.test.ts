import { ANY, NO_STREAM, STREAM_EXISTS } from "@kurrent/kurrentdb-client";
import { describe, expect, it } from "vitest";
import {
  fromCurrentState,
  fromStreamState,
  toBigInt,
  toNativePosition,
  toPosition,
  toRevision,
  toStreamState,
} from "./conversions.js";

describe("revision and position conversions", () => {
  it("accepts bigints and the plain numbers the client sometimes returns", () => {
    expect(toBigInt(5n, "x")).toBe(5n);
    expect(toBigInt(5, "x")).toBe(5n);
    expect(toBigInt("12", "x")).toBe(12n);
    expect(toRevision(7n)).toBe(7);
    expect(toRevision(7)).toBe(7);
    expect(toNativePosition({ commit: 10, prepare: 9n })).toEqual({ commit: 10n, prepare: 9n });
    expect(toPosition({ commit: 2000n, prepare: 1234n })).toBe(1234);
  });

  it("refuses what is not a whole number or does not fit a port number", () => {
    expect(() => toBigInt(1.5, "revision")).toThrow(/revision/);
    expect(() => toBigInt(undefined, "revision")).toThrow(TypeError);
    expect(() => toRevision(2n ** 60n)).toThrow(RangeError);
    expect(() => toRevision(-1n)).toThrow(RangeError);
    expect(() => toNativePosition(null)).toThrow(/commit, prepare/);
  });
});

describe("expected revision ↔ streamState", () => {
  it("maps the words and numbers both ways", () => {
    expect(toStreamState("no_stream")).toBe(NO_STREAM);
    expect(toStreamState("any")).toBe(ANY);
    expect(toStreamState("stream_exists")).toBe(STREAM_EXISTS);
    expect(toStreamState(3)).toBe(3n);
    for (const expected of ["no_stream", "any", "stream_exists", 0, 41] as const) {
      expect(fromStreamState(toStreamState(expected))).toBe(expected);
    }
    expect(fromStreamState(4)).toBe(4);
    expect(fromCurrentState(NO_STREAM)).toBe("no_stream");
    expect(fromCurrentState(9n)).toBe(9);
  });
});
