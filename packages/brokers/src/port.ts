/**
 * The Broker port: everything the runtime asks of a broker. Money is integer cents, quantities
 * are whole shares, instants are ISO-8601 UTC strings. The client order id is always the order
 * intent's id (SPEC §6), so the broker itself refuses a duplicate and a crashed run can find
 * what it already sent by asking for it.
 */
import type { Cents } from "@trader/core";

export type OrderSide = "buy" | "sell";

export interface BrokerAccount {
  readonly cashCents: Cents;
  readonly equityCents: Cents;
  readonly buyingPowerCents: Cents;
}

export interface BrokerPosition {
  readonly symbol: string;
  /** Whole shares; negative for a short. */
  readonly quantity: number;
  /** Average entry price in cents. */
  readonly averagePriceCents: Cents;
  /** The broker's latest mark in cents, when it has one. */
  readonly marketPriceCents?: Cents;
}

/**
 * The broker's view of an order's lifecycle. Every adapter maps its own statuses onto these
 * (Alpaca has more; see the Alpaca adapter's mapping table).
 */
export const BROKER_ORDER_STATUSES = [
  /** Received, not yet working (Alpaca: new, pending_new, accepted, ...). */
  "accepted",
  "partially_filled",
  "filled",
  "rejected",
  "canceled",
  "expired",
] as const;
export type BrokerOrderStatus = (typeof BROKER_ORDER_STATUSES)[number];

export interface BrokerFill {
  /** Unique per execution: a fill reported twice carries the same id. */
  readonly executionId: string;
  readonly quantity: number;
  readonly priceCents: Cents;
  readonly at: string;
  /** Simulated fills name the fill model and its version (e.g. "decision-price@1"). */
  readonly fillModel?: string;
}

export interface BrokerOrder {
  readonly clientOrderId: string;
  readonly brokerOrderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly quantity: number;
  readonly status: BrokerOrderStatus;
  readonly filledQuantity: number;
  readonly fills: readonly BrokerFill[];
  readonly submittedAt: string;
  /** Why the broker rejected, canceled or expired it. */
  readonly reason?: string;
}

export interface SubmitOrderRequest {
  /** The order intent's id (16 hex chars). */
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly quantity: number;
  /** The price the decision expected, in dollars; the simulator fills at it, real brokers ignore it. */
  readonly decisionPrice: number;
}

/**
 * Why a broker call failed. `kind` says what the caller may do: `timeout` and `unavailable`
 * (5xx, connection refused, rate limited) leave the outcome of a submit unknown and are worth
 * retrying; the others are answers.
 */
export const BROKER_ERROR_KINDS = [
  "timeout",
  "unavailable",
  "auth",
  "rejected",
  "duplicate_client_order_id",
  "not_found",
  "invalid_request",
  "circuit_open",
  "protocol",
] as const;
export type BrokerErrorKind = (typeof BROKER_ERROR_KINDS)[number];

export class BrokerError extends Error {
  override readonly name = "BrokerError";
  constructor(
    readonly kind: BrokerErrorKind,
    message: string,
    readonly detail: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
  /** The call may have reached the broker, or may succeed if tried again. */
  get retryable(): boolean {
    return this.kind === "timeout" || this.kind === "unavailable";
  }
}

export interface Broker {
  /** For people and events, e.g. "simulator", "alpaca-paper". Never contains credentials. */
  readonly name: string;
  account(): Promise<BrokerAccount>;
  positions(): Promise<BrokerPosition[]>;
  /**
   * Sends an order. Resolves with the order as the broker holds it right after (it may already
   * be filled). A second submit with the same client order id fails with
   * `duplicate_client_order_id`.
   */
  submitOrder(request: SubmitOrderRequest): Promise<BrokerOrder>;
  /** The order sent under this client order id, or null when the broker has none. */
  orderByClientId(clientOrderId: string): Promise<BrokerOrder | null>;
  /** Cancels a working order; a finished order stays as it is. */
  cancelOrder(clientOrderId: string): Promise<void>;
  /** Orders submitted at or after `since`, oldest first. */
  ordersSince(since: string): Promise<BrokerOrder[]>;
}

/** Log lines from adapters; the dry-run guard prefixes its own with `[DRY_RUN]`. */
export interface BrokerLogger {
  info(message: string): void;
  warn(message: string): void;
}

export const SILENT_LOGGER: BrokerLogger = { info: () => {}, warn: () => {} };
