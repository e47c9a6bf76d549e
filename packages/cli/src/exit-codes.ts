/** The `trader` command's exit codes (documented in docs/cli.md). */
export const EXIT_CODES = {
  /** Done; for `run`, the cycle completed (traded, no trade, or market closed). */
  ok: 0,
  /** An unexpected failure: a bug or broken infrastructure (the message says which). */
  failure: 1,
  /** Invalid configuration, arguments or market data (a bad CSV file): nothing was done. */
  usage: 2,
  /** The run could not trade safely (pre-flight failed: a damaged store, unresolved orders): nothing was sent. */
  preflightFailed: 3,
  /** An operator action was refused by the safety machines (e.g. reset with nothing to reset). */
  refused: 4,
  /** `store verify` found a torn or corrupt file; `redecide` found a divergence. */
  problemFound: 5,
} as const;

/** An error the CLI reports with its own exit code and message (no stack trace). */
export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
