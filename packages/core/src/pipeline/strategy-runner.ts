import { z } from "zod";
import type { MarketSnapshot, PortfolioView, Signal, Strategy } from "../strategy/api.js";

const fraction = z.number().finite().min(0).max(1);
const common = {
  confidence: fraction,
  regime: z.string().optional(),
  rationale: z.record(z.string(), z.unknown()).optional(),
};
/** What a well-formed signal looks like; user code is checked against it before anything trusts it. */
export const signalSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("target_weights"),
    weights: z
      .record(z.string().min(1), fraction)
      .refine((weights) => Object.values(weights).reduce((a, b) => a + b, 0) <= 1 + 1e-9, {
        message: "weights must sum to at most 1 (the rest is cash)",
      }),
    ...common,
  }),
  z.object({
    kind: z.enum(["entry", "exit"]),
    symbol: z.string().min(1),
    fraction: fraction.refine((value) => value > 0, { message: "must be greater than 0" }),
    ...common,
  }),
]);

const decisionSchema = z.object({ regime: z.string(), signals: z.array(z.unknown()) });

const describeIssues = (error: z.ZodError): string[] =>
  error.issues.map((issue) => `${issue.path.join(".") || "(value)"}: ${issue.message}`);

export type StrategyOutcome =
  | { readonly ok: true; readonly signals: readonly Signal[]; readonly regime: string }
  | {
      readonly ok: false;
      readonly kind: "threw" | "malformed_signal";
      readonly message: string;
      readonly detail: Record<string, unknown>;
    };

/**
 * Calls user strategy code and never lets it crash the runner: a throw or a malformed signal
 * becomes a failure value naming the strategy (the pipeline records it as an event).
 */
export function runStrategy(
  strategy: Strategy,
  snapshot: MarketSnapshot,
  portfolio: PortfolioView,
): StrategyOutcome {
  let returned: unknown;
  try {
    returned = strategy.decide(snapshot, portfolio);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      kind: "threw",
      message: `strategy ${strategy.name} threw: ${message}`,
      detail: { error: error instanceof Error ? error.name : typeof error },
    };
  }
  const decision = decisionSchema.safeParse(returned);
  if (!decision.success) {
    return {
      ok: false,
      kind: "malformed_signal",
      message: `strategy ${strategy.name} must return { regime: string, signals: Signal[] }: ${describeIssues(decision.error).join("; ")}`,
      detail: { issues: describeIssues(decision.error) },
    };
  }
  const signals: Signal[] = [];
  for (const [index, candidate] of decision.data.signals.entries()) {
    const parsed = signalSchema.safeParse(candidate);
    if (!parsed.success) {
      const issues = parsed.error.issues.map(
        (issue) => `${issue.path.join(".") || "(signal)"}: ${issue.message}`,
      );
      return {
        ok: false,
        kind: "malformed_signal",
        message: `strategy ${strategy.name} returned a malformed signal #${index}: ${issues.join("; ")}`,
        detail: { index, issues },
      };
    }
    signals.push(parsed.data as Signal);
  }
  return { ok: true, signals, regime: decision.data.regime };
}
