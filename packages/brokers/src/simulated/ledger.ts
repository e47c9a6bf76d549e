/**
 * The state of a simulated account as a fold of its events (cash, holdings, orders), and the
 * pure decision of what a submission does. The fold owns its state and updates it in place:
 * a backtest folds thousands of orders, and nobody else holds the maps.
 */
import { assertCents, type Cents } from "@trader/core";
import type { FillModel } from "../fill-model.js";
import type {
  BrokerFill,
  BrokerOrder,
  BrokerOrderStatus,
  BrokerPosition,
  OrderSide,
  SubmitOrderRequest,
} from "../port.js";
import type { SimEvent } from "./events.js";

/** Shares held and what they cost in total (signed like the quantity), in cents. */
export interface Holding {
  quantity: number;
  costCents: Cents;
}

interface WorkingOrder {
  clientOrderId: string;
  brokerOrderId: string;
  symbol: string;
  side: OrderSide;
  quantity: number;
  status: BrokerOrderStatus;
  filledQuantity: number;
  fills: BrokerFill[];
  submittedAt: string;
  reason?: string;
}

export const INSUFFICIENT_BUYING_POWER = "insufficient buying power";
export const INSUFFICIENT_QUANTITY = "insufficient quantity";

const roundHalfAwayFromZero = (value: number) => Math.sign(value) * Math.round(Math.abs(value));

/**
 * Applies one fill to a holding with average-cost accounting: buying more of a long (or selling
 * more of a short) adds its cost; reducing takes out the average cost of the shares closed, so
 * the average price stays; crossing zero starts a new holding at the fill price.
 */
export function applyFill(
  holdings: Map<string, Holding>,
  fill: { symbol: string; side: OrderSide; quantity: number; priceCents: Cents },
): void {
  const holding = holdings.get(fill.symbol) ?? { quantity: 0, costCents: 0 };
  const direction = fill.side === "buy" ? 1 : -1;
  if (holding.quantity === 0 || Math.sign(holding.quantity) === direction) {
    holding.quantity += direction * fill.quantity;
    holding.costCents += direction * fill.quantity * fill.priceCents;
  } else {
    const held = Math.abs(holding.quantity);
    const closed = Math.min(fill.quantity, held);
    const opened = fill.quantity - closed;
    holding.costCents -= roundHalfAwayFromZero((holding.costCents * closed) / held);
    holding.quantity += direction * closed;
    if (opened > 0) {
      holding.quantity = direction * opened;
      holding.costCents = direction * opened * fill.priceCents;
    }
  }
  assertCents(holding.costCents, `${fill.symbol} cost basis`);
  if (holding.quantity === 0) holdings.delete(fill.symbol);
  else holdings.set(fill.symbol, holding);
}

/** Cash moved by a fill: a buy pays, a sell receives. */
export function cashChangeOf(side: OrderSide, quantity: number, priceCents: Cents): Cents {
  return assertCents((side === "buy" ? -1 : 1) * quantity * priceCents, "fill amount");
}

/** Holdings as the port's positions, by symbol; the mark is the latest price known, if any. */
export function positionsOf(
  holdings: ReadonlyMap<string, Holding>,
  markCents: (symbol: string) => Cents | undefined,
): BrokerPosition[] {
  return [...holdings.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([symbol, { quantity, costCents }]) => {
      const mark = markCents(symbol);
      const position = {
        symbol,
        quantity,
        averagePriceCents: roundHalfAwayFromZero(costCents / quantity),
      };
      return mark === undefined ? position : { ...position, marketPriceCents: mark };
    });
}

/** Σ quantity × mark over the holdings (average price where nothing better is known). */
export function marketValueOf(
  holdings: ReadonlyMap<string, Holding>,
  markCents: (symbol: string) => Cents | undefined,
): Cents {
  let total = 0;
  for (const position of positionsOf(holdings, markCents)) {
    total += position.quantity * (position.marketPriceCents ?? position.averagePriceCents);
  }
  return assertCents(total, "market value");
}

const copyOf = (order: WorkingOrder): BrokerOrder => ({ ...order, fills: [...order.fills] });

export const isWorking = (status: BrokerOrderStatus) =>
  status === "accepted" || status === "partially_filled";

/** Cash, holdings and orders of a simulated account (or, for the dry-run guard, of its hypothetical orders). */
export class SimLedger {
  /** Set by SimAccountOpened; a dry-run ledger has none and counts cash from 0 (a change). */
  openedAs: string | null = null;
  cashCents: Cents = 0;
  readonly holdings = new Map<string, Holding>();
  readonly lastFillPriceCents = new Map<string, Cents>();
  /** In submission order. */
  private readonly byClientId = new Map<string, WorkingOrder>();

