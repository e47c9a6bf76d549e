import fc from "fast-check";
import { parseIsoInstant, toIsoUtc } from "../../ports/clock.js";
import { type BrokerBreakerConfig, DEFAULT_BROKER_BREAKER_CONFIG } from "./config.js";
import type { BrokerBreakerCommand } from "./decider.js";

export interface BrokerBreakerArbitraryOptions {
  /** Timeouts in the generated times follow this config (default: the spec's numbers). */
  readonly config?: BrokerBreakerConfig;
  /** The earliest generated instant. */
  readonly start?: string;
  /** How many distinct call ids single commands draw from (few, so results meet their calls). */
  readonly callIds?: number;
}

const DEFAULT_START = "2026-03-02T14:30:00.000Z";
const ERRORS = ["timeout", "HTTP 503", "connection reset"] as const;

/**
 * One breaker command at a time, for `assertDeciderProperties`: call ids come from a small
 * pool and times from a window a few recovery timeouts wide, in any order.
 */
export function brokerBreakerCommand(
  options: BrokerBreakerArbitraryOptions = {},
): fc.Arbitrary<BrokerBreakerCommand> {
  const config = options.config ?? DEFAULT_BROKER_BREAKER_CONFIG;
  const start = parseIsoInstant(options.start ?? DEFAULT_START);
  const at = fc
    .integer({ min: 0, max: config.maxRecoveryMs * 2 })
    .map((offset) => toIsoUtc(start + offset));
  const callId = fc.nat({ max: (options.callIds ?? 4) - 1 }).map((n) => `call-${n}`);
  return fc.oneof(
    { weight: 2, arbitrary: fc.record({ type: fc.constant("RequestCall" as const), callId, at }) },
    {
      weight: 1,
      arbitrary: fc.record({ type: fc.constant("RecordSuccess" as const), callId, at }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        type: fc.constant("RecordFailure" as const),
        callId,
        at,
        error: fc.constantFrom(...ERRORS),
      }),
    },
  );
}

type Step =
  | {
      readonly kind: "call";
      readonly gapMs: number;
      readonly latencyMs: number;
      readonly ok: boolean;
    }
  | { readonly kind: "request"; readonly gapMs: number }
  | { readonly kind: "report"; readonly gapMs: number; readonly ok: boolean; readonly pick: number }
  | { readonly kind: "repeat"; readonly gapMs: number; readonly pick: number };

/**
 * Realistic command sequences with monotone times: mostly a call followed by its result, some
 * calls left in flight and reported later, now and then a result reported twice. Gaps cluster
 * around the recovery timeout so trials happen both too early and on time.
 */
export function brokerBreakerCommands(
  options: BrokerBreakerArbitraryOptions & { readonly maxLength?: number } = {},
): fc.Arbitrary<BrokerBreakerCommand[]> {
  const config = options.config ?? DEFAULT_BROKER_BREAKER_CONFIG;
  const start = parseIsoInstant(options.start ?? DEFAULT_START);
  const gapMs = fc.oneof(
    fc.integer({ min: 0, max: 5_000 }),
    fc.integer({ min: Math.max(0, config.recoveryMs - 2_000), max: config.recoveryMs + 2_000 }),
    fc.integer({ min: 0, max: config.maxRecoveryMs * 2 }),
  );
  const ok = fc.boolean();
  const step: fc.Arbitrary<Step> = fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        kind: fc.constant("call" as const),
        gapMs,
        latencyMs: fc.integer({ min: 0, max: 3_000 }),
        ok,
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("request" as const), gapMs }) },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant("report" as const), gapMs, ok, pick: fc.nat() }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant("repeat" as const), gapMs, pick: fc.nat() }),
    },
  );
  return fc.array(step, { maxLength: options.maxLength ?? 40, size: "max" }).map((steps) => {
    const commands: BrokerBreakerCommand[] = [];
    const unreported: string[] = [];
    const reported: string[] = [];
    let now = start;
    let next = 0;
    const result = (callId: string, succeeded: boolean): BrokerBreakerCommand =>
      succeeded
        ? { type: "RecordSuccess", callId, at: toIsoUtc(now) }
        : { type: "RecordFailure", callId, at: toIsoUtc(now), error: "timeout" };
    for (const s of steps) {
      now += s.gapMs;
      if (s.kind === "call") {
        const callId = `call-${next++}`;
        commands.push({ type: "RequestCall", callId, at: toIsoUtc(now) });
        now += s.latencyMs;
        commands.push(result(callId, s.ok));
        reported.push(callId);
      } else if (s.kind === "request") {
        const callId = `call-${next++}`;
        commands.push({ type: "RequestCall", callId, at: toIsoUtc(now) });
        unreported.push(callId);
      } else if (s.kind === "report" && unreported.length > 0) {
        const [callId] = unreported.splice(s.pick % unreported.length, 1) as [string];
        commands.push(result(callId, s.ok));
        reported.push(callId);
      } else if (s.kind === "repeat" && reported.length > 0) {
        commands.push(result(reported[s.pick % reported.length] as string, true));
      }
    }
    return commands;
  });
}
