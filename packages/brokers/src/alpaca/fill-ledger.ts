/**
 * Fills from Alpaca order snapshots. An Alpaca order tells its cumulative `filled_qty` and the
 * average price of those shares, not the executions. Each time a snapshot shows more shares
 * filled than the last one this process saw, the ledger adds one fill for the new shares:
 *
 * - execution id `<Alpaca order id>:<cumulative filled_qty>`, so the same snapshot read twice
 *   (or by a look-up after a submit) yields the same id and the intent book ignores the repeat;
 * - price: what the new shares cost on average, from the difference of the average prices,
 *   (avg₂ × filled₂ − avg₁ × filled₁) / (filled₂ − filled₁), rounded to the cent. 30 shares at
 *   450.90 then 50 at an average 451.00 give a second fill of 20 at 451.15.
 *
 * The ledger lives in memory, one per adapter. A process that first sees an order after a
 * restart reports everything filled so far as one fill (id `<order id>:<filled_qty>`); if the
 * previous process had already recorded an earlier partial of that same order, those shares are
 * reported twice. `BrokerOrder.filledQuantity` is cumulative and always right: compare the sum
 * of recorded fills with it after a restart. Fully filled orders (the usual case for market day
 * orders) give the same single fill in every process.
 */
import { centsFromDollars } from "@trader/core";
import { BrokerError, type BrokerFill } from "../port.js";

export interface OrderFillSnapshot {
  readonly brokerOrderId: string;
  readonly clientOrderId: string;
  /** Cumulative whole shares filled. */
  readonly filledQuantity: number;
  /** Average price of all filled shares, in dollars (0 while nothing filled). */
  readonly averagePrice: number;
  /** When Alpaca last changed the order: the time of the new fill. */
  readonly at: string;
}

export interface FillLedger {
  /** All fills of the order seen by this ledger so far, the snapshot's new shares included. */
  record(snapshot: OrderFillSnapshot): readonly BrokerFill[];
}

interface OrderFills {
  readonly filledQuantity: number;
  /** avg × filled of the last snapshot, in dollars: the next increment's price is measured from it. */
  readonly notional: number;
  readonly fills: readonly BrokerFill[];
}

export function createFillLedger(): FillLedger {
  const byOrder = new Map<string, OrderFills>();
  return {
    record(snapshot) {
      const known = byOrder.get(snapshot.brokerOrderId) ?? {
        filledQuantity: 0,
        notional: 0,
        fills: [],
      };
      if (snapshot.filledQuantity < known.filledQuantity) {
        throw new BrokerError(
          "protocol",
          `Alpaca order ${snapshot.clientOrderId}: filled_qty went down from ${known.filledQuantity} to ${snapshot.filledQuantity}`,
          { clientOrderId: snapshot.clientOrderId, brokerOrderId: snapshot.brokerOrderId },
        );
      }
      if (snapshot.filledQuantity === known.filledQuantity) return known.fills;
      const quantity = snapshot.filledQuantity - known.filledQuantity;
      const notional = snapshot.averagePrice * snapshot.filledQuantity;
      const incrementPrice = (notional - known.notional) / quantity;
      // Averages rounded by the broker can make a tiny increment's price absurd; then the
      // order's average is the best estimate there is.
      const price = incrementPrice > 0 ? incrementPrice : snapshot.averagePrice;
      const fill: BrokerFill = {
        executionId: `${snapshot.brokerOrderId}:${snapshot.filledQuantity}`,
        quantity,
        priceCents: centsFromDollars(price),
        at: snapshot.at,
      };
      const next = {
        filledQuantity: snapshot.filledQuantity,
        notional,
        fills: [...known.fills, fill],
      };
      byOrder.set(snapshot.brokerOrderId, next);
      return next.fills;
    },
  };
}
