import { parseIsoInstant } from "../../ports/clock.js";

/**
 * Adds an instant to a sliding window of ISO-8601 instants and keeps only those within
 * `windowSeconds` of the latest one (inclusive), oldest first. Late arrivals are placed in
 * order; one older than the window is dropped.
 */
export function slideWindow(
  times: readonly string[],
  at: string,
  windowSeconds: number,
): readonly string[] {
  const sorted = [...times, at]
    .map((iso) => ({ iso, ms: parseIsoInstant(iso) }))
    .sort((a, b) => a.ms - b.ms);
  const latest = sorted[sorted.length - 1]?.ms ?? 0;
  return sorted.filter(({ ms }) => latest - ms <= windowSeconds * 1000).map(({ iso }) => iso);
}
