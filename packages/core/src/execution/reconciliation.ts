import { z } from "zod";
import { parseConfig } from "../config/parse-config.js";
import { formatPercent } from "../format.js";
import { assertCents, type Cents, formatCents } from "../money.js";
import { denoise, requireWholeShares } from "../risk/input-rules.js";

/**
 * Reconciliation before every run that may trade (SPEC §10; seeds: safety implementation §8,
 * plan's state drift and account mismatch). How the numbers fit together, as read here:
 * - Positions (share quantities) and cash are the hard gate: each must be within `tolerance`
 *   (1%) of the projection, and a position on one side only fails. Anything beyond 1%, so also
 *   1–2%, is FAIL: "within 1%" is the safety seed's gate and it is never loosened.
 * - Equity is compared separately with graded severity, because it also moves with the price
 *   marks each side uses: ≤ 2% ok; > 2% WARNING (the plan's "state drift 2–5%"; 5–10% stays a
 *   warning, the plan names no other consequence below 10%); > 10% FAIL CRITICAL (the plan's
 *   "account equity differs > 10%").
 * FAIL → the caller blocks trading, trips the kill switch and raises a CRITICAL alert.
 */
export const reconciliationConfigSchema = z
  .object({
    /** Largest relative difference of a position's quantity or of cash. */
    tolerance: z.number().min(0).lt(1).default(0.01),
    /** Equity drift above this is a WARNING. */
    equityWarnAbove: z.number().min(0).default(0.02),
    /** Equity mismatch above this FAILs (CRITICAL). */
    equityFailAbove: z.number().min(0).default(0.1),
  })
  .superRefine((config, context) => {
    if (config.equityWarnAbove > config.equityFailAbove) {
      context.addIssue({
        code: "custom",
        path: ["equityWarnAbove"],
        message: `equityWarnAbove (${config.equityWarnAbove}) must not exceed equityFailAbove (${config.equityFailAbove})`,
      });
    }
  });

export type ReconciliationConfig = z.output<typeof reconciliationConfigSchema>;
export type ReconciliationConfigInput = z.input<typeof reconciliationConfigSchema>;

/** Parses a (partial) config, filling defaults; throws a RangeError naming each bad field and rule. */
export function parseReconciliationConfig(
  input: ReconciliationConfigInput = {},
): ReconciliationConfig {
  return parseConfig("reconciliation", reconciliationConfigSchema, input);
}

export const DEFAULT_RECONCILIATION_CONFIG: ReconciliationConfig = parseReconciliationConfig();

/** One side of the comparison: the projection from events, or the broker's snapshot. */
export interface AccountPositions {
  readonly cashCents: Cents;
  readonly equityCents: Cents;
  /** Whole shares per symbol; a zero is the same as absent. */
  readonly positions: Readonly<Record<string, number>>;
}

export type ReconciliationLineVerdict = "ok" | "mismatch" | "missing" | "unexpected" | "drift";

export interface ReconciliationLine {
  readonly item: "position" | "cash" | "equity";
  /** The symbol of a position line; null for cash and equity. */
  readonly symbol: string | null;
  /** Shares for a position, cents for cash and equity. */
  readonly expected: number;
  readonly actual: number;
  /** |actual − expected| / |expected|; null when nothing was expected (an unexpected position). */
  readonly diff: number | null;
  readonly verdict: ReconciliationLineVerdict;
}

export type ReconciliationCode =
  | "position_mismatch"
  | "missing_position"
  | "unexpected_position"
  | "cash_mismatch"
  | "equity_mismatch"
  | "equity_drift";

