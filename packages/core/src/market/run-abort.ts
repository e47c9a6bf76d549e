/**
 * A run-level abort: market data so wrong that no symbol can be trusted (a split in unadjusted
 * history, two quote sources disagreeing). Unlike a per-symbol data-quality block, it stops
 * the whole run and raises a CRITICAL alert.
 */
export const RUN_ABORT_CODES = ["corporate_action", "quote_mismatch"] as const;
export type RunAbortCode = (typeof RUN_ABORT_CODES)[number];

export interface RunAbort<Code extends RunAbortCode = RunAbortCode, Detail = unknown> {
  readonly pass: false;
  readonly severity: "CRITICAL";
  readonly code: Code;
  /** Plain words with the numbers, e.g. "QQQ quotes 1.2% apart: alpaca 450.00 vs iex 455.40 (limit 1%)". */
  readonly message: string;
  readonly detail: Detail;
}

/** What a run-level check returns: pass, or the abort with its evidence. */
export type RunCheck<Code extends RunAbortCode, Detail> =
  | { readonly pass: true }
  | RunAbort<Code, Detail>;
