import fc from "fast-check";
import type { TradingCalendar } from "../../calendar/trading-calendar.js";
import type { Cents } from "../../money.js";
import { parseIsoInstant, toIsoUtc } from "../../ports/clock.js";
import type { GovernorCommand, HealthInputs } from "./commands.js";
import { type GovernorConfigInput, parseGovernorConfig } from "./config.js";
import { HEALTH_CHECKS, type HealthCheckName } from "./status.js";

const SYMBOLS = ["SPY", "QQQ", "TLT", "GLD", "IWM"] as const;
const HOUR_MS = 3_600_000;

export interface GovernorArbitraryOptions {
  readonly calendar: TradingCalendar;
  /** The first session of generated commands (moved to the next session if it is not one). */
  readonly from: string;
  /** Equity moves and health-check windows follow this config (defaults otherwise). */
  readonly config?: GovernorConfigInput;
  /** Equity at the first observation, integer cents ($1,000.00 by default). */
  readonly startEquity?: Cents;
  readonly maxLength?: number;
}

/** The decision time used for a session in generated commands (15:50 New York in winter). */
export function decisionTimeOf(session: string): string {
  return `${session}T20:50:00Z`;
}

/** Health inputs that pass exactly the checks marked true, judged at `at` under `config`. */
export function healthInputsFor(
  at: string,
  passing: Readonly<Record<HealthCheckName, boolean>>,
  config?: GovernorConfigInput,
): HealthInputs {
  const { marketDataMaxAgeHours, duplicateIntentWindowHours } = parseGovernorConfig(config);
  const hoursBefore = (hours: number) => toIsoUtc(parseIsoInstant(at) - hours * HOUR_MS);
  return {
    lastReconciliation: passing.reconciliation_passed ? "PASS" : "FAIL",
    marketDataUpdatedAt: hoursBefore(passing.market_data_fresh ? 1 : marketDataMaxAgeHours + 8),
    lastDuplicateIntentAt: passing.no_recent_duplicate_intents
      ? null
      : hoursBefore(duplicateIntentWindowHours / 2),
    enabledStrategies: passing.strategy_enabled ? 2 : 0,
  };
}

/** Which health checks pass: each passes with probability 4 in 5, so most check runs pass. */
export const healthVerdicts: fc.Arbitrary<Record<HealthCheckName, boolean>> = fc.record(
  Object.fromEntries(
    HEALTH_CHECKS.map((name) => [name, fc.integer({ min: 0, max: 4 }).map((n) => n !== 0)]),
  ) as Record<HealthCheckName, fc.Arbitrary<boolean>>,
);

export const positionsArbitrary = fc.uniqueArray(
  fc.record({
    symbol: fc.constantFrom(...SYMBOLS),
    quantity: fc.integer({ min: -20, max: 100 }),
  }),
  { selector: (position) => position.symbol, maxLength: SYMBOLS.length },
);

/** One step of a generated sequence: how many sessions pass, then what happens. */
type Step =
  | {
      readonly advance: number;
      readonly kind: "observe";
      readonly moveBasisPoints: number;
      readonly positions: { symbol: string; quantity: number }[];
    }
  | {
      readonly advance: number;
      readonly kind: "health";
      readonly verdicts: Record<HealthCheckName, boolean>;
    }
  | {
      readonly advance: number;
      readonly kind: "force_resume" | "reset";
      readonly attributed: boolean;
    };

const advance = fc.oneof(
  { weight: 3, arbitrary: fc.constant(0) },
  { weight: 6, arbitrary: fc.constant(1) },
  { weight: 2, arbitrary: fc.integer({ min: 2, max: 6 }) },
);

/** Daily equity moves in basis points: mostly ordinary days, sometimes a crash past the halt line. */
export function equityMoves(haltDrawdown = 0.08): fc.Arbitrary<number> {
  const haltBasisPoints = Math.round(haltDrawdown * 10_000);
  return fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: -250, max: 300 }) },
    {
      weight: 1,
      arbitrary: fc.integer({
        min: -Math.round(haltBasisPoints * 1.5),
        max: -Math.round(haltBasisPoints / 2),
      }),
    },
  );
}

