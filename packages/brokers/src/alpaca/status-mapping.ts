/**
 * Alpaca's order statuses and how each maps onto the port's BrokerOrderStatus. The list is the
 * one the SDK's OpenAPI model documents (`trading.OrderStatus`, Trading API 2.0.1); a test keeps
 * the two identical, so a status Alpaca adds shows up as a failing test, not a silent gap.
 */
import type { BrokerOrderStatus } from "../port.js";

export const ALPACA_ORDER_STATUSES = [
  "new",
  "partially_filled",
  "filled",
  "done_for_day",
  "canceled",
  "expired",
  "replaced",
  "pending_cancel",
  "pending_replace",
  "accepted",
  "pending_new",
  "accepted_for_bidding",
  "stopped",
  "rejected",
  "suspended",
  "calculated",
  "held",
] as const;
export type AlpacaOrderStatus = (typeof ALPACA_ORDER_STATUSES)[number];

/**
 * Every Alpaca status → the port's status. Terminal statuses (no further updates at Alpaca) map
 * to the terminal port statuses; every other status is still working and maps to `accepted`,
 * which `brokerOrderStatusFor` raises to `partially_filled` or `filled` by the filled quantity.
 * `done_for_day` and `calculated` are working: Alpaca still accepts a cancel for them.
 */
export const ALPACA_ORDER_STATUS_MAPPING = {
  new: "accepted",
  pending_new: "accepted",
  accepted: "accepted",
  accepted_for_bidding: "accepted",
  held: "accepted",
  stopped: "accepted",
  suspended: "accepted",
  pending_cancel: "accepted",
  pending_replace: "accepted",
  done_for_day: "accepted",
  calculated: "accepted",
  partially_filled: "partially_filled",
  filled: "filled",
  canceled: "canceled",
  expired: "expired",
  rejected: "rejected",
  // The order under this client order id will never fill again: it lives on under a new id.
  replaced: "canceled",
} as const satisfies Record<AlpacaOrderStatus, BrokerOrderStatus>;

const TERMINAL_BROKER_STATUSES: readonly BrokerOrderStatus[] = [
  "filled",
  "rejected",
  "canceled",
  "expired",
];

/** The order can change no more: no further fills, nothing to cancel. */
export function isTerminalBrokerStatus(status: BrokerOrderStatus): boolean {
  return TERMINAL_BROKER_STATUSES.includes(status);
}

/**
 * The port status of an Alpaca order: the table's, except that a working order reports how far
 * it has filled (`partially_filled` once any share filled, `filled` once all have).
 */
export function brokerOrderStatusFor(
  status: AlpacaOrderStatus,
  filledQuantity: number,
  quantity: number,
): BrokerOrderStatus {
  const mapped: BrokerOrderStatus = ALPACA_ORDER_STATUS_MAPPING[status];
  if (isTerminalBrokerStatus(mapped)) return mapped;
  if (filledQuantity >= quantity && quantity > 0) return "filled";
  return filledQuantity > 0 ? "partially_filled" : "accepted";
}
