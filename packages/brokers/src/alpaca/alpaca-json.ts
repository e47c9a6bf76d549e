/**
 * Alpaca's documented REST JSON (Trading API v2: account, positions, orders), validated field by
 * field and mapped onto the port. Money and quantities arrive as decimal strings; money becomes
 * integer cents through the core's centsFromDollars, quantities must be whole shares. Anything
 * else is a `protocol` BrokerError naming the field and the rule.
 */
import { centsFromDollars, parseIsoInstant, toIsoUtc } from "@trader/core";
import { z } from "zod";
import { type BrokerAccount, BrokerError, type BrokerOrder, type BrokerPosition } from "../port.js";
import type { FillLedger } from "./fill-ledger.js";
import {
  ALPACA_ORDER_STATUSES,
  type AlpacaOrderStatus,
  brokerOrderStatusFor,
} from "./status-mapping.js";

const decimal = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/, { error: 'must be a decimal string such as "1234.56"' });
const instant = z.string().min(1, { error: "must be an ISO-8601 instant" });
const nullableInstant = instant.nullish();

export const alpacaAccountJsonSchema = z.looseObject({
  cash: decimal,
  equity: decimal,
  buying_power: decimal,
});

export const alpacaPositionJsonSchema = z.looseObject({
  symbol: z.string().min(1),
  qty: decimal,
  avg_entry_price: decimal,
  current_price: decimal.nullish(),
});

export const alpacaOrderJsonSchema = z.looseObject({
  id: z.string().min(1),
  client_order_id: z.string().min(1),
  symbol: z.string().min(1),
  side: z.enum(["buy", "sell"]),
  /** Null for a notional (dollar amount) order, which this engine never sends. */
  qty: decimal.nullable(),
  filled_qty: decimal,
  filled_avg_price: decimal.nullish(),
  status: z.enum(ALPACA_ORDER_STATUSES, {
    error: `must be one of Alpaca's order statuses (${ALPACA_ORDER_STATUSES.join(", ")})`,
  }),
  created_at: instant,
  submitted_at: nullableInstant,
  updated_at: nullableInstant,
  filled_at: nullableInstant,
  replaced_by: z.string().nullish(),
});

export type AlpacaAccountJson = z.infer<typeof alpacaAccountJsonSchema>;
export type AlpacaPositionJson = z.infer<typeof alpacaPositionJsonSchema>;
export type AlpacaOrderJson = z.infer<typeof alpacaOrderJsonSchema>;

/** Validates a JSON body against a schema, or throws `protocol` naming what and why. */
export function parseAlpacaJson<Schema extends z.ZodType>(
  what: string,
  schema: Schema,
  json: unknown,
): z.output<Schema> {
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new BrokerError(
      "protocol",
      `Alpaca ${what} does not match Alpaca's documented JSON:\n${z.prettifyError(parsed.error)}`,
      { what },
    );
  }
  return parsed.data;
}

export function toBrokerAccount(json: AlpacaAccountJson): BrokerAccount {
  return {
    cashCents: centsFromDecimal(json.cash),
    equityCents: centsFromDecimal(json.equity),
    buyingPowerCents: centsFromDecimal(json.buying_power),
  };
}

export function toBrokerPosition(json: AlpacaPositionJson): BrokerPosition {
  const position = {
    symbol: json.symbol,
    quantity: wholeShares(json.qty, `position ${json.symbol} qty`),
    averagePriceCents: centsFromDecimal(json.avg_entry_price),
  };
  return json.current_price == null
    ? position
    : { ...position, marketPriceCents: centsFromDecimal(json.current_price) };
}

/**
 * The port's view of one Alpaca order. Alpaca's order carries only the cumulative `filled_qty`
 * and its `filled_avg_price`, not the executions; the fill ledger turns those into fills (see
 * fill-ledger.ts).
 */
export function toBrokerOrder(json: AlpacaOrderJson, ledger: FillLedger): BrokerOrder {
  const what = `order ${json.client_order_id}`;
  if (json.qty == null) {
    throw new BrokerError(
      "protocol",
      `Alpaca ${what} has no share quantity (a notional order); this engine trades whole shares only`,
      { clientOrderId: json.client_order_id, brokerOrderId: json.id },
    );
  }
  const quantity = wholeShares(json.qty, `${what} qty`);
  const filledQuantity = wholeShares(json.filled_qty, `${what} filled_qty`);
  const submittedAt = isoUtc(json.submitted_at ?? json.created_at, `${what} submitted_at`);
  if (filledQuantity > 0 && json.filled_avg_price == null) {
    throw new BrokerError(
      "protocol",
      `Alpaca ${what} has ${filledQuantity} filled shares but no filled_avg_price`,
      { clientOrderId: json.client_order_id, brokerOrderId: json.id },
    );
  }
  const fills = ledger.record({
    brokerOrderId: json.id,
    clientOrderId: json.client_order_id,
    filledQuantity,
    averagePrice: json.filled_avg_price == null ? 0 : Number(json.filled_avg_price),
    at: isoUtc(json.filled_at ?? json.updated_at ?? submittedAt, `${what} filled_at`),
  });
  const order: BrokerOrder = {
    clientOrderId: json.client_order_id,
    brokerOrderId: json.id,
    symbol: json.symbol,
    side: json.side,
    quantity,
    status: brokerOrderStatusFor(json.status, filledQuantity, quantity),
    filledQuantity,
    fills,
    submittedAt,
  };
  const reason = reasonFor(json.status, json.replaced_by);
  return reason === undefined ? order : { ...order, reason };
}

function reasonFor(status: AlpacaOrderStatus, replacedBy: string | null | undefined) {
  if (status === "replaced") return `replaced at Alpaca by order ${replacedBy ?? "(unknown)"}`;
  if (status === "canceled" || status === "expired" || status === "rejected") {
    return `Alpaca reports the order ${status}`;
  }
  return undefined;
}

/** Dollars as a decimal string → integer cents, rounded half away from zero. */
function centsFromDecimal(dollars: string): number {
  return centsFromDollars(Number(dollars));
}

/** "10" or "10.000" → 10; a fractional quantity is refused: this engine trades whole shares. */
function wholeShares(text: string, field: string): number {
  const shares = Number(text);
  if (!Number.isSafeInteger(shares)) {
    throw new BrokerError(
      "protocol",
      `Alpaca ${field} is "${text}": fractional shares are not supported, quantities must be whole shares`,
      { field, value: text },
    );
  }
  return shares === 0 ? 0 : shares; // no -0 from "-0"
}

/** Alpaca's microsecond timestamps → the port's ISO-8601 UTC with milliseconds. */
function isoUtc(text: string, field: string): string {
  try {
    return toIsoUtc(parseIsoInstant(text));
  } catch {
    throw new BrokerError(
      "protocol",
      `Alpaca ${field} is "${text}", not an ISO-8601 instant with an offset`,
      { field, value: text },
    );
  }
}
