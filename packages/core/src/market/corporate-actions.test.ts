import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_CORPORATE_ACTION_CONFIG,
  detectCorporateActions,
  parseCorporateActionConfig,
  splitPriceRatio,
} from "./corporate-actions.js";
import { barsFromCloses } from "./testing.js";

describe("split detection in unadjusted closes", () => {
  it("flags a 2:1 split with its evidence", () => {
    const bars = barsFromCloses([99.5, 100, 50.4, 51], { from: "2026-01-12" });
    const check = detectCorporateActions("TQQQ", bars);
    if (check.pass) throw new Error("the split was not flagged");
    expect(check.severity).toBe("CRITICAL");
    expect(check.code).toBe("corporate_action");
    expect(check.message).toContain("TQQQ close went from 100 on 2026-01-13 to 50.4 on 2026-01-14");
    expect(check.message).toContain("2:1 split");
    expect(check.detail.evidence).toHaveLength(1);
    const [evidence] = check.detail.evidence;
    expect(evidence).toMatchObject({
      date: "2026-01-14",
      previousDate: "2026-01-13",
      priorClose: 100,
      close: 50.4,
      ratio: 0.504,
      adjustedRatio: null,
      nearestSplit: "2:1",
      splitPriceRatio: 0.5,
      method: "close_ratio",
      tolerance: 0.08,
    });
    expect(evidence?.distance).toBeCloseTo(Math.log(0.504 / 0.5), 12);
  });

  it("flags NVIDIA's 10:1 split (7 June 2024 1208.88 → 10 June 121.79)", () => {
    const bars = barsFromCloses([1208.88, 121.79], { from: "2024-06-07" });
    const check = detectCorporateActions("NVDA", bars);
    expect(check.pass).toBe(false);
    if (!check.pass) expect(check.detail.evidence[0]?.nearestSplit).toBe("10:1");
  });

  it("flags a 1:10 reverse split", () => {
    const check = detectCorporateActions("TMV", barsFromCloses([3.1, 30.8]));
    expect(check.pass).toBe(false);
    if (!check.pass) expect(check.detail.evidence[0]?.nearestSplit).toBe("1:10");
  });

  it("does not flag a −34% day of a 3× leveraged ETF, nor a +40% rally", () => {
    expect(detectCorporateActions("TQQQ", barsFromCloses([100, 66, 92.4]))).toEqual({
      pass: true,
    });
  });

  it("never flags a genuine move within ±45% (property)", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.55, max: 1.45, noNaN: true }), (ratio) => {
        const bars = barsFromCloses([80, 80 * ratio]);
        return detectCorporateActions("TQQQ", bars).pass;
      }),
    );
  });
});

describe("split detection with adjusted closes", () => {
  it("flags a 3:2 split when the close drops a third but the adjusted close moves smoothly", () => {
    const bars = barsFromCloses([90, 60.3], { adjCloses: [60, 60.3] });
    const check = detectCorporateActions("QQQ", bars);
    if (check.pass) throw new Error("the split was not flagged");
    expect(check.detail.evidence[0]).toMatchObject({
      nearestSplit: "3:2",
      method: "adjusted_close_divergence",
      adjustedRatio: 60.3 / 60,
    });
  });

  it("does not flag a −34% crash that the adjusted close shows too", () => {
    const bars = barsFromCloses([100, 66], { adjCloses: [98, 64.68] });
    expect(detectCorporateActions("TQQQ", bars).pass).toBe(true);
  });

  it("still flags a split-sized close jump when the source has not adjusted yet", () => {
    const bars = barsFromCloses([100, 50], { adjCloses: [100, 50] });
    expect(detectCorporateActions("TQQQ", bars).pass).toBe(false);
  });

  it("does not take an ordinary dividend for a split", () => {
    const bars = barsFromCloses([100, 99], { adjCloses: [98.5, 99] });
    expect(detectCorporateActions("TLT", bars).pass).toBe(true);
  });
});

describe("corporate-action config", () => {
  it("reads split ratios as N new for M old", () => {
    expect(splitPriceRatio("2:1")).toBe(0.5);
    expect(splitPriceRatio("1:10")).toBe(10);
    expect(splitPriceRatio("3:2")).toBeCloseTo(2 / 3, 12);
    expect(() => splitPriceRatio("2:2")).toThrow(/N ≠ M/);
  });

  it("refuses close-ratio candidates that would catch genuine moves of up to 45%", () => {
    expect(() => parseCorporateActionConfig({ closeRatioSplits: ["2:1", "3:2"] })).toThrow(
      /split 3:2 .* overlaps genuine moves of up to ±45%/,
    );
    expect(() => parseCorporateActionConfig({ closeRatioTolerance: 0.1 })).toThrow(
      /split 2:1 .* overlaps/,
    );
    expect(() => parseCorporateActionConfig({ closeRatioSplits: ["two:one"] })).toThrow(
      /written N:M/,
    );
  });

  it("has the documented defaults", () => {
    expect(DEFAULT_CORPORATE_ACTION_CONFIG.closeRatioTolerance).toBe(0.08);
    expect(DEFAULT_CORPORATE_ACTION_CONFIG.genuineMoveLimit).toBe(0.45);
    expect(DEFAULT_CORPORATE_ACTION_CONFIG.closeRatioSplits).not.toContain("3:2");
    expect(DEFAULT_CORPORATE_ACTION_CONFIG.adjustedSplits).toContain("3:2");
  });
});
