import { fixedClock } from "@trader/core";
import { createMemoryStore } from "@trader/store";
import { describe, expect, it } from "vitest";
import { type FaultPlan, withFaults } from "./faults.js";
import { openPaperSimulator } from "./paper-simulator.js";
import { BrokerError, type SubmitOrderRequest } from "./port.js";

const request: SubmitOrderRequest = {
  clientOrderId: "0123456789abcdef",
  symbol: "QQQ",
  side: "buy",
  quantity: 10,
  decisionPrice: 450,
};

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error,
  );

async function faulty(plan: FaultPlan) {
  const sim = await openPaperSimulator({
    store: createMemoryStore(),
    account: "acct",
    clock: fixedClock("2026-03-02T20:50:00Z"),
    initialCashCents: 1_000_000,
  });
  return { sim, broker: withFaults(sim, plan) };
}

describe("fault injector", () => {
  it("times a call out before it reaches the broker", async () => {
    const { sim, broker } = await faulty([{ method: "submitOrder", fault: { kind: "timeout" } }]);
    const error = await rejection(broker.submitOrder(request));
    expect(error).toBeInstanceOf(BrokerError);
    expect(error).toMatchObject({ kind: "timeout", retryable: true });
    expect(sim.orders()).toEqual([]);
    expect(broker.callsReachingBroker()).toBe(0);
  });

  it("loses the answer after the broker carried the submit out (crash between submit and ack)", async () => {
    const { sim, broker } = await faulty([
      { method: "submitOrder", calls: [1], fault: { kind: "timeout_after_success" } },
    ]);
    expect(await rejection(broker.submitOrder(request))).toMatchObject({ kind: "timeout" });
    expect(await sim.orderByClientId(request.clientOrderId)).toMatchObject({ status: "filled" });
    // The caller's retry meets the order it already placed.
    expect(await rejection(broker.submitOrder(request))).toMatchObject({
      kind: "duplicate_client_order_id",
    });
    expect(await broker.orderByClientId(request.clientOrderId)).toMatchObject({ status: "filled" });
  });

  it("answers HTTP 5xx as unavailable, 503 unless told otherwise, only on the calls named", async () => {
    const { broker } = await faulty([
      { method: "account", calls: [1], fault: { kind: "unavailable" } },
      { method: "account", calls: [3], fault: { kind: "unavailable", status: 502 } },
    ]);
    expect(await rejection(broker.account())).toMatchObject({
      kind: "unavailable",
      detail: { status: 503 },
    });
    expect(await broker.account()).toMatchObject({ cashCents: 1_000_000 });
    const error = await rejection(broker.account());
    expect(error).toMatchObject({ kind: "unavailable", retryable: true, detail: { status: 502 } });
    expect((error as Error).message).toContain("HTTP 502");
    expect(broker.callsReachingBroker("account")).toBe(1);
  });

  it("rejects a submit without sending it", async () => {
    const { sim, broker } = await faulty([
      { method: "submitOrder", fault: { kind: "reject", reason: "market closed" } },
    ]);
    expect(await rejection(broker.submitOrder(request))).toMatchObject({
      kind: "rejected",
      retryable: false,
      detail: { reason: "market closed" },
    });
    expect(sim.orders()).toEqual([]);
  });

  it("reports a fill in part, then the rest as a second execution that adds up to the order", async () => {
    const { broker } = await faulty([
      { method: "orderByClientId", calls: [1], fault: { kind: "partial_fill", fraction: 0.3 } },
    ]);
    await broker.submitOrder(request);
    const partial = await broker.orderByClientId(request.clientOrderId);
    expect(partial).toMatchObject({ status: "partially_filled", filledQuantity: 3 });
    expect(partial?.fills.map((f) => f.quantity)).toEqual([3]);
    const full = await broker.orderByClientId(request.clientOrderId);
    expect(full).toMatchObject({ status: "filled", filledQuantity: 10 });
    expect(full?.fills.map((f) => f.quantity)).toEqual([3, 7]);
    expect(full?.fills[0]?.executionId).toBe(partial?.fills[0]?.executionId);
    expect(new Set(full?.fills.map((f) => f.executionId)).size).toBe(2);
  });

  it("reports the same fill twice under the same execution id", async () => {
    const { broker } = await faulty([
      { method: "orderByClientId", fault: { kind: "duplicate_fill" } },
    ]);
    await broker.submitOrder(request);
    const order = await broker.orderByClientId(request.clientOrderId);
    expect(order?.fills).toHaveLength(2);
    expect(order?.fills[0]).toEqual(order?.fills[1]);
    expect(order?.filledQuantity).toBe(10);
  });

  it("delivers a stale update late: filled, then accepted", async () => {
    const { broker } = await faulty([
      { method: "orderByClientId", calls: [2], fault: { kind: "out_of_order" } },
    ]);
    await broker.submitOrder(request);
    expect((await broker.orderByClientId(request.clientOrderId))?.status).toBe("filled");
    expect(await broker.orderByClientId(request.clientOrderId)).toMatchObject({
      status: "accepted",
      filledQuantity: 0,
      fills: [],
    });
  });

  it("answers a submit and sends it a second time; the broker refuses the copy", async () => {
    const { sim, broker } = await faulty([
      { method: "submitOrder", fault: { kind: "answer_twice" } },
    ]);
    expect(await broker.submitOrder(request)).toMatchObject({ status: "filled" });
    expect(broker.callsReachingBroker("submitOrder")).toBe(2);
    expect(sim.orders()).toHaveLength(1);
    expect(broker.injected()).toEqual([
      {
        method: "submitOrder",
        callNumber: 1,
        kind: "answer_twice",
        detail: "the second submit failed: duplicate_client_order_id",
      },
    ]);
  });

  it("picks calls by predicate", async () => {
    const { broker } = await faulty([
      {
        method: "orderByClientId",
        when: ({ args }) => args[0] === "bad",
        fault: { kind: "timeout" },
      },
    ]);
    expect(await broker.orderByClientId("good")).toBeNull();
    expect(await rejection(broker.orderByClientId("bad"))).toMatchObject({ kind: "timeout" });
  });

  it("refuses a plan that cannot apply, naming the rule", async () => {
    const { sim } = await faulty([]);
    expect(() => withFaults(sim, [{ method: "account", fault: { kind: "reject" } }])).toThrow(
      /rule 0 \(account reject\): a reject fault applies only to submitOrder/,
    );
    expect(() =>
      withFaults(sim, [
        { method: "orderByClientId", fault: { kind: "partial_fill", fraction: 1 } },
      ]),
    ).toThrow(/fraction must be between 0 and 1/);
    expect(() =>
      withFaults(sim, [{ method: "account", calls: [0], fault: { kind: "timeout" } }]),
    ).toThrow(/calls must be call numbers ≥ 1/);
    expect(() =>
      withFaults(sim, [{ method: "account", fault: { kind: "unavailable", status: 404 } }]),
    ).toThrow(/HTTP 5xx/);
  });
});
