import { fixedClock } from "@trader/core";
import { createMemoryStore, type EventStore, type RecordedEvent } from "@trader/store";
import { describe, expect, it } from "vitest";
import { DRY_RUN_PREFIX, dryRunGuard } from "./dry-run-guard.js";
import { withFaults } from "./faults.js";
import { decisionPriceFillModel } from "./fill-model.js";
import { openPaperSimulator } from "./paper-simulator.js";
import type { SubmitOrderRequest } from "./port.js";

const AT = "2026-03-02T20:50:00.000Z";
const clock = fixedClock(AT);
const order = (
  clientOrderId: string,
  side: "buy" | "sell",
  quantity: number,
  decisionPrice: number,
): SubmitOrderRequest => ({ clientOrderId, symbol: "QQQ", side, quantity, decisionPrice });

async function read(store: EventStore, stream: string): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of store.readStream(stream)) events.push(event);
  return events;
}

/** A real (simulated) account holding 10 QQQ bought at $450.00 out of $10,000.00, behind the guard. */
async function setup(store: EventStore = createMemoryStore()) {
  const inner = await openPaperSimulator({
    store,
    account: "acct",
    clock,
    initialCashCents: 1_000_000,
  });
  await inner.submitOrder(order("real-1", "buy", 10, 450));
  const spy = withFaults(inner, []);
  const lines: string[] = [];
  const logger = { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m) };
  const guard = await dryRunGuard(spy, {
    store,
    account: "acct",
    clock,
    logger,
    fillModel: decisionPriceFillModel({ slippageBps: 20 }),
  });
  return { store, inner, spy, guard, lines };
}

describe("dry-run guard", () => {
  it("answers a submit with a hypothetical fill and never sends it to the broker", async () => {
    const { store, inner, spy, guard } = await setup();
    const innerEventsBefore = (await read(store, "sim-acct")).length;
    const answer = await guard.submitOrder(order("dry-1", "buy", 5, 460));
    // 20 bp on $460.00
    expect(answer).toMatchObject({
      clientOrderId: "dry-1",
      status: "filled",
      fills: [{ quantity: 5, priceCents: 46_092, fillModel: "decision-price@1" }],
    });
    expect(spy.callsReachingBroker("submitOrder")).toBe(0);
    expect(inner.orders().map((o) => o.clientOrderId)).toEqual(["real-1"]);
    expect(await read(store, "sim-acct")).toHaveLength(innerEventsBefore);
    expect(await inner.orderByClientId("dry-1")).toBeNull();

    const recorded = await read(store, "dry-run-acct");
    expect(recorded.map((e) => e.type)).toEqual(["SimOrderAccepted", "SimOrderFilled"]);
    expect(recorded.every((e) => (e.metadata as { mode: string }).mode === "dry-run")).toBe(true);
  });

  it("shows the broker's account and positions with the hypothetical fills laid over them", async () => {
    const { inner, guard } = await setup();
    await guard.submitOrder(order("dry-1", "buy", 5, 460));
    expect(await inner.account()).toMatchObject({ cashCents: 550_000 });
    // $5,500.00 − 5 × $460.92
    expect(await guard.account()).toEqual({
      cashCents: 319_540,
      buyingPowerCents: 319_540,
      // The broker marks QQQ at its last fill ($450.00): 319,540 + 15 × 45,000
      equityCents: 319_540 + 15 * 45_000,
    });
    // (10 × $450.00 + 5 × $460.92) / 15 = $453.64
    expect(await guard.positions()).toEqual([
      { symbol: "QQQ", quantity: 15, averagePriceCents: 45_364, marketPriceCents: 45_000 },
    ]);
    await guard.submitOrder(order("dry-2", "sell", 15, 470));
    expect(await guard.positions()).toEqual([]);
    expect(await inner.positions()).toMatchObject([{ symbol: "QQQ", quantity: 10 }]);
  });

  it("rejects hypothetically what the overlaid account cannot afford or does not hold", async () => {
    const { guard, lines } = await setup();
    expect(await guard.submitOrder(order("d-big", "buy", 12, 460))).toMatchObject({
      status: "rejected",
      reason: "insufficient buying power",
    });
    expect(await guard.submitOrder(order("d-short", "sell", 11, 460))).toMatchObject({
      status: "rejected",
      reason: "insufficient quantity",
    });
    expect(lines.at(-1)).toMatch(
      /^\[DRY_RUN\] would sell 11 QQQ .* rejected hypothetically, insufficient quantity/,
    );
  });

  it("looks up hypothetical orders first, then the broker's; refuses ids either one holds", async () => {
    const { guard } = await setup();
    await guard.submitOrder(order("dry-1", "buy", 1, 460));
    expect((await guard.orderByClientId("dry-1"))?.brokerOrderId).toMatch(/^dry-run-/);
    expect((await guard.orderByClientId("real-1"))?.brokerOrderId).toMatch(/^sim-/);
    expect(await guard.orderByClientId("none")).toBeNull();
    for (const id of ["dry-1", "real-1"]) {
      await expect(guard.submitOrder(order(id, "buy", 1, 460))).rejects.toMatchObject({
        kind: "duplicate_client_order_id",
      });
    }
    expect((await guard.ordersSince("2026-03-02T00:00:00Z")).map((o) => o.clientOrderId)).toEqual([
      "real-1",
      "dry-1",
    ]);
  });

  it("does not send a cancel either, and says so", async () => {
    const { spy, guard, lines } = await setup();
    await guard.cancelOrder("real-1");
    expect(spy.callsReachingBroker("cancelOrder")).toBe(0);
    expect(lines.at(-1)).toBe(`${DRY_RUN_PREFIX} would cancel real-1 at simulator: not sent`);
    await expect(guard.cancelOrder("none")).rejects.toMatchObject({ kind: "not_found" });
  });

  it("prefixes every log line with [DRY_RUN]", async () => {
    const { guard, lines } = await setup();
    await guard.submitOrder(order("dry-1", "buy", 1, 460));
    await guard.submitOrder(order("dry-2", "buy", 100, 460));
    await guard.cancelOrder("dry-1");
    await guard.cancelOrder("real-1");
    expect(lines.length).toBeGreaterThanOrEqual(5);
    for (const line of lines) expect(line.startsWith("[DRY_RUN] ")).toBe(true);
  });

  it("folds its stream on open: hypothetical orders survive a restart", async () => {
    const store = createMemoryStore();
    const { inner, guard } = await setup(store);
    await guard.submitOrder(order("dry-1", "buy", 5, 460));
    const reopened = await dryRunGuard(inner, { store, account: "acct", clock });
    expect(reopened.hypotheticalOrders()).toEqual(guard.hypotheticalOrders());
    expect(await reopened.positions()).toEqual(await guard.positions());
  });
});
