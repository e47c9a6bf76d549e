import { z } from "zod";
import { parseConfig } from "../config/parse-config.js";
import { formatPercent } from "../format.js";
import { type Quote, quoteSchema } from "./bars.js";
import type { RunCheck } from "./run-abort.js";

export const crossSourceConfigSchema = z.object({
  /** Largest allowed |a − b| / a between two sources' last prices (SPEC §8: 1%); above it the run aborts. */
  maxDiffPct: z.number().gt(0).lt(1).default(0.01),
});
export type CrossSourceConfig = z.output<typeof crossSourceConfigSchema>;
export type CrossSourceConfigInput = z.input<typeof crossSourceConfigSchema>;

export function parseCrossSourceConfig(input: CrossSourceConfigInput = {}): CrossSourceConfig {
  return parseConfig("cross-source quote", crossSourceConfigSchema, input);
}

export const DEFAULT_CROSS_SOURCE_CONFIG: CrossSourceConfig = parseCrossSourceConfig();

export interface QuoteMismatchDetail {
  readonly symbol: string;
  readonly a: { readonly source: string; readonly last: number; readonly at: string };
  readonly b: { readonly source: string; readonly last: number; readonly at: string };
  /** |a − b| / a, as a fraction. */
  readonly diffPct: number;
  readonly maxDiffPct: number;
}

export type CrossSourceCheck = RunCheck<"quote_mismatch", QuoteMismatchDetail>;

// Floating-point slack so that "exactly at the limit" passes however the prices were written.
const LIMIT_SLACK = 1e-12;

function validQuote(quote: Quote, name: string): Quote {
  const parsed = quoteSchema.safeParse(quote);
  if (!parsed.success) {
    throw new RangeError(
      `crossCheckQuotes: quote ${name} is invalid:\n${z.prettifyError(parsed.error)}`,
    );
  }
  return parsed.data;
}

/**
 * The cross-source quote check (SPEC §8; plan: `abs(q1 − q2) / q1 > 0.01` raises): two
 * providers' last prices for one symbol more than `maxDiffPct` apart (relative to `a`, the
 * primary) abort the run with both prices. Two quotes for different symbols, or from the same
 * source, are a caller error and throw.
 */
export function crossCheckQuotes(
  a: Quote,
  b: Quote,
  config: CrossSourceConfigInput = DEFAULT_CROSS_SOURCE_CONFIG,
): CrossSourceCheck {
  const { maxDiffPct } = parseCrossSourceConfig(config);
  const first = validQuote(a, "a");
  const second = validQuote(b, "b");
  if (first.symbol !== second.symbol) {
    throw new RangeError(
      `crossCheckQuotes: both quotes must be for one symbol, got ${first.symbol} and ${second.symbol}`,
    );
  }
  if (first.source === second.source) {
    throw new RangeError(
      `crossCheckQuotes: the quotes must come from two sources, both are from "${first.source}"`,
    );
  }
  const diffPct = Math.abs(first.last - second.last) / first.last;
  if (diffPct <= maxDiffPct + LIMIT_SLACK) return { pass: true };
  return {
    pass: false,
    severity: "CRITICAL",
    code: "quote_mismatch",
    message: `${first.symbol} quotes ${formatPercent(diffPct)} apart: ${first.source} ${first.last} vs ${second.source} ${second.last} (limit ${formatPercent(maxDiffPct)})`,
    detail: {
      symbol: first.symbol,
      a: { source: first.source, last: first.last, at: first.at },
      b: { source: second.source, last: second.last, at: second.at },
      diffPct,
      maxDiffPct,
    },
  };
}
