/**
 * Catch-up subscription that survives drops. Pure: it works on an abstract source that opens a
 * subscription after a given event (or from the start) and yields events in position order until
 * it ends or fails. After a failure the helper reopens the source after the last event it
 * delivered, so nothing is lost; it skips every event at or below that one, so nothing repeats.
 */

export interface SubscriptionSource<E> {
  /** Events after `after` (exclusive), or from the start when `after` is undefined. */
  open(after: E | undefined): AsyncIterable<E>;
}

export interface ResubscribeOptions<E> {
  readonly source: SubscriptionSource<E>;
  /** An event's global position (strictly increasing along the log). */
  readonly positionOf: (event: E) => number;
  /** First position to deliver (inclusive). */
  readonly fromPosition: number;
  /** Which failures are drops worth resubscribing after (others end the subscription). */
  readonly isDrop: (error: unknown) => boolean;
  /** Resubscribe attempts in a row without a delivered event before giving up; default 5. */
  readonly maxAttempts?: number;
  /** Wait before the n-th attempt in a row (1-based); default 100 ms × 2^(n−1), capped at 5 s. */
  readonly backoffMs?: (attempt: number) => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Told of each resubscription (for logs). */
  readonly onResubscribe?: (attempt: number, error: unknown) => void;
}

const defaultBackoff = (attempt: number) => Math.min(100 * 2 ** (attempt - 1), 5_000);
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function* resubscribing<E>(options: ResubscribeOptions<E>): AsyncGenerator<E> {
  const { source, positionOf, fromPosition, isDrop } = options;
  const maxAttempts = options.maxAttempts ?? 5;
  const backoff = options.backoffMs ?? defaultBackoff;
  const sleep = options.sleep ?? defaultSleep;
  let last: E | undefined;
  let attempt = 0;
  for (;;) {
    try {
      for await (const event of source.open(last)) {
        const position = positionOf(event);
        if (position < fromPosition) continue;
        if (last !== undefined && position <= positionOf(last)) continue;
        last = event;
        attempt = 0;
        yield event;
      }
      return;
    } catch (error) {
      if (!isDrop(error) || attempt >= maxAttempts) throw error;
      attempt += 1;
      options.onResubscribe?.(attempt, error);
      await sleep(backoff(attempt));
    }
  }
}
