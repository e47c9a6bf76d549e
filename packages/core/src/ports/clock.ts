/**
 * The clock port. The core never reads the wall clock: whoever runs it passes a Clock in.
 * Times are epoch milliseconds; events carry them as ISO-8601 UTC strings.
 */
export interface Clock {
  now(): number;
}

/** ISO-8601 UTC with milliseconds, e.g. "2026-11-20T20:50:00.000Z". */
export function toIsoUtc(epochMs: number): string {
  if (!Number.isFinite(epochMs)) {
    throw new RangeError(`toIsoUtc: epoch milliseconds must be a finite number, got ${epochMs}`);
  }
  return new Date(epochMs).toISOString();
}

/** Parses an ISO-8601 instant that names its offset (Z or ±hh:mm) into epoch milliseconds. */
export function parseIsoInstant(iso: string): number {
  if (!/(Z|[+-]\d{2}:\d{2})$/.test(iso)) {
    throw new RangeError(
      `parseIsoInstant: "${iso}" has no UTC offset; write it as ...Z or ...±hh:mm`,
    );
  }
  const epochMs = Date.parse(iso);
  if (Number.isNaN(epochMs)) {
    throw new RangeError(`parseIsoInstant: "${iso}" is not an ISO-8601 instant`);
  }
  return epochMs;
}

/** A clock stopped at one instant: the same answer every time. */
export function fixedClock(at: string | number): Clock {
  const epochMs = typeof at === "number" ? at : parseIsoInstant(at);
  return { now: () => epochMs };
}

/** A clock the caller moves by hand: for simulations and tests that walk through time. */
export interface ManualClock extends Clock {
  set(at: string | number): void;
  advance(milliseconds: number): void;
}

export function manualClock(start: string | number): ManualClock {
  let current = typeof start === "number" ? start : parseIsoInstant(start);
  return {
    now: () => current,
    set(at) {
      const next = typeof at === "number" ? at : parseIsoInstant(at);
      if (next < current) {
        throw new RangeError(
          `manualClock.set: time cannot go backwards (${toIsoUtc(next)} < ${toIsoUtc(current)})`,
        );
      }
      current = next;
    },
    advance(milliseconds) {
      if (!(milliseconds >= 0)) {
        throw new RangeError(`manualClock.advance: milliseconds must be ≥ 0, got ${milliseconds}`);
      }
      current += milliseconds;
    },
  };
}
