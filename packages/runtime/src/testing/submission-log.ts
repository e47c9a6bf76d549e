import { type Broker, BrokerError } from "@trader/brokers";

/** One submitOrder that reached the broker, and how the broker answered it. */
export interface Submission {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: "buy" | "sell";
  readonly quantity: number;
  /** The order's status, or the BrokerError kind it was refused with (e.g. duplicate_client_order_id). */
  readonly answer: string;
}

/**
 * Puts a spy between the cycle and a broker that writes every submitOrder reaching the broker
 * into `log` (shared across "restarts", so a test sees what every process sent).
 */
export function loggingSubmissions(inner: Broker, log: Submission[]): Broker {
  return {
    name: inner.name,
    account: () => inner.account(),
    positions: () => inner.positions(),
    orderByClientId: (clientOrderId) => inner.orderByClientId(clientOrderId),
    cancelOrder: (clientOrderId) => inner.cancelOrder(clientOrderId),
    ordersSince: (since) => inner.ordersSince(since),
    async submitOrder(request) {
      const { clientOrderId, symbol, side, quantity } = request;
      try {
        const order = await inner.submitOrder(request);
        log.push({ clientOrderId, symbol, side, quantity, answer: order.status });
        return order;
      } catch (error) {
        const answer =
          error instanceof BrokerError
            ? error.kind
            : error instanceof Error
              ? error.name
              : String(error);
        log.push({ clientOrderId, symbol, side, quantity, answer });
        throw error;
      }
    },
  };
}
