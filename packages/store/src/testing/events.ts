import { randomUUID } from "node:crypto";
import type { NewEvent } from "../port.js";

/** `count` events of about 300 bytes of JSON each, with fresh ids. */
export function sampleEvents(count: number, label = "e"): NewEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    type: "OrderFilled",
    data: { label: `${label}-${i}`, symbol: "SPY", qty: 10 + i, price: 450.25, side: "buy" },
    metadata: { occurredAt: "2026-01-02T20:50:00.000Z", runId: "paper:acct-1:2026-01-02:close" },
  }));
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject, but it resolved");
}
