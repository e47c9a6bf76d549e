import fc from "fast-check";
import type { TradingCalendar } from "../../calendar/trading-calendar.js";
import type { PendingSignalCommand } from "./commands.js";

export interface PendingSignalArbitraryOptions {
  readonly calendar: TradingCalendar;
  /** The first session of generated commands (moved to the next session if it is not one). */
  readonly from: string;
  /** Signal ids to draw from: a small pool, so the same signal is deferred, re-evaluated, expired. */
  readonly signalIds?: readonly string[];
  readonly maxLength?: number;
}

const DEFAULT_IDS = ["sig-1", "sig-2", "sig-3", "sig-4", "sig-5"] as const;

/** A stop by the correlation or risk stage with one of the funnel's reason codes for it. */
const stop = fc.oneof(
  fc.constant({ stage: "CORRELATION" as const, reason: "high_correlation" }),
  fc.record({
    stage: fc.constant("RISK" as const),
    reason: fc.constantFrom(
      "portfolio_heat_exceeded",
      "insufficient_cash",
      "daily_loss_limit",
      "var_limit",
    ),
  }),
);

type Step =
  | {
      readonly kind: "defer";
      readonly signalId: string;
      readonly symbol: string;
      readonly stop: { stage: "CORRELATION" | "RISK"; reason: string };
    }
  | { readonly kind: "reevaluate"; readonly signalId: string; readonly executed: boolean }
  | { readonly kind: "expire" };

function stepArbitrary(signalIds: readonly string[]): fc.Arbitrary<Step> {
  const id = fc.constantFrom(...signalIds);
  return fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant("defer" as const),
        signalId: id,
        symbol: fc.constantFrom("SPY", "QQQ", "TLT", "GLD"),
        stop,
      }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant("reevaluate" as const),
        signalId: id,
        executed: fc.integer({ min: 0, max: 2 }).map((n) => n === 0),
      }),
    },
    { weight: 2, arbitrary: fc.constant({ kind: "expire" as const }) },
  );
}

function commandOf(step: Step, session: string): PendingSignalCommand {
  const at = `${session}T20:50:00Z`;
  switch (step.kind) {
    case "defer":
      return {
        type: "DeferSignal",
        at,
        session,
        signalId: step.signalId,
        strategy: "trend",
        symbol: step.symbol,
        stage: step.stop.stage,
        reason: step.stop.reason,
      };
    case "reevaluate":
      return {
        type: "ReevaluateSignal",
        at,
        session,
        signalId: step.signalId,
        outcome: step.executed
          ? { verdict: "executed" }
          : { verdict: "blocked", stage: "RISK", reason: "portfolio_heat_exceeded" },
      };
    case "expire":
      return { type: "ExpirePendingSignals", at, session };
  }
}

const sessionFrom = (calendar: TradingCalendar, date: string): string =>
  calendar.isSession(date) ? date : calendar.nextSession(date);

/**
 * Realistic sequences: sessions move forward (several commands per run, runs on consecutive or
 * nearby sessions); signals are deferred, re-evaluated (a third of the time executed) and expired.
 */
export function pendingSignalCommands(
  options: PendingSignalArbitraryOptions,
): fc.Arbitrary<PendingSignalCommand[]> {
  const { calendar } = options;
  const first = sessionFrom(calendar, options.from);
  const advance = fc.oneof(
    { weight: 3, arbitrary: fc.constant(0) },
    { weight: 4, arbitrary: fc.constant(1) },
    { weight: 1, arbitrary: fc.integer({ min: 2, max: 4 }) },
  );
  return fc
    .array(fc.tuple(advance, stepArbitrary(options.signalIds ?? DEFAULT_IDS)), {
      minLength: 1,
      maxLength: options.maxLength ?? 60,
    })
    .map((steps) => {
      let session = first;
      return steps.map(([days, step], index) => {
        if (index > 0 && days > 0) session = calendar.addSessions(session, days);
        return commandOf(step, session);
      });
    });
}

/**
 * Single commands on one of the first `sessions` sessions from `from`, in any order: for
 * `assertDeciderProperties`, which draws commands independently.
 */
export function pendingSignalCommand(
  options: PendingSignalArbitraryOptions & { readonly sessions?: number },
): fc.Arbitrary<PendingSignalCommand> {
  const { calendar } = options;
  const sessions = [sessionFrom(calendar, options.from)];
  while (sessions.length < (options.sessions ?? 10)) {
    sessions.push(calendar.nextSession(sessions[sessions.length - 1] as string));
  }
  return fc
    .tuple(fc.constantFrom(...sessions), stepArbitrary(options.signalIds ?? DEFAULT_IDS))
    .map(([session, step]) => commandOf(step, session));
}
