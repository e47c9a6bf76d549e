import { describe, expect, it } from "vitest";
import { type AccountPositions, parseReconciliationConfig, reconcile } from "./reconciliation.js";

const PROJECTED: AccountPositions = {
  cashCents: 500_000,
  equityCents: 10_000_000,
  positions: { TQQQ: 1000, TMF: 200 },
};

describe("reconciliation (SPEC §10)", () => {
  it("passes when positions and cash agree within 1%, with a line per item", () => {
    const report = reconcile(PROJECTED, {
      cashCents: 504_000,
      equityCents: 10_150_000,
      positions: { TQQQ: 1000, TMF: 202 },
    });
    expect(report.status).toBe("PASS");
    expect(report.severity).toBe("INFO");
    expect(report.lines).toEqual([
      { item: "position", symbol: "TMF", expected: 200, actual: 202, diff: 0.01, verdict: "ok" },
      { item: "position", symbol: "TQQQ", expected: 1000, actual: 1000, diff: 0, verdict: "ok" },
      {
        item: "cash",
        symbol: null,
        expected: 500_000,
        actual: 504_000,
        diff: 0.008,
        verdict: "ok",
      },
      {
        item: "equity",
        symbol: null,
        expected: 10_000_000,
        actual: 10_150_000,
        diff: 0.015,
        verdict: "ok",
      },
    ]);
  });

  it("fails a position 1.5% off: the 1% tolerance is the gate, 1–2% included", () => {
    const report = reconcile(PROJECTED, { ...PROJECTED, positions: { TQQQ: 1015, TMF: 200 } });
    expect(report).toMatchObject({ status: "FAIL", severity: "CRITICAL" });
    expect(report.issues).toEqual([
      {
        code: "position_mismatch",
        message: "TQQQ: broker holds 1015 shares, projection 1000 (1.5% > tolerance 1%)",
        detail: { symbol: "TQQQ", expected: 1000, actual: 1015, diff: 0.015, tolerance: 0.01 },
      },
    ]);
  });

  it("fails an unexpected position (a manual trade) and a missing one (closed outside)", () => {
    const report = reconcile(PROJECTED, { ...PROJECTED, positions: { TQQQ: 1000, QQQ: 5 } });
    expect(report.status).toBe("FAIL");
    expect(report.issues.map((i) => i.code)).toEqual(["unexpected_position", "missing_position"]);
    expect(report.message).toBe(
      "reconciliation FAIL: QQQ: broker holds 5 shares the projection does not know; TMF: projection holds 200 shares, broker holds none",
    );
    expect(report.lines.find((l) => l.symbol === "QQQ")).toMatchObject({
      verdict: "unexpected",
      diff: null,
    });
  });

  it("fails cash more than 1% off", () => {
    const report = reconcile(PROJECTED, { ...PROJECTED, cashCents: 490_000 });
    expect(report.issues).toEqual([
      expect.objectContaining({
        code: "cash_mismatch",
        message: "cash: broker $4,900.00, projection $5,000.00 (2% > tolerance 1%)",
      }),
    ]);
    expect(report.status).toBe("FAIL");
  });

  it("warns on equity drift between 2% and 10% when the holdings agree", () => {
    const report = reconcile(PROJECTED, { ...PROJECTED, equityCents: 10_300_000 });
    expect(report).toMatchObject({ status: "WARN", severity: "WARNING" });
    expect(report.issues).toEqual([
      expect.objectContaining({
        code: "equity_drift",
        message: "equity: broker $103,000.00, projection $100,000.00 (3% > 2%)",
      }),
    ]);
    expect(reconcile(PROJECTED, { ...PROJECTED, equityCents: 10_200_000 }).status).toBe("PASS");
  });

  it("an equity mismatch above 10% is CRITICAL", () => {
    const report = reconcile(PROJECTED, { ...PROJECTED, equityCents: 8_900_000 });
    expect(report).toMatchObject({ status: "FAIL", severity: "CRITICAL" });
    expect(report.issues[0]?.code).toBe("equity_mismatch");
  });

  it("takes its tolerances from config and refuses bad input", () => {
    const loose = parseReconciliationConfig({ tolerance: 0.02 });
    expect(
      reconcile(PROJECTED, { ...PROJECTED, positions: { TQQQ: 1015, TMF: 200 } }, loose).status,
    ).toBe("PASS");
    expect(() => parseReconciliationConfig({ equityWarnAbove: 0.2 })).toThrow(
      /equityWarnAbove \(0.2\) must not exceed equityFailAbove \(0.1\)/,
    );
    expect(() => reconcile(PROJECTED, { ...PROJECTED, positions: { TQQQ: 10.5 } })).toThrow(
      "broker.positions.TQQQ must be a whole number of shares, got 10.5",
    );
  });
});
