import { MarketDataError, RETRYABLE_MARKET_DATA_ERRORS } from "./port.js";

export type Sleep = (milliseconds: number) => Promise<void>;

export const realSleep: Sleep = (milliseconds) =>
  new Promise((resolve) => setTimeout(resolve, milliseconds));

export interface RetryPolicy {
  /** Attempts after the first; 0 never retries. */
  readonly retries: number;
  /** The first wait; each later wait doubles, up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly sleep: Sleep;
  /** Told before each wait, e.g. to log "rate limited, retrying in 2000 ms". */
  readonly onRetry?: (error: MarketDataError, attempt: number, delayMs: number) => void;
}

/**
 * Runs `call` until it succeeds, fails with a kind that is not worth retrying, or has been
 * retried `retries` times; then throws the last MarketDataError with the attempts in its detail.
 * Waits grow exponentially; a server's own hint (`detail.retryAfterMs`, from Retry-After or the
 * rate-limit reset) is honoured when longer, but never beyond `maxDelayMs`.
 */
export async function withRetry<T>(policy: RetryPolicy, call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof MarketDataError)) throw error;
      const retryable = RETRYABLE_MARKET_DATA_ERRORS.has(error.kind);
      if (!retryable || attempt >= policy.retries) {
        if (!retryable) throw error;
        throw new MarketDataError(
          error.kind,
          `${error.message} (gave up after ${attempt + 1} attempts)`,
          { ...error.detail, attempts: attempt + 1 },
        );
      }
      const hint = error.detail.retryAfterMs;
      const backoff = policy.baseDelayMs * 2 ** attempt;
      const delayMs = Math.min(
        policy.maxDelayMs,
        Math.max(backoff, typeof hint === "number" && Number.isFinite(hint) ? hint : 0),
      );
      policy.onRetry?.(error, attempt + 1, delayMs);
      await policy.sleep(delayMs);
    }
  }
}