export interface ReconciliationIssue {
  readonly code: ReconciliationCode;
  readonly message: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

export type ReconciliationStatus = "PASS" | "WARN" | "FAIL";
export type ReconciliationSeverity = "INFO" | "WARNING" | "CRITICAL";

export interface ReconciliationReport {
  readonly status: ReconciliationStatus;
  readonly severity: ReconciliationSeverity;
  /** Positions (by symbol), then cash, then equity. */
  readonly lines: readonly ReconciliationLine[];
  /** Every failure and warning, in line order. */
  readonly issues: readonly ReconciliationIssue[];
  readonly message: string;
}

const relativeDiff = (expected: number, actual: number): number | null =>
  expected === 0
    ? actual === 0
      ? 0
      : null
    : denoise(Math.abs(actual - expected) / Math.abs(expected));

function checkSide(side: AccountPositions, name: string): void {
  assertCents(side.cashCents, `${name}.cashCents`);
  assertCents(side.equityCents, `${name}.equityCents`);
  for (const [symbol, quantity] of Object.entries(side.positions)) {
    requireWholeShares(quantity, `${name}.positions.${symbol}`);
  }
}

/** Compares the broker's account with the projection; pure, so the same inputs give the same report. */
export function reconcile(
  projected: AccountPositions,
  broker: AccountPositions,
  config: ReconciliationConfig = DEFAULT_RECONCILIATION_CONFIG,
): ReconciliationReport {
  checkSide(projected, "projected");
  checkSide(broker, "broker");
  const lines: ReconciliationLine[] = [];
  const issues: ReconciliationIssue[] = [];
  const tolerance = formatPercent(config.tolerance);
  const symbols = [
    ...new Set([...Object.keys(projected.positions), ...Object.keys(broker.positions)]),
  ].sort();
  for (const symbol of symbols) {
    const expected = projected.positions[symbol] ?? 0;
    const actual = broker.positions[symbol] ?? 0;
    if (expected === 0 && actual === 0) continue;
    const diff = relativeDiff(expected, actual);
    const detail = { symbol, expected, actual, diff };
    let verdict: ReconciliationLineVerdict = "ok";
    if (expected === 0) {
      verdict = "unexpected";
      issues.push({
        code: "unexpected_position",
        message: `${symbol}: broker holds ${actual} shares the projection does not know`,
        detail,
      });
    } else if (actual === 0) {
      verdict = "missing";
      issues.push({
        code: "missing_position",
        message: `${symbol}: projection holds ${expected} shares, broker holds none`,
        detail,
      });
    } else if (diff === null || diff > config.tolerance) {
      verdict = "mismatch";
      issues.push({
        code: "position_mismatch",
        message: `${symbol}: broker holds ${actual} shares, projection ${expected} (${formatPercent(diff ?? 1)} > tolerance ${tolerance})`,
        detail: { ...detail, tolerance: config.tolerance },
      });
    }
    lines.push({ item: "position", symbol, expected, actual, diff, verdict });
  }

  const cashDiff = relativeDiff(projected.cashCents, broker.cashCents);
  const cashOk = cashDiff !== null && cashDiff <= config.tolerance;
  lines.push({
    item: "cash",
    symbol: null,
    expected: projected.cashCents,
    actual: broker.cashCents,
    diff: cashDiff,
    verdict: cashOk ? "ok" : "mismatch",
  });
  if (!cashOk) {
    issues.push({
      code: "cash_mismatch",
      message: `cash: broker ${formatCents(broker.cashCents)}, projection ${formatCents(projected.cashCents)}${cashDiff === null ? "" : ` (${formatPercent(cashDiff)} > tolerance ${tolerance})`}`,
      detail: {
        expectedCents: projected.cashCents,
        actualCents: broker.cashCents,
        diff: cashDiff,
        tolerance: config.tolerance,
      },
    });
  }

  const equityDiff = relativeDiff(projected.equityCents, broker.equityCents);
  const equityVerdict: ReconciliationLineVerdict =
    equityDiff === null || equityDiff > config.equityFailAbove
      ? "mismatch"
      : equityDiff > config.equityWarnAbove
        ? "drift"
        : "ok";
  lines.push({
    item: "equity",
    symbol: null,
    expected: projected.equityCents,
    actual: broker.equityCents,
    diff: equityDiff,
    verdict: equityVerdict,
  });
  if (equityVerdict !== "ok") {
    const mismatch = equityVerdict === "mismatch";
    const limit = mismatch ? config.equityFailAbove : config.equityWarnAbove;
    issues.push({
      code: mismatch ? "equity_mismatch" : "equity_drift",
      message: `equity: broker ${formatCents(broker.equityCents)}, projection ${formatCents(projected.equityCents)}${equityDiff === null ? "" : ` (${formatPercent(equityDiff)} > ${formatPercent(limit)})`}`,
      detail: {
        expectedCents: projected.equityCents,
        actualCents: broker.equityCents,
        diff: equityDiff,
        limit,
      },
    });
  }

  const failed = issues.some((issue) => issue.code !== "equity_drift");
  const status: ReconciliationStatus = failed ? "FAIL" : issues.length > 0 ? "WARN" : "PASS";
  const severity: ReconciliationSeverity =
    status === "FAIL" ? "CRITICAL" : status === "WARN" ? "WARNING" : "INFO";
  const message =
    status === "PASS"
      ? `reconciliation passed: ${lines.length - 2} positions, cash and equity within tolerance`
      : `reconciliation ${status}: ${issues.map((issue) => issue.message).join("; ")}`;
  return { status, severity, lines, issues, message };
}
