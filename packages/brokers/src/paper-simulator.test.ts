import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixedClock, manualClock, uuidFromName } from "@trader/core";
import {
  createMemoryStore,
  type EventStore,
  openFileStore,
  type RecordedEvent,
} from "@trader/store";
import { afterEach, describe, expect, it } from "vitest";
import { decisionPriceFillModel } from "./fill-model.js";
import { openPaperSimulator, type PaperSimulatorOptions } from "./paper-simulator.js";
import { BrokerError, type SubmitOrderRequest } from "./port.js";

const AT = "2026-03-02T20:50:00.000Z";
/** $10,000.00 */
const CASH = 1_000_000;

const buy = (clientOrderId: string, quantity: number, decisionPrice = 450): SubmitOrderRequest => ({
  clientOrderId,
  symbol: "QQQ",
  side: "buy",
  quantity,
  decisionPrice,
});
const sell = (
  clientOrderId: string,
  quantity: number,
  decisionPrice = 450,
): SubmitOrderRequest => ({
  ...buy(clientOrderId, quantity, decisionPrice),
  side: "sell",
});

async function read(store: EventStore, stream: string): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of store.readStream(stream)) events.push(event);
  return events;
}

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error,
  );

function open(options: Partial<PaperSimulatorOptions> = {}) {
  return openPaperSimulator({
    store: options.store ?? createMemoryStore(),
    account: "acct",
    clock: fixedClock(AT),
    initialCashCents: CASH,
    ...options,
  });
}

describe("paper simulator: account and fills", () => {
  it("opens a new account by appending SimAccountOpened to sim-<account>", async () => {
    const store = createMemoryStore();
    const sim = await open({ store });
    expect(sim.stream).toBe("sim-acct");
    expect(await sim.account()).toEqual({
      cashCents: CASH,
      equityCents: CASH,
      buyingPowerCents: CASH,
    });
    expect(await sim.positions()).toEqual([]);
    const events = await read(store, "sim-acct");
    expect(events.map((e) => [e.type, e.data, e.id])).toEqual([
      [
        "SimAccountOpened",
        { account: "acct", initialCashCents: CASH, at: AT },
        uuidFromName("sim-acct:0"),
      ],
    ]);
  });

  it("fills a buy at the fill model's price and records it before answering", async () => {
    const store = createMemoryStore();
    const sim = await open({ store, fillModel: decisionPriceFillModel({ slippageBps: 20 }) });
    const order = await sim.submitOrder(buy("a1", 10));
    expect(order).toMatchObject({
      clientOrderId: "a1",
      status: "filled",
      filledQuantity: 10,
      submittedAt: AT,
      fills: [{ quantity: 10, priceCents: 45_090, fillModel: "decision-price@1", at: AT }],
    });
    // $10,000.00 − 10 × $450.90
    expect(await sim.account()).toEqual({
      cashCents: 549_100,
      equityCents: CASH,
      buyingPowerCents: 549_100,
    });
    expect(await sim.positions()).toEqual([
      { symbol: "QQQ", quantity: 10, averagePriceCents: 45_090, marketPriceCents: 45_090 },
    ]);
    const events = await read(store, "sim-acct");
    expect(events.map((e) => e.type)).toEqual([
      "SimAccountOpened",
      "SimOrderAccepted",
      "SimOrderFilled",
    ]);
    expect(events.map((e) => e.id)).toEqual([0, 1, 2].map((r) => uuidFromName(`sim-acct:${r}`)));
    expect(events[2]?.data).toMatchObject({
      executionId: order.fills[0]?.executionId,
      priceCents: 45_090,
    });
  });

  it("values equity at the marks (set marks win over the marks option, else the last fill)", async () => {
    const sim = await open({ marks: (symbol) => (symbol === "QQQ" ? 460 : undefined) });
    await sim.submitOrder(buy("a1", 10));
    // $5,500.00 cash + 10 × $460.00
    expect((await sim.account()).equityCents).toBe(550_000 + 460_000);
    sim.setMarks({ QQQ: 440.5 });
    expect((await sim.account()).equityCents).toBe(550_000 + 440_500);
    expect((await sim.positions())[0]).toMatchObject({
      averagePriceCents: 45_000,
      marketPriceCents: 44_050,
    });
  });

  it("keeps cash and the average price exact in cents through buys and sells", async () => {
    const sim = await open();
    await sim.submitOrder(buy("b1", 10, 450));
    await sim.submitOrder(buy("b2", 10, 460));
    await sim.submitOrder(sell("s1", 5, 470));
    // 1,000,000 − 450,000 − 460,000 + 235,000
    expect((await sim.account()).cashCents).toBe(325_000);
    expect(await sim.positions()).toEqual([
      { symbol: "QQQ", quantity: 15, averagePriceCents: 45_500, marketPriceCents: 47_000 },
    ]);
    await sim.submitOrder(sell("s2", 15, 440));
    expect(await sim.positions()).toEqual([]);
    expect(await sim.account()).toEqual({
      cashCents: 985_000,
      equityCents: 985_000,
      buyingPowerCents: 985_000,
    });
  });
});

