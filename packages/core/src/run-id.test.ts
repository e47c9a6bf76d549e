import { describe, expect, it } from "vitest";
import { formatRunId, parseRunId } from "./run-id.js";

describe("run id", () => {
  it("is <mode>:<account>:<trading date>:<slot> and parses back", () => {
    const parts = {
      mode: "live",
      account: "acct-1",
      tradingDate: "2026-11-20",
      slot: "close",
    } as const;
    const id = formatRunId(parts);
    expect(id).toBe("live:acct-1:2026-11-20:close");
    expect(parseRunId(id)).toEqual(parts);
  });

  it("names the bad part", () => {
    expect(() =>
      formatRunId({ mode: "live", account: "a:b", tradingDate: "2026-11-20", slot: "close" }),
    ).toThrow(/account "a:b"/);
    expect(() =>
      formatRunId({ mode: "live", account: "a", tradingDate: "20-11-2026", slot: "close" }),
    ).toThrow(/trading date "20-11-2026"/);
    expect(() => parseRunId("yolo:a:2026-11-20:close")).toThrow(/is not <mode>/);
    expect(() => parseRunId("live:a:2026-11-20")).toThrow(/is not <mode>/);
  });
});
