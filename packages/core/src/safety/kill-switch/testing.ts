import fc from "fast-check";
import { parseIsoInstant, toIsoUtc } from "../../ports/clock.js";
import { KILL_LEVELS } from "./config.js";
import type { KillSwitchCommand } from "./decider.js";
import { KILL_CAUSES, type KillScope, MANUAL_KILL_SOURCES } from "./events.js";

/** Strategy names the arbitraries draw from: few, so kills on the same strategy collide. */
export const KILL_SWITCH_TEST_STRATEGIES = ["alpha", "beta"] as const;

type WithoutAt<C> = C extends unknown ? Omit<C, "at"> : never;
export type KillSwitchCommandBody = WithoutAt<KillSwitchCommand>;

const scope: fc.Arbitrary<KillScope> = fc.oneof(
  { weight: 2, arbitrary: fc.constant<KillScope>({ kind: "global" }) },
  fc
    .constantFrom(...KILL_SWITCH_TEST_STRATEGIES)
    .map((strategy): KillScope => ({ kind: "strategy", strategy })),
);
/** Mostly a name; now and then blank, which the switch must refuse. */
const who = fc.oneof({ weight: 9, arbitrary: fc.constantFrom("ana", "bo") }, fc.constant(" "));
const why = fc.oneof(
  { weight: 9, arbitrary: fc.constantFrom("investigating", "fixed") },
  fc.constant(""),
);
const intentId = fc.integer({ min: 1, max: 40 }).map((n) => `intent-${n}`);

/** One kill-switch command without its time: manual kills and resets, and the automatic triggers' inputs. */
export function killSwitchCommandBody(): fc.Arbitrary<KillSwitchCommandBody> {
  return fc.oneof(
    fc.record({
      type: fc.constant("ActivateKill" as const),
      scope,
      level: fc.constantFrom(...KILL_LEVELS),
      source: fc.constantFrom(...MANUAL_KILL_SOURCES),
      operator: who,
      reason: why,
    }),
    fc.record(
      {
        type: fc.constant("ResetKill" as const),
        scope,
        cause: fc.constantFrom(...KILL_CAUSES),
        source: fc.constantFrom(...MANUAL_KILL_SOURCES),
        operator: who,
        reason: why,
      },
      { requiredKeys: ["type", "scope", "operator", "reason"] },
    ),
    fc.record({
      type: fc.constant("RecordReconciliation" as const),
      passed: fc.boolean(),
      summary: fc.constantFrom("TQQQ: broker 12, books 10", ""),
    }),
    fc.record({
      type: fc.constant("RecordDuplicateIntent" as const),
      intentId,
      strategy: fc.constantFrom(...KILL_SWITCH_TEST_STRATEGIES),
    }),
    {
      weight: 4,
      arbitrary: fc.record({
        type: fc.constant("RecordOrderOutcome" as const),
        intentId,
        // Slightly more accepted than rejected, so the rejection rate hovers around its limit.
        outcome: fc.oneof(
          { weight: 3, arbitrary: fc.constant("accepted" as const) },
          { weight: 2, arbitrary: fc.constant("rejected" as const) },
        ),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        type: fc.constant("RecordRunOutcome" as const),
        runId: fc.integer({ min: 1, max: 30 }).map((n) => `paper:acct:2026-01-${n}:close`),
        outcome: fc.constantFrom("succeeded" as const, "failed" as const),
      }),
    },
  );
}

const START_MS = parseIsoInstant("2026-01-05T20:50:00Z");

/** One kill-switch command at some time in a two-day span (for `assertDeciderProperties`). */
export function killSwitchCommand(): fc.Arbitrary<KillSwitchCommand> {
  return fc
    .tuple(killSwitchCommandBody(), fc.integer({ min: 0, max: 2 * 86_400 }))
    .map(
      ([body, seconds]) =>
        ({ ...body, at: toIsoUtc(START_MS + seconds * 1000) }) as KillSwitchCommand,
    );
}

/** A realistic sequence of kill-switch commands with non-decreasing times. */
export function killSwitchCommands(
  options: { maxLength?: number } = {},
): fc.Arbitrary<KillSwitchCommand[]> {
  return fc
    .array(fc.tuple(killSwitchCommandBody(), fc.integer({ min: 0, max: 3_600 })), {
      maxLength: options.maxLength ?? 60,
    })
    .map((steps) => {
      let ms = START_MS;
      return steps.map(([body, seconds]) => {
        ms += seconds * 1000;
        return { ...body, at: toIsoUtc(ms) } as KillSwitchCommand;
      });
    });
}
