import fc from "fast-check";
import { parseIsoInstant, toIsoUtc } from "../../ports/clock.js";
import type { IntentCommand } from "./commands.js";
import { type IntentIdParts, intentId, intentTimeBucket } from "./intent-id.js";

export interface IntentArbitraryOptions {
  /** The earliest generated instant. */
  readonly start?: string;
  /** How many distinct intents single commands are about (few, so commands meet their intent). */
  readonly intents?: number;
  /** How many distinct execution ids fills draw from (few, so repeated fills happen). */
  readonly executionIds?: number;
}

const DEFAULT_START = "2026-03-02T20:50:00.000Z";
const SYMBOLS = ["SPY", "QQQ", "TLT", "GLD"] as const;

/** The parts of the n-th intent of the small pool the arbitraries draw from. */
export function sampleIntentParts(n: number, start = DEFAULT_START): IntentIdParts {
  return {
    runId: "paper:acct-1:2026-03-02:close",
    strategy: "hierarchical-adaptive",
    symbol: SYMBOLS[n % SYMBOLS.length] as string,
    side: n % 2 === 0 ? "buy" : "sell",
    targetQuantity: 10 + n,
    timeBucket: intentTimeBucket(start),
  };
}

/**
 * One intent command at a time, for `assertDeciderProperties`: about a small pool of intents,
 * any command in any order, fills from a small pool of execution ids (so some repeat, some
 * overfill), times anywhere in the hour.
 */
export function intentCommand(options: IntentArbitraryOptions = {}): fc.Arbitrary<IntentCommand> {
  const start = options.start ?? DEFAULT_START;
  const pool = Array.from({ length: options.intents ?? 2 }, (_, n) => sampleIntentParts(n, start));
  const part = fc.constantFrom(...pool);
  const id = part.map((parts) => intentId(parts));
  const at = fc
    .integer({ min: 0, max: 3_599_999 })
    .map((offset) => toIsoUtc(parseIsoInstant(start) + offset));
  const reason = fc.constantFrom("insufficient buying power", "operator", "day order ended");
  const t = <T extends IntentCommand["type"]>(type: T) => fc.constant(type);
  // Weighted towards the commands that move an order forward, so random walks get far.
  return fc.oneof(
    {
      weight: 3,
      arbitrary: part.chain((parts) =>
        fc.record({ type: t("CreateIntent"), at }).map((c) => ({ ...c, ...parts })),
      ),
    },
    { weight: 3, arbitrary: fc.record({ type: t("SubmitIntent"), at, intentId: id }) },
    {
      weight: 2,
      arbitrary: fc.record({
        type: t("MarkOutcomeUnknown"),
        at,
        intentId: id,
        cause: fc.constant("timeout"),
      }),
    },
    { weight: 2, arbitrary: fc.record({ type: t("RecordNotFound"), at, intentId: id }) },
    {
      weight: 2,
      arbitrary: fc.record({
        type: t("RecordAck"),
        at,
        intentId: id,
        brokerOrderId: fc.constant("b-1"),
      }),
    },
    {
      weight: 5,
      arbitrary: fc.record({
        type: t("RecordFill"),
        at,
        intentId: id,
        executionId: fc.nat({ max: (options.executionIds ?? 4) - 1 }).map((n) => `x-${n}`),
        quantity: fc.integer({ min: 1, max: 8 }),
        priceCents: fc.integer({ min: 10_000, max: 60_000 }),
      }),
    },
    { weight: 1, arbitrary: fc.record({ type: t("RecordRejection"), at, intentId: id, reason }) },
    { weight: 1, arbitrary: fc.record({ type: t("CancelIntent"), at, intentId: id, reason }) },
    { weight: 1, arbitrary: fc.record({ type: t("ExpireIntent"), at, intentId: id, reason }) },
  );
}

/** The pieces of one order's life that `intentLifecycleSequences` generates. */
export interface IntentLifecycle {
  readonly parts: IntentIdParts;
  /** Create, submit, maybe a timeout, then the broker's reports as they arrive. */
  readonly commands: IntentCommand[];
  /** The distinct fills, in the broker's order. */
  readonly fills: readonly { readonly quantity: number; readonly priceCents: number }[];
  /** Whether the submission timed out (UNKNOWN) before the broker's reports came in. */
  readonly timedOut: boolean;
}

/**
 * One order filled in full, its broker reports (an ack and 1–4 fills) arriving shuffled, some
 * twice, at increasing times; sometimes the submission times out first. Whatever the arrival
 * order, the intent should end FILLED with the fills' quantity and average price.
 */
export function intentLifecycleSequences(
  options: { readonly start?: string } = {},
): fc.Arbitrary<IntentLifecycle> {
  const start = parseIsoInstant(options.start ?? DEFAULT_START);
  const fill = fc.record({
    quantity: fc.integer({ min: 1, max: 200 }),
    priceCents: fc.integer({ min: 10_000, max: 60_000 }),
  });
  return fc
    .record({
      symbol: fc.constantFrom(...SYMBOLS),
      side: fc.constantFrom("buy" as const, "sell" as const),
      fills: fc.array(fill, { minLength: 1, maxLength: 4 }),
      timedOut: fc.boolean(),
      repeats: fc.array(fc.nat(), { maxLength: 3 }),
    })
    .chain(({ symbol, side, fills, timedOut, repeats }) => {
      const parts: IntentIdParts = {
        ...sampleIntentParts(0, toIsoUtc(start)),
        symbol,
        side,
        targetQuantity: fills.reduce((sum, f) => sum + f.quantity, 0),
      };
      const id = intentId(parts);
      type Report = { kind: "ack" } | { kind: "fill"; n: number };
      const reports: Report[] = [
        { kind: "ack" },
        ...fills.map((_, n) => ({ kind: "fill" as const, n })),
      ];
      const withRepeats = [
        ...reports,
        ...repeats.map((r) => reports[r % reports.length] as Report),
      ];
      return fc
        .shuffledSubarray(withRepeats, {
          minLength: withRepeats.length,
          maxLength: withRepeats.length,
        })
        .map((arrivals) => {
          // Reports arrive one second apart, in the shuffled order.
          let sent = 0;
          const at = () => {
            sent += 1;
            return toIsoUtc(start + sent * 1_000);
          };
          const commands: IntentCommand[] = [
            { type: "CreateIntent", at: at(), ...parts },
            { type: "SubmitIntent", at: at(), intentId: id },
          ];
          if (timedOut)
            commands.push({ type: "MarkOutcomeUnknown", at: at(), intentId: id, cause: "timeout" });
          for (const report of arrivals) {
            if (report.kind === "ack") {
              commands.push({
                type: "RecordAck",
                at: at(),
                intentId: id,
                brokerOrderId: `b-${id}`,
              });
            } else {
              const f = fills[report.n] as { quantity: number; priceCents: number };
              commands.push({
                type: "RecordFill",
                at: at(),
                intentId: id,
                executionId: `x-${report.n}`,
                ...f,
              });
            }
          }
          return { parts, commands, fills, timedOut };
        });
    });
}
