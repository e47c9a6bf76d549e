import { describe, expect, it } from "vitest";
import { createFillLedger } from "./fill-ledger.js";

const snapshot = (filledQuantity: number, averagePrice: number) => ({
  brokerOrderId: "61e69015-8549-4bfd-b9c3-01e75843f47d",
  clientOrderId: "a1b2c3d4e5f60718",
  filledQuantity,
  averagePrice,
  at: "2026-03-02T20:50:01.000Z",
});

describe("createFillLedger", () => {
  it("turns cumulative snapshots into fills of the new shares at the increment's price", () => {
    const ledger = createFillLedger();
    expect(ledger.record(snapshot(0, 0))).toEqual([]);
    const first = ledger.record(snapshot(30, 450.9));
    expect(first).toEqual([
      {
        executionId: "61e69015-8549-4bfd-b9c3-01e75843f47d:30",
        quantity: 30,
        priceCents: 45_090,
        at: "2026-03-02T20:50:01.000Z",
      },
    ]);
    // 50 at an average 451.00 after 30 at 450.90: the 20 new shares cost 451.15 each.
    const second = ledger.record(snapshot(50, 451));
    expect(
      second.map(({ executionId, quantity, priceCents }) => [executionId, quantity, priceCents]),
    ).toEqual([
      ["61e69015-8549-4bfd-b9c3-01e75843f47d:30", 30, 45_090],
      ["61e69015-8549-4bfd-b9c3-01e75843f47d:50", 20, 45_115],
    ]);
  });

  it("reports the same fills, same ids, when the same snapshot is read again", () => {
    const ledger = createFillLedger();
    const once = ledger.record(snapshot(10, 452.7));
    expect(ledger.record(snapshot(10, 452.7))).toEqual(once);
  });

  it("gives a fully filled order the same single fill in a fresh ledger (another process)", () => {
    const seenPartially = createFillLedger();
    seenPartially.record(snapshot(30, 450.9));
    const fresh = createFillLedger().record(snapshot(50, 451));
    expect(fresh).toEqual([
      expect.objectContaining({
        executionId: "61e69015-8549-4bfd-b9c3-01e75843f47d:50",
        quantity: 50,
        priceCents: 45_100,
      }),
    ]);
  });

  it("refuses a filled quantity that goes down", () => {
    const ledger = createFillLedger();
    ledger.record(snapshot(30, 450.9));
    expect(() => ledger.record(snapshot(20, 450.9))).toThrow(/filled_qty went down from 30 to 20/);
  });
});