  apply(event: SimEvent): void {
    switch (event.type) {
      case "SimAccountOpened":
        this.openedAs = event.data.account;
        this.cashCents = event.data.initialCashCents;
        return;
      case "SimOrderAccepted":
      case "SimOrderRejected": {
        const { at, decisionPrice: _, ...order } = event.data;
        const base = { ...order, filledQuantity: 0, fills: [], submittedAt: at };
        this.byClientId.set(
          order.clientOrderId,
          event.type === "SimOrderRejected"
            ? { ...base, status: "rejected", reason: event.data.reason }
            : { ...base, status: "accepted" },
        );
        return;
      }
      case "SimOrderFilled": {
        const order = this.mustFind(event.data.clientOrderId, event.type);
        const { executionId, quantity, priceCents, fillModel, at } = event.data;
        order.fills.push({ executionId, quantity, priceCents, at, fillModel });
        order.filledQuantity += quantity;
        order.status = order.filledQuantity >= order.quantity ? "filled" : "partially_filled";
        this.cashCents = assertCents(
          this.cashCents + cashChangeOf(order.side, quantity, priceCents),
          "cash",
        );
        applyFill(this.holdings, { symbol: order.symbol, side: order.side, quantity, priceCents });
        this.lastFillPriceCents.set(order.symbol, priceCents);
        return;
      }
      case "SimOrderCanceled":
      case "SimOrderExpired": {
        const order = this.mustFind(event.data.clientOrderId, event.type);
        order.status = event.type === "SimOrderCanceled" ? "canceled" : "expired";
        order.reason = event.data.reason;
        return;
      }
    }
  }

  order(clientOrderId: string): BrokerOrder | null {
    const order = this.byClientId.get(clientOrderId);
    return order ? copyOf(order) : null;
  }

  orders(): BrokerOrder[] {
    return [...this.byClientId.values()].map(copyOf);
  }

  heldQuantity(symbol: string): number {
    return this.holdings.get(symbol)?.quantity ?? 0;
  }

  private mustFind(clientOrderId: string, eventType: string): WorkingOrder {
    const order = this.byClientId.get(clientOrderId);
    if (!order) {
      throw new Error(
        `${eventType} names order ${clientOrderId}, which this stream never accepted`,
      );
    }
    return order;
  }
}

export interface SubmissionInput {
  readonly request: SubmitOrderRequest;
  readonly at: string;
  readonly brokerOrderId: string;
  readonly fillModel: FillModel;
  readonly buyingPowerCents: Cents;
  /** Shares of the symbol held now (negative for a short). */
  readonly heldQuantity: number;
  /** The share of the order filled now, 0..1; the rest stays working. */
  readonly fillFraction: number;
  /** A rejection asked for by a test, or null. */
  readonly rejectReason: string | null;
}

/**
 * What one valid, new submission does: rejected (asked for, a buy beyond buying power, a sell
 * beyond the shares held: no shorting), or accepted and filled at the fill model's price, in
 * full or for `floor(quantity × fillFraction)` shares.
 */
export function decideSubmission(input: SubmissionInput): SimEvent[] {
  const { request, at, brokerOrderId, fillModel, fillFraction } = input;
  if (!(fillFraction >= 0 && fillFraction <= 1)) {
    throw new RangeError(
      `simulated fill fraction must be between 0 and 1, got ${fillFraction} (order ${request.clientOrderId})`,
    );
  }
  const order = {
    clientOrderId: request.clientOrderId,
    brokerOrderId,
    symbol: request.symbol,
    side: request.side,
    quantity: request.quantity,
    decisionPrice: request.decisionPrice,
    at,
  };
  const priceCents = fillModel.price(request);
  const reason =
    input.rejectReason ??
    (request.side === "buy" && request.quantity * priceCents > input.buyingPowerCents
      ? INSUFFICIENT_BUYING_POWER
      : request.side === "sell" && request.quantity > input.heldQuantity
        ? INSUFFICIENT_QUANTITY
        : null);
  if (reason !== null) return [{ type: "SimOrderRejected", data: { ...order, reason } }];
  const filledNow = Math.floor(request.quantity * fillFraction);
  const accepted: SimEvent = { type: "SimOrderAccepted", data: order };
  if (filledNow === 0) return [accepted];
  return [
    accepted,
    {
      type: "SimOrderFilled",
      data: {
        clientOrderId: request.clientOrderId,
        executionId: `${brokerOrderId}-fill-1`,
        quantity: filledNow,
        priceCents,
        fillModel: fillModel.id,
        at,
      },
    },
  ];
}