function stepArbitrary(haltDrawdown: number): fc.Arbitrary<Step> {
  return fc.oneof(
    {
      weight: 12,
      arbitrary: fc.record({
        advance,
        kind: fc.constant("observe" as const),
        moveBasisPoints: equityMoves(haltDrawdown),
        positions: positionsArbitrary,
      }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        advance,
        kind: fc.constant("health" as const),
        verdicts: healthVerdicts,
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        advance,
        kind: fc.constantFrom("force_resume" as const, "reset" as const),
        attributed: fc.boolean(),
      }),
    },
  );
}

/** The command a step stands for on `session`; an observation reports `equity`. */
function commandOf(
  step: Step,
  session: string,
  equity: Cents,
  config: GovernorConfigInput | undefined,
): GovernorCommand {
  const at = decisionTimeOf(session);
  switch (step.kind) {
    case "observe":
      return { type: "ObserveEquity", at, session, equity, positions: step.positions };
    case "health":
      return {
        type: "RunHealthChecks",
        at,
        session,
        health: healthInputsFor(at, step.verdicts, config),
      };
    case "force_resume":
    case "reset":
      return {
        type: step.kind === "reset" ? "ResetGovernor" : "ForceResume",
        at,
        session,
        operator: step.attributed ? "alice" : "",
        reason: step.attributed ? "reviewed the drawdown" : " ",
      };
  }
}

const moved = (equity: Cents, basisPoints: number): Cents =>
  Math.max(0, Math.round((equity * (10_000 + basisPoints)) / 10_000));

/** The first session on or after `date`. */
const sessionFrom = (calendar: TradingCalendar, date: string): string =>
  calendar.isSession(date) ? date : calendar.nextSession(date);

/**
 * Realistic governor command sequences: sessions move forward through the calendar, equity is a
 * random walk from `startEquity` with drops deep enough to halt and panic, health checks mostly
 * pass, and the occasional operator override (sometimes without a name, to be refused).
 */
export function governorCommands(
  options: GovernorArbitraryOptions,
): fc.Arbitrary<GovernorCommand[]> {
  const { calendar, config } = options;
  const { haltDrawdown } = parseGovernorConfig(config);
  const first = sessionFrom(calendar, options.from);
  return fc
    .array(stepArbitrary(haltDrawdown), { minLength: 1, maxLength: options.maxLength ?? 60 })
    .map((steps) => {
      let session = first;
      let equity = options.startEquity ?? 100_000;
      const commands: GovernorCommand[] = [];
      for (const [index, step] of steps.entries()) {
        if (index > 0 && step.advance > 0) session = calendar.addSessions(session, step.advance);
        if (step.kind === "observe") equity = moved(equity, step.moveBasisPoints);
        commands.push(commandOf(step, session, equity, config));
      }
      return commands;
    });
}

/**
 * Single governor commands on one of the first `sessions` sessions from `from`, in any order:
 * for `assertDeciderProperties`, which draws commands independently (out-of-order ones are refused).
 */
export function governorCommand(
  options: GovernorArbitraryOptions & { readonly sessions?: number },
): fc.Arbitrary<GovernorCommand> {
  const { calendar, config } = options;
  const sessions = [sessionFrom(calendar, options.from)];
  while (sessions.length < (options.sessions ?? 30)) {
    sessions.push(calendar.nextSession(sessions[sessions.length - 1] as string));
  }
  const start = options.startEquity ?? 100_000;
  return fc
    .record({
      session: fc.constantFrom(...sessions),
      step: stepArbitrary(parseGovernorConfig(config).haltDrawdown),
    })
    .map(({ session, step }) =>
      commandOf(
        step,
        session,
        step.kind === "observe" ? moved(start, step.moveBasisPoints) : start,
        config,
      ),
    );
}
