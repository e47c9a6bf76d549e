import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeStreamName,
  encodeStreamName,
  streamFileName,
  streamOfFileName,
} from "./stream-names.js";

describe("stream names in file names", () => {
  it("round-trips any stream name and uses only safe characters", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", minLength: 1 }), (stream) => {
        const encoded = encodeStreamName(stream);
        expect(encoded).toMatch(/^[A-Za-z0-9._%-]+$/);
        expect(decodeStreamName(encoded)).toBe(stream);
        expect(streamOfFileName(streamFileName(stream))).toBe(stream);
      }),
      { numRuns: 200 },
    );
  });

  it("keeps readable names readable", () => {
    expect(encodeStreamName("paper_acct-1.2026-01-02")).toBe("paper_acct-1.2026-01-02");
    expect(encodeStreamName("day:acct 1/é")).toBe("day%3Aacct%201%2F%C3%A9");
  });

  it("accepts only the canonical spelling of a name", () => {
    expect(decodeStreamName("%61")).toBeUndefined(); // "a" is written as a
    expect(decodeStreamName("%3a")).toBeUndefined(); // hex must be upper-case
    expect(decodeStreamName("%C3")).toBeUndefined(); // not UTF-8
    expect(decodeStreamName("a b")).toBeUndefined();
    expect(decodeStreamName("")).toBeUndefined();
    expect(streamOfFileName("day.txt")).toBeUndefined();
  });
});
