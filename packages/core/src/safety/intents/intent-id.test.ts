import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../hash.js";
import { type IntentIdParts, intentId, intentTimeBucket } from "./index.js";

const parts: IntentIdParts = {
  runId: "live:acct-1:2026-03-02:close",
  strategy: "hierarchical-adaptive",
  symbol: "SPY",
  side: "buy",
  targetQuantity: 100,
  timeBucket: "20260302_20",
};

describe("intent id", () => {
  it("is the first 16 hex chars of SHA-256 over run id|strategy|symbol|side|quantity|bucket", () => {
    const expected = sha256Hex(
      "live:acct-1:2026-03-02:close|hierarchical-adaptive|SPY|buy|100|20260302_20",
    ).slice(0, 16);
    expect(intentId(parts)).toBe(expected);
    expect(intentId(parts)).toMatch(/^[0-9a-f]{16}$/);
  });

  it("is the same for the same run retried, and differs when any part differs", () => {
    expect(intentId({ ...parts })).toBe(intentId(parts));
    const variants: IntentIdParts[] = [
      { ...parts, runId: "live:acct-1:2026-03-03:close" },
      { ...parts, strategy: "other" },
      { ...parts, symbol: "QQQ" },
      { ...parts, side: "sell" },
      { ...parts, targetQuantity: 101 },
      { ...parts, timeBucket: "20260302_21" },
    ];
    const ids = new Set([intentId(parts), ...variants.map(intentId)]);
    expect(ids.size).toBe(variants.length + 1);
  });

  it("buckets by the UTC hour, whatever offset the instant is written with", () => {
    expect(intentTimeBucket("2026-03-02T20:50:00Z")).toBe("20260302_20");
    expect(intentTimeBucket("2026-03-02T15:50:00-05:00")).toBe("20260302_20");
    expect(intentTimeBucket("2026-03-02T20:59:59.999Z")).toBe("20260302_20");
    expect(intentTimeBucket("2026-03-02T21:00:00Z")).toBe("20260302_21");
  });
});
