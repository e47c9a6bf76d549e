import { z } from "zod";
import { parseConfig } from "../../config/parse-config.js";

export const pendingSignalsConfigSchema = z.object({
  /** Trading sessions after the one it was stopped on during which a signal is re-evaluated. */
  decayDays: z.number().int().min(1).default(3),
});

export type PendingSignalsConfig = z.output<typeof pendingSignalsConfigSchema>;
export type PendingSignalsConfigInput = z.input<typeof pendingSignalsConfigSchema>;

/** Parses a (partial) config, filling defaults; throws a RangeError naming each bad field and rule. */
export function parsePendingSignalsConfig(
  input: PendingSignalsConfigInput = {},
): PendingSignalsConfig {
  return parseConfig("pending signals", pendingSignalsConfigSchema, input);
}

export const DEFAULT_PENDING_SIGNALS_CONFIG: PendingSignalsConfig = parsePendingSignalsConfig();
