/**
 * The behaviour every Broker must show, as a vitest suite. Run it with a factory that opens a
 * fresh account holding `initialCashCents` and no positions, where `symbol` trades at `price`.
 * It assumes only what the port promises: fills may come at a price other than the decision
 * price (the checks use the fills the broker reports), and an account may hold orders of others
 * (the checks look only at their own client order ids).
 */
import { type Cents, deterministicId } from "@trader/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Broker, BrokerError, type BrokerOrder, type SubmitOrderRequest } from "../port.js";

export interface BrokerContractSetup {
  readonly initialCashCents: Cents;
  readonly symbol: string;
  /** Dollars. */
  readonly price: number;
}

export interface BrokerUnderTest {
  readonly broker: Broker;
  /** Makes `symbol` trade at `price` dollars from now on (e.g. a mock server's quote). */
  setPrice?(symbol: string, price: number): void | Promise<void>;
  /** Lets the broker process what was sent (e.g. a mock server fills working orders). */
  settle?(): void | Promise<void>;
  close?(): void | Promise<void>;
}

export type BrokerContractFactory = (setup: BrokerContractSetup) => Promise<BrokerUnderTest>;

export interface BrokerContractOptions extends Partial<BrokerContractSetup> {
  /** Mixed into client order ids, to keep runs apart on an account that persists. */
  readonly clientOrderIdSeed?: string;
  /** A price to sell at, different from `price`, in dollars. Default price × 1.02. */
  readonly sellPrice?: number;
}

/** Defaults: $100,000.00 cash, QQQ at $450.00, sold at $459.00. */
export const DEFAULT_BROKER_CONTRACT_SETUP: BrokerContractSetup = {
  initialCashCents: 10_000_000,
  symbol: "QQQ",
  price: 450,
};