describe("paper simulator: refusals and rejections", () => {
  it("rejects a buy beyond its cash and a sell beyond its shares (no shorting), and records both", async () => {
    const store = createMemoryStore();
    const sim = await open({ store });
    expect(await sim.submitOrder(buy("big", 23))).toMatchObject({
      status: "rejected",
      reason: "insufficient buying power",
      filledQuantity: 0,
      fills: [],
    });
    expect(await sim.submitOrder(sell("short", 1))).toMatchObject({
      status: "rejected",
      reason: "insufficient quantity",
    });
    expect(await sim.submitOrder(buy("fits", 22))).toMatchObject({ status: "filled" });
    expect(await sim.orderByClientId("big")).toMatchObject({ status: "rejected" });
    expect((await sim.account()).cashCents).toBe(CASH - 22 * 45_000);
    expect((await read(store, "sim-acct")).map((e) => e.type)).toEqual([
      "SimAccountOpened",
      "SimOrderRejected",
      "SimOrderRejected",
      "SimOrderAccepted",
      "SimOrderFilled",
    ]);
  });

  it("refuses a reused client order id, even one that was rejected", async () => {
    const sim = await open();
    await sim.submitOrder(buy("big", 1_000));
    const error = await rejection(sim.submitOrder(buy("big", 1)));
    expect(error).toBeInstanceOf(BrokerError);
    expect(error).toMatchObject({ kind: "duplicate_client_order_id", retryable: false });
    expect((error as Error).message).toContain("big");
  });

  it.each([
    [
      "quantity",
      { quantity: 0 },
      /quantity must be a whole number of shares greater than 0, got 0/,
    ],
    ["quantity", { quantity: 1.5 }, /quantity .* got 1.5/],
    ["side", { side: "hold" }, /side must be one of buy, sell/],
    ["decisionPrice", { decisionPrice: Number.NaN }, /decisionPrice must be a positive finite/],
    ["decisionPrice", { decisionPrice: -1 }, /decisionPrice/],
    ["clientOrderId", { clientOrderId: "" }, /clientOrderId must be a non-empty string/],
    ["symbol", { symbol: " " }, /symbol must be a non-empty string/],
  ])(
    "refuses a bad %s with invalid_request and records nothing",
    async (field, change, message) => {
      const store = createMemoryStore();
      const sim = await open({ store });
      const error = await rejection(
        sim.submitOrder({ ...buy("x", 1), ...change } as SubmitOrderRequest),
      );
      expect(error).toMatchObject({ kind: "invalid_request", detail: { field } });
      expect((error as Error).message).toMatch(message);
      expect(await store.streamRevision("sim-acct")).toBe(0);
    },
  );

  it("rejects when the behaviour asks, with its reason", async () => {
    const sim = await open({
      behaviour: { reject: (r) => (r.quantity > 5 ? "halted by the venue" : null) },
    });
    expect(await sim.submitOrder(buy("r1", 6))).toMatchObject({
      status: "rejected",
      reason: "halted by the venue",
    });
    expect(await sim.submitOrder(buy("r2", 5))).toMatchObject({ status: "filled" });
  });

  it("answers not_found for cancel of an unknown order, and invalid_request for a bad instant", async () => {
    const sim = await open();
    expect(await rejection(sim.cancelOrder("nope"))).toMatchObject({ kind: "not_found" });
    expect(await rejection(sim.ordersSince("2026-03-02"))).toMatchObject({
      kind: "invalid_request",
      detail: { field: "since" },
    });
  });

  it("settles concurrent submits one at a time: two buys of 60% of the cash cannot both fill", async () => {
    const sim = await open();
    const [first, second] = await Promise.all([
      sim.submitOrder(buy("c1", 13)),
      sim.submitOrder(buy("c2", 13)),
    ]);
    expect([first.status, second.status]).toEqual(["filled", "rejected"]);
    expect((await sim.account()).cashCents).toBe(CASH - 13 * 45_000);
  });
});

