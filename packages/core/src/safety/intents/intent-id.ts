import { deterministicId } from "../../hash.js";
import { parseIsoInstant, toIsoUtc } from "../../ports/clock.js";

export const ORDER_SIDES = ["buy", "sell"] as const;
export type OrderSide = (typeof ORDER_SIDES)[number];

/** What identifies an order intent: the same parts always give the same id. */
export interface IntentIdParts {
  /** The deterministic run id, so a retried run derives the same ids. */
  readonly runId: string;
  readonly strategy: string;
  readonly symbol: string;
  readonly side: OrderSide;
  /** Shares ordered: a whole number > 0. */
  readonly targetQuantity: number;
  /** The hour the decision belongs to, `YYYYMMDD_HH` in UTC (see `intentTimeBucket`). */
  readonly timeBucket: string;
}

/** `YYYYMMDD_HH`: the seed's hourly bucket, taken in UTC because the core has no local zone. */
export const INTENT_TIME_BUCKET_PATTERN = /^\d{8}_\d{2}$/;

/** The hourly time bucket of an instant, e.g. 2026-03-02T20:50:00Z → "20260302_20". */
export function intentTimeBucket(at: string): string {
  const iso = toIsoUtc(parseIsoInstant(at));
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}_${iso.slice(11, 13)}`;
}

/**
 * The order intent id (SPEC §6), also sent to the broker as the client order id: the first 16
 * hex chars of SHA-256 over, in this order, run id | strategy | symbol | side | target quantity
 * (decimal) | time bucket, joined by "|" as `deterministicId` does. Parts are used verbatim (no
 * case folding): callers pass symbols as the broker spells them.
 */
export function intentId(parts: IntentIdParts): string {
  return deterministicId([
    parts.runId,
    parts.strategy,
    parts.symbol,
    parts.side,
    parts.targetQuantity,
    parts.timeBucket,
  ]);
}