export function describeBrokerContract(
  name: string,
  makeBroker: BrokerContractFactory,
  options: BrokerContractOptions = {},
): void {
  const setup: BrokerContractSetup = {
    initialCashCents: options.initialCashCents ?? DEFAULT_BROKER_CONTRACT_SETUP.initialCashCents,
    symbol: options.symbol ?? DEFAULT_BROKER_CONTRACT_SETUP.symbol,
    price: options.price ?? DEFAULT_BROKER_CONTRACT_SETUP.price,
  };
  const { symbol, price } = setup;
  const sellPrice = options.sellPrice ?? Math.round(price * 102) / 100;

  describe(`${name}: Broker contract`, () => {
    let subject: BrokerUnderTest;
    let broker: Broker;
    let ordersSent = 0;

    /** A fresh client order id shaped like an intent id (16 hex chars). */
    const clientOrderId = () =>
      deterministicId([
        options.clientOrderIdSeed ?? "broker-contract",
        name,
        expect.getState().currentTestName ?? "",
        ordersSent++,
      ]);

    const submit = async (
      side: "buy" | "sell",
      quantity: number,
      decisionPrice = price,
      id = clientOrderId(),
    ) => {
      const request: SubmitOrderRequest = {
        clientOrderId: id,
        symbol,
        side,
        quantity,
        decisionPrice,
      };
      const sent = await broker.submitOrder(request);
      await subject.settle?.();
      return { request, sent };
    };

    const reported = async (id: string): Promise<BrokerOrder> => {
      const order = await broker.orderByClientId(id);
      if (!order)
        throw new Error(`${name}: order ${id} was submitted but orderByClientId returns null`);
      return order;
    };

    const cashPaid = (order: BrokerOrder) =>
      order.fills.reduce((sum, fill) => sum + fill.quantity * fill.priceCents, 0);

    beforeEach(async () => {
      ordersSent = 0;
      subject = await makeBroker(setup);
      broker = subject.broker;
      await subject.setPrice?.(symbol, price);
    });
    afterEach(async () => {
      await subject.close?.();
    });

    it("starts with the cash it was given and no positions", async () => {
      expect((await broker.account()).cashCents).toBe(setup.initialCashCents);
      expect(await broker.positions()).toEqual([]);
    });

    it("finds a submitted order by its client order id, filled in full", async () => {
      const { request, sent } = await submit("buy", 10);
      expect(sent).toMatchObject({
        clientOrderId: request.clientOrderId,
        symbol,
        side: "buy",
        quantity: 10,
      });
      const order = await reported(request.clientOrderId);
      expect(order).toMatchObject({
        clientOrderId: request.clientOrderId,
        brokerOrderId: sent.brokerOrderId,
        symbol,
        side: "buy",
        quantity: 10,
        status: "filled",
        filledQuantity: 10,
      });
      expect(order.fills.reduce((sum, fill) => sum + fill.quantity, 0)).toBe(10);
      expect(new Set(order.fills.map((fill) => fill.executionId)).size).toBe(order.fills.length);
    });

    it("refuses a second submit under the same client order id, and keeps one order", async () => {
      const { request } = await submit("buy", 2);
      const error = await broker.submitOrder(request).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(BrokerError);
      expect(error).toMatchObject({ kind: "duplicate_client_order_id" });
      const mine = (await broker.ordersSince("1970-01-01T00:00:00Z")).filter(
        (order) => order.clientOrderId === request.clientOrderId,
      );
      expect(mine).toHaveLength(1);
      expect((await broker.positions()).find((p) => p.symbol === symbol)?.quantity).toBe(2);
    });

    it("answers null for a client order id it never saw", async () => {
      expect(await broker.orderByClientId(clientOrderId())).toBeNull();
    });

    it("refuses a fractional quantity with invalid_request and sends nothing", async () => {
      const id = clientOrderId();
      const error = await broker
        .submitOrder({
          clientOrderId: id,
          symbol,
          side: "buy",
          quantity: 1.5,
          decisionPrice: price,
        })
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(error).toMatchObject({ kind: "invalid_request" });
      expect(await broker.orderByClientId(id)).toBeNull();
    });

    it("moves cash and positions by the fills of a buy and a sell", async () => {
      const buy = await reported((await submit("buy", 10)).request.clientOrderId);
      const afterBuy = await broker.account();
      expect(afterBuy.cashCents).toBe(setup.initialCashCents - cashPaid(buy));
      const averageBuyCents = Math.round(cashPaid(buy) / 10);
      expect(await broker.positions()).toEqual([
        expect.objectContaining({ symbol, quantity: 10, averagePriceCents: averageBuyCents }),
      ]);

      await subject.setPrice?.(symbol, sellPrice);
      const sell = await reported((await submit("sell", 4, sellPrice)).request.clientOrderId);
      expect(sell).toMatchObject({ status: "filled", filledQuantity: 4 });
      expect((await broker.account()).cashCents).toBe(
        setup.initialCashCents - cashPaid(buy) + cashPaid(sell),
      );
      // Average cost: selling part of a holding leaves the average price of the rest.
      expect(await broker.positions()).toEqual([
        expect.objectContaining({ symbol, quantity: 6, averagePriceCents: averageBuyCents }),
      ]);
    });

    it("lists orders submitted at or after an instant, oldest first", async () => {
      const first = (await submit("buy", 1)).sent;
      const second = (await submit("buy", 2)).sent;
      const mine = (orders: BrokerOrder[]) =>
        orders
          .map((order) => order.clientOrderId)
          .filter((id) => id === first.clientOrderId || id === second.clientOrderId);
      expect(mine(await broker.ordersSince("1970-01-01T00:00:00Z"))).toEqual([
        first.clientOrderId,
        second.clientOrderId,
      ]);
      expect(mine(await broker.ordersSince(first.submittedAt))).toEqual([
        first.clientOrderId,
        second.clientOrderId,
      ]);
      expect(mine(await broker.ordersSince("2999-01-01T00:00:00Z"))).toEqual([]);
    });

    it("leaves a filled order filled when asked to cancel it", async () => {
      const { request } = await submit("buy", 3);
      await broker.cancelOrder(request.clientOrderId);
      await subject.settle?.();
      expect(await reported(request.clientOrderId)).toMatchObject({
        status: "filled",
        filledQuantity: 3,
      });
      expect((await broker.positions()).find((p) => p.symbol === symbol)?.quantity).toBe(3);
    });
  });
}
