import { z } from "zod";
import { parseRunId } from "../run-id.js";
import { modeSchema } from "./envelope.js";
import { defineEvent, upcaster } from "./registry.js";

const tradingDateSchema = z.iso.date();

/**
 * A cycle run began. Version 1 carried only the run id and mode; version 2 adds the account,
 * trading date and slot, which version-1 events still hold inside their deterministic run id.
 */
export const RunStarted = defineEvent({
  type: "RunStarted",
  version: 2,
  schema: z.object({
    runId: z.string().min(1),
    mode: modeSchema,
    account: z.string().min(1),
    tradingDate: tradingDateSchema,
    slot: z.string().min(1),
  }),
  upcasters: {
    1: upcaster(z.object({ runId: z.string().min(1), mode: modeSchema }), (v1) => {
      const { account, tradingDate, slot } = parseRunId(v1.runId);
      return { runId: v1.runId, mode: v1.mode, account, tradingDate, slot };
    }),
  },
});

export const RUN_OUTCOMES = [
  "traded",
  "no_trade",
  "market_closed",
  "preflight_failed",
  "failed",
] as const;

/** A cycle run ended, with what came of it. */
export const RunCompleted = defineEvent({
  type: "RunCompleted",
  schema: z.object({
    runId: z.string().min(1),
    outcome: z.enum(RUN_OUTCOMES),
    ordersSubmitted: z.number().int().nonnegative(),
  }),
});

export const RUN_EVENTS = [RunStarted, RunCompleted] as const;
