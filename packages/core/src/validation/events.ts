import { z } from "zod";
import { defineEvent } from "../events/registry.js";
import { SignalRaised } from "../pipeline/events.js";

const text = z.string().min(1);
const price = z.number().positive().finite();
/** A drift or an average of drifts: a fraction, 0.002 is 0.2%. */
const drift = z.number().finite().nonnegative();

export const VALIDATION_STATUSES = ["GREEN", "YELLOW", "RED"] as const;
export type ValidationStatus = (typeof VALIDATION_STATUSES)[number];

/** What a strategy asked of one symbol: the intent of its SignalRaised. */
export const targetSchema = SignalRaised.schema.shape.intent;
export type Target = z.infer<typeof targetSchema>;

/** The logic of one decision: the run's abort, each strategy's regime and its targets. */
export const decisionSummarySchema = z.object({
  /** The RunAborted code when the run stopped before any strategy decided; null otherwise. */
  aborted: z.string().nullable(),
  /** Regime by strategy, for the strategies that decided (a failed strategy has none). */
  regimes: z.record(z.string(), z.string()),
  /** Target by strategy, then by symbol. */
  targets: z.record(z.string(), z.record(z.string(), targetSchema)),
});
export type DecisionSummary = z.infer<typeof decisionSummarySchema>;

/** One way the official-close decision differs from the recorded one, in words for people. */
export const decisionDifferenceSchema = z.object({
  kind: z.enum(["aborted", "regime", "target"]),
  strategy: z.string().nullable(),
  symbol: z.string().nullable(),
  /** The recorded side; null when it had nothing there. */
  recorded: z.string().nullable(),
  official: z.string().nullable(),
});
export type DecisionDifference = z.infer<typeof decisionDifferenceSchema>;

export const symbolDriftSchema = z.object({
  symbol: text,
  /** The price the decision used: the quote (3:55 protocol) or the window's last close. */
  decisionPrice: price,
  decisionPriceFrom: z.enum(["quote", "window_close"]),
  officialClose: price,
  /** |official close − decision price| / decision price. */
  drift,
});
export type SymbolDrift = z.infer<typeof symbolDriftSchema>;

/** The day's fills: how many, and their mean adverse slippage (negative: better than expected). */
export const daySlippageSchema = z.object({
  fills: z.number().int().nonnegative(),
  average: z.number().finite().nullable(),
});
export type DaySlippage = z.infer<typeof daySlippageSchema>;

export const rollingValidationSchema = z.object({
  /** Sessions covered: the last validated ones, up to the configured count (20). */
  sessions: z.number().int().positive(),
  logicMatches: z.number().int().nonnegative(),
  /** Percentage of sessions whose logic matched, 0–100 (the plan's "≥ 95%"). */
  logicMatchPct: z.number().min(0).max(100),
  /** Mean over the sessions of each session's mean drift. */
  averageDrift: drift,
  /** The largest single drift over the sessions (the plan's "max < 0.88%"). */
  maxDrift: drift,
  /** Mean adverse slippage over every fill of the sessions; null without fills. */
  averageSlippage: z.number().finite().nullable(),
  fills: z.number().int().nonnegative(),
});
export type RollingValidation = z.infer<typeof rollingValidationSchema>;

/**
 * The post-market validation of one decision run (SPEC §13), appended to the day's stream:
 * the day re-decided on the official close, compared with what was decided on the quote.
 */
export const ValidationReported = defineEvent({
  type: "ValidationReported",
  schema: z.object({
    date: z.iso.date(),
    /** The decision run validated. */
    runId: text,
    status: z.enum(VALIDATION_STATUSES),
    /** Why this status, in one line. */
    reason: text,
    logicMatch: z.boolean(),
    differences: z.array(decisionDifferenceSchema),
    prices: z.array(symbolDriftSchema),
    averageDrift: drift,
    maxDrift: drift,
    regimes: z.object({
      recorded: decisionSummarySchema.shape.regimes,
      official: decisionSummarySchema.shape.regimes,
    }),
    targets: z.object({
      recorded: decisionSummarySchema.shape.targets,
      official: decisionSummarySchema.shape.targets,
    }),
    aborted: z.object({ recorded: z.string().nullable(), official: z.string().nullable() }),
    slippage: daySlippageSchema,
    rolling: rollingValidationSchema,
    thresholds: z.object({ greenBelow: drift, yellowUpTo: drift }),
  }),
});
export type ValidationReport = z.infer<typeof ValidationReported.schema>;

export const VALIDATION_EVENTS = [ValidationReported] as const;
