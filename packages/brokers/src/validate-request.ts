import { ORDER_SIDES, parseIsoInstant } from "@trader/core";
import { BrokerError, type SubmitOrderRequest } from "./port.js";

/**
 * Checks a submit request against the port's rules; throws BrokerError `invalid_request`
 * naming the broker, the field and the rule. Every adapter may call it before anything else.
 */
export function validateSubmitRequest(broker: string, request: SubmitOrderRequest): void {
  const refuse = (field: keyof SubmitOrderRequest, rule: string): never => {
    throw new BrokerError(
      "invalid_request",
      `${broker} submitOrder: ${field} ${rule}, got ${JSON.stringify(request[field]) ?? String(request[field])}`,
      { field, value: request[field], clientOrderId: request.clientOrderId },
    );
  };
  if (typeof request.clientOrderId !== "string" || request.clientOrderId.trim() === "") {
    refuse("clientOrderId", "must be a non-empty string (the order intent's id)");
  }
  if (typeof request.symbol !== "string" || request.symbol.trim() === "") {
    refuse("symbol", "must be a non-empty string");
  }
  if (!(ORDER_SIDES as readonly unknown[]).includes(request.side)) {
    refuse("side", `must be one of ${ORDER_SIDES.join(", ")}`);
  }
  if (!(Number.isSafeInteger(request.quantity) && request.quantity > 0)) {
    refuse("quantity", "must be a whole number of shares greater than 0");
  }
  if (!(typeof request.decisionPrice === "number" && Number.isFinite(request.decisionPrice))) {
    refuse("decisionPrice", "must be a positive finite number of dollars");
  }
  if (!(request.decisionPrice >= 0.005)) {
    refuse("decisionPrice", "must be a positive number of dollars of at least one cent");
  }
}

/** Parses an ISO-8601 instant argument; throws BrokerError `invalid_request` naming it. */
export function requireInstant(
  broker: string,
  method: string,
  field: string,
  value: string,
): number {
  try {
    return parseIsoInstant(value);
  } catch (error) {
    throw new BrokerError(
      "invalid_request",
      `${broker} ${method}: ${field} must be an ISO-8601 instant such as 2026-03-02T14:30:00Z (${(error as Error).message})`,
      { field, value },
    );
  }
}