describe("paper simulator: partial fills, cancel, expiry, latency", () => {
  it("leaves the rest of a partial fill working until canceled; cash moves for the filled shares only", async () => {
    const sim = await open({ behaviour: { partialFill: () => 0.4 } });
    expect(await sim.submitOrder(buy("p1", 10))).toMatchObject({
      status: "partially_filled",
      filledQuantity: 4,
    });
    expect((await sim.account()).cashCents).toBe(CASH - 4 * 45_000);
    await sim.cancelOrder("p1");
    expect(await sim.orderByClientId("p1")).toMatchObject({
      status: "canceled",
      filledQuantity: 4,
      reason: "canceled on request",
    });
    await sim.cancelOrder("p1"); // a finished order stays as it is
    expect((await sim.orderByClientId("p1"))?.status).toBe("canceled");
  });

  it("expires working orders at the end of the day and leaves finished ones alone", async () => {
    let fraction = 0;
    const sim = await open({ behaviour: { partialFill: () => fraction } });
    await sim.submitOrder(buy("w1", 10)); // nothing filled yet: accepted
    fraction = 1;
    await sim.submitOrder(buy("f1", 1));
    expect((await sim.orderByClientId("w1"))?.status).toBe("accepted");
    const expired = await sim.expireWorkingOrders("2026-03-02T16:00:00-05:00");
    expect(expired.map((o) => [o.clientOrderId, o.status, o.reason])).toEqual([
      ["w1", "expired", "end of day"],
    ]);
    expect((await sim.orderByClientId("f1"))?.status).toBe("filled");
    expect(await sim.expireWorkingOrders()).toEqual([]);
  });

  it("refuses a partial-fill fraction outside 0..1", async () => {
    const sim = await open({ behaviour: { partialFill: () => 1.5 } });
    await expect(sim.submitOrder(buy("p", 10))).rejects.toThrow(/between 0 and 1, got 1.5/);
  });

  it("waits the configured latency before each answer", async () => {
    const waits: number[] = [];
    const sim = await open({
      behaviour: { latencyMs: 250, sleep: async (ms) => void waits.push(ms) },
    });
    await sim.submitOrder(buy("l1", 1));
    await sim.account();
    expect(waits).toEqual([250, 250]);
  });

  it("lists orders submitted at or after an instant, oldest first", async () => {
    const clock = manualClock("2026-03-02T14:30:00Z");
    const sim = await open({ clock });
    await sim.submitOrder(buy("o1", 1));
    clock.advance(60_000);
    await sim.submitOrder(buy("o2", 1));
    await sim.submitOrder(buy("o3", 1));
    const ids = async (since: string) => (await sim.ordersSince(since)).map((o) => o.clientOrderId);
    expect(await ids("2026-03-02T14:30:00Z")).toEqual(["o1", "o2", "o3"]);
    expect(await ids("2026-03-02T14:30:00.001Z")).toEqual(["o2", "o3"]);
    expect(sim.orders().map((o) => o.clientOrderId)).toEqual(["o1", "o2", "o3"]);
  });
});

describe("paper simulator: persistence", () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it("survives a restart on the file store: same account, positions and orders", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sim-restart-"));
    dirs.push(dir);
    const first = await openFileStore({ dir });
    const before = await open({
      store: first,
      behaviour: { partialFill: (r) => (r.clientOrderId === "p" ? 0.5 : 1) },
    });
    await before.submitOrder(buy("a", 10));
    await before.submitOrder(sell("b", 3, 460));
    await before.submitOrder(buy("p", 4));
    const snapshot = {
      account: await before.account(),
      positions: await before.positions(),
      orders: before.orders(),
    };
    await first.close();

    const second = await openFileStore({ dir });
    // A different initial cash is ignored: the stream's history wins.
    const after = await open({ store: second, initialCashCents: 5 });
    expect(await after.account()).toEqual(snapshot.account);
    expect(await after.positions()).toEqual(snapshot.positions);
    expect(after.orders()).toEqual(snapshot.orders);
    expect(after.orders().map((o) => o.status)).toEqual(["filled", "filled", "partially_filled"]);
    // Still the same account: the working order can be canceled, the ids stay taken.
    await after.cancelOrder("p");
    expect(await rejection(after.submitOrder(buy("a", 1)))).toMatchObject({
      kind: "duplicate_client_order_id",
    });
    expect(
      (await read(second, "sim-acct")).filter((e) => e.type === "SimAccountOpened"),
    ).toHaveLength(1);
    await second.close();
  });

  it("writes byte-identical streams for the same calls (a backtest replays exactly)", async () => {
    const run = async () => {
      const store = createMemoryStore();
      const sim = await open({
        store,
        mode: "backtest",
        runId: "backtest:acct",
        fillModel: decisionPriceFillModel({ slippageBps: 5, noiseBps: 10, seed: "bt" }),
      });
      await sim.submitOrder(buy("a", 10));
      await sim.submitOrder(sell("b", 4, 455));
      await sim.submitOrder(buy("c", 1_000));
      return JSON.stringify(await read(store, "sim-acct"));
    };
    const first = await run();
    expect(await run()).toBe(first);
    expect(first).toContain('"mode":"backtest"');
  });
});
