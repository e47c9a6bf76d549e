import { z } from "zod";
import { defineEvent } from "../events/registry.js";
import { STOPPING_STAGES } from "./stages.js";

const text = z.string().min(1);
const detail = z.record(z.string(), z.unknown());

/** A run-level abort before any signal: a corporate action, quotes that disagree (CRITICAL). */
export const RunAborted = defineEvent({
  type: "RunAborted",
  schema: z.object({
    runId: text,
    code: text,
    message: text,
    detail,
  }),
});

/** A strategy was asked to decide and answered with this many signals in this regime. */
export const StrategyDecided = defineEvent({
  type: "StrategyDecided",
  schema: z.object({
    strategy: text,
    regime: z.string(),
    signals: z.number().int().nonnegative(),
  }),
});

/** User strategy code threw or returned a malformed signal: a failed run for it, never a crash. */
export const StrategyFailed = defineEvent({
  type: "StrategyFailed",
  schema: z.object({
    strategy: text,
    kind: z.enum(["threw", "malformed_signal"]),
    message: text,
    detail,
  }),
});

/**
 * One signal entering the funnel (RAW). A target-weights signal is split into one funnel
 * signal per symbol, so each symbol ends at exactly one stage.
 */
export const SignalRaised = defineEvent({
  type: "SignalRaised",
  schema: z.object({
    signalId: text,
    strategy: text,
    symbol: text,
    /** What the strategy wants: a target weight of equity, an entry or an exit. */
    intent: z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("target_weight"), weight: z.number().min(0).max(1) }),
      z.object({ kind: z.literal("entry"), fraction: z.number().gt(0).max(1) }),
      z.object({ kind: z.literal("exit"), fraction: z.number().gt(0).max(1) }),
    ]),
    confidence: z.number().min(0).max(1),
    regime: z.string(),
  }),
});

/** A signal stopped at one stage with one reason; `pending` when it will be re-evaluated. */
export const SignalStopped = defineEvent({
  type: "SignalStopped",
  schema: z.object({
    signalId: text,
    strategy: text,
    symbol: text,
    stage: z.enum(STOPPING_STAGES),
    code: text,
    message: text,
    detail,
    pending: z.boolean(),
  }),
});

/** A signal that passed every stage and became an order intent. */
export const SignalExecuted = defineEvent({
  type: "SignalExecuted",
  schema: z.object({
    signalId: text,
    strategy: text,
    symbol: text,
    intentId: text,
    side: z.enum(["buy", "sell"]),
    quantity: z.number().int().positive(),
    expectedPrice: z.number().positive(),
  }),
});

export const PIPELINE_EVENTS = [
  RunAborted,
  StrategyDecided,
  StrategyFailed,
  SignalRaised,
  SignalStopped,
  SignalExecuted,
] as const;
