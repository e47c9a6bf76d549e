import { describe, expect, it } from "vitest";
import { deterministicId, sha256Hex, uuidFromName } from "./hash.js";

describe("sha256Hex", () => {
  it("matches the FIPS 180-2 test vectors", () => {
    expect(sha256Hex("abc")).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
    expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });
});

describe("deterministicId", () => {
  it("is the first 16 hex chars of SHA-256 over the parts joined by |", () => {
    const id = deterministicId([
      "live:acct:2026-11-20:close",
      "v3.5b",
      "TQQQ",
      "buy",
      120,
      "2026-11-20T20:50",
    ]);
    expect(id).toBe(
      sha256Hex("live:acct:2026-11-20:close|v3.5b|TQQQ|buy|120|2026-11-20T20:50").slice(0, 16),
    );
    expect(id).toMatch(/^[0-9a-f]{16}$/);
  });

  it("gives the same id for the same parts and different ids when any part differs", () => {
    expect(deterministicId(["a", "b"])).toBe(deterministicId(["a", "b"]));
    expect(deterministicId(["a", "b"])).not.toBe(deterministicId(["b", "a"]));
  });

  it("does not let a separator inside a part collide with two parts", () => {
    expect(deterministicId(["a|b", "c"])).not.toBe(deterministicId(["a", "b|c"]));
  });

  it("refuses a length outside 1..64", () => {
    expect(() => deterministicId(["x"], 0)).toThrow(/between 1 and 64/);
    expect(() => deterministicId(["x"], 65)).toThrow(/between 1 and 64/);
  });
});

describe("uuidFromName", () => {
  it("is a version-5-shaped RFC 4122 UUID, stable per name", () => {
    const id = uuidFromName("run-1#0");
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidFromName("run-1#0")).toBe(id);
    expect(uuidFromName("run-1#1")).not.toBe(id);
  });
});
