import { z } from "zod";

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
  const parsed = pendingSignalsConfigSchema.safeParse(input);
  if (!parsed.success) {
    throw new RangeError(`pending signals config is invalid:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

export const DEFAULT_PENDING_SIGNALS_CONFIG: PendingSignalsConfig = parsePendingSignalsConfig();
