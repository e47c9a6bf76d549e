import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fold } from "../../decider/decider.js";
import { transitionViolation } from "../../decider/transition-table.js";
import { parseIsoInstant, toIsoUtc } from "../../ports/clock.js";
import { deepEqual, show } from "../../testing/deep-equal.js";
import { assertDeciderProperties } from "../../testing/properties.js";
import {
  BROKER_BREAKER_EVENTS,
  BROKER_BREAKER_TABLE,
  type BrokerBreakerCommand,
  type BrokerBreakerConfig,
  type BrokerBreakerEvent,
  type BrokerBreakerState,
  type BrokerBreakerStatus,
  brokerBreakerConfigSchema,
  createBrokerBreaker,
  DEFAULT_BROKER_BREAKER_CONFIG,
} from "./index.js";
import { brokerBreakerCommand, brokerBreakerCommands } from "./testing.js";

const START = parseIsoInstant("2026-03-02T14:30:00Z");
const schemaOf = new Map(BROKER_BREAKER_EVENTS.map((d) => [d.type as string, d.schema]));

/** What must hold after every command, whatever happened before. */
function breakerInvariants(config: BrokerBreakerConfig) {
  return [
    (s: BrokerBreakerState) =>
      s.counts.calls === s.counts.successes + s.counts.failures + s.inFlight.length
        ? null
        : `calls ${s.counts.calls} ≠ successes + failures + in flight (${show(s.counts)}, ${s.inFlight.length} in flight)`,
    (s: BrokerBreakerState) =>
      s.status !== "CLOSED" ||
      (s.consecutiveFailures < config.failureThreshold &&
        s.retryAt === null &&
        s.trialCallId === null)
        ? null
        : `CLOSED with ${s.consecutiveFailures} failures in a row, retryAt ${s.retryAt}, trial ${s.trialCallId}`,
    (s: BrokerBreakerState) =>
      s.status !== "OPEN" ||
      (s.retryAt !== null &&
        s.trialCallId === null &&
        s.recoveryMs !== null &&
        s.recoveryMs >= config.recoveryMs &&
        s.recoveryMs <= config.maxRecoveryMs)
        ? null
        : `OPEN without a retry time or with timeout ${s.recoveryMs} outside ${config.recoveryMs}..${config.maxRecoveryMs}`,
    (s: BrokerBreakerState) =>
      s.status !== "HALF_OPEN" || (s.trialCallId !== null && s.inFlight.includes(s.trialCallId))
        ? null
        : "HALF_OPEN without its trial call in flight",
    (s: BrokerBreakerState) =>
      s.status === "CLOSED" || s.counts.opens >= 1 ? null : `${s.status} but never opened`,
  ];
}

/** The reference model: the spec's rules written plainly, with times in ms since START. */
interface Model {
  readonly config: BrokerBreakerConfig;
  now: number;
  status: BrokerBreakerStatus;
  failuresInARow: number;
  timeoutMs: number;
  retryAt: number;
  trial: string | null;
  inFlight: string[];
  reported: string[];
  nextId: number;
  calls: number;
  successes: number;
  failures: number;
  opens: number;
}

interface Real {
  readonly decider: ReturnType<typeof createBrokerBreaker>;
  state: BrokerBreakerState;
  readonly events: BrokerBreakerEvent[];
}

type Expected = { readonly refused: string } | { readonly refused: null };

/** Decides one command on the real machine and checks it against the model's expectation. */
function step(model: Model, real: Real, command: BrokerBreakerCommand, expected: Expected) {
  const before = real.state;
  const decision = real.decider.decide(command, before);
  if (expected.refused !== null) {
    expect(decision.ok ? "accepted" : decision.refusal.code).toBe(expected.refused);
    return;
  }
  if (!decision.ok) throw new Error(`refused ${show(decision.refusal)} for ${show(command)}`);
  for (const event of decision.events) {
    schemaOf.get(event.type)?.parse(event.data);
    // No call goes through while OPEN before its timeout.
    if (event.type === "BrokerBreakerCallPermitted" && before.status === "OPEN") {
      expect(parseIsoInstant(event.data.at)).toBeGreaterThanOrEqual(
        parseIsoInstant(before.retryAt ?? ""),
      );
    }
  }
  real.events.push(...decision.events);
  real.state = fold(real.decider, decision.events, before);
  const violation = transitionViolation(BROKER_BREAKER_TABLE, {
    from: before.status,
    on: command.type,
    to: real.state.status,
  });
  expect(violation).toBeNull();
  expect(real.state).toMatchObject({
    status: model.status,
    inFlight: model.inFlight,
    trialCallId: model.trial,
    consecutiveFailures: model.failuresInARow,
    retryAt: model.status === "OPEN" ? toIsoUtc(START + model.retryAt) : null,
    recoveryMs: model.status === "CLOSED" ? null : model.timeoutMs,
    counts: {
      calls: model.calls,
      successes: model.successes,
      failures: model.failures,
      opens: model.opens,
    },
  });
  for (const invariant of breakerInvariants(model.config)) expect(invariant(real.state)).toBeNull();
  expect(deepEqual(fold(real.decider, real.events), real.state)).toBe(true);
}

class RequestCall implements fc.Command<Model, Real> {
  /** `nearRetryMs`: when OPEN, request this many ms from the retry time (just before, on, after). */
  constructor(
    readonly advanceMs: number,
    readonly nearRetryMs: number | null = null,
  ) {}
  check = () => true;
  run(model: Model, real: Real) {
    if (this.nearRetryMs !== null && model.status === "OPEN") {
      model.now = Math.max(model.now, model.retryAt + this.nearRetryMs);
    } else {
      model.now += this.advanceMs;
    }
    const callId = `c${model.nextId++}`;
    const command: BrokerBreakerCommand = {
      type: "RequestCall",
      callId,
      at: toIsoUtc(START + model.now),
    };
    let refused: string | null = null;
    if (model.status === "HALF_OPEN") refused = "trial_in_flight";
    else if (model.status === "OPEN" && model.now < model.retryAt) refused = "circuit_open";
    if (refused === null) {
      if (model.status === "OPEN") {
        model.status = "HALF_OPEN";
        model.trial = callId;
      }
      model.inFlight.push(callId);
      model.calls++;
    }
    step(model, real, command, { refused });
  }
  toString = () =>
    this.nearRetryMs === null
      ? `RequestCall(+${this.advanceMs} ms)`
      : `RequestCall(retry time ${this.nearRetryMs} ms)`;
}

class ReportResult implements fc.Command<Model, Real> {
  constructor(
    readonly advanceMs: number,
    readonly pick: number,
    readonly succeeded: boolean,
  ) {}
  check = (model: Readonly<Model>) => model.inFlight.length > 0;
  run(model: Model, real: Real) {
    model.now += this.advanceMs;
    const [callId] = model.inFlight.splice(this.pick % model.inFlight.length, 1) as [string];
    model.reported.push(callId);
    const at = toIsoUtc(START + model.now);
    const isTrial = model.trial === callId;
    if (isTrial) model.trial = null;
    if (this.succeeded) {
      model.successes++;
      model.failuresInARow = 0;
      if (isTrial) model.status = "CLOSED";
    } else {
      model.failures++;
      model.failuresInARow++;
      const tripped =
        model.status === "CLOSED" && model.failuresInARow >= model.config.failureThreshold;
      if (tripped || isTrial) {
        model.timeoutMs = tripped
          ? model.config.recoveryMs
          : Math.min(model.timeoutMs * model.config.backoffMultiplier, model.config.maxRecoveryMs);
        model.status = "OPEN";
        model.retryAt = model.now + model.timeoutMs;
        model.opens++;
      }
    }
    const command: BrokerBreakerCommand = this.succeeded
      ? { type: "RecordSuccess", callId, at }
      : { type: "RecordFailure", callId, at, error: "timeout" };
    step(model, real, command, { refused: null });
  }
  toString = () =>
    `${this.succeeded ? "Succeed" : "Fail"}(in flight #${this.pick}, +${this.advanceMs} ms)`;
}

/** A result reported twice, or a second call under an id still in flight: both refused. */
class RepeatId implements fc.Command<Model, Real> {
  constructor(
    readonly kind: "result" | "request",
    readonly pick: number,
  ) {}
  check = (model: Readonly<Model>) =>
    (this.kind === "result" ? model.reported : model.inFlight).length > 0;
  run(model: Model, real: Real) {
    const ids = this.kind === "result" ? model.reported : model.inFlight;
    const callId = ids[this.pick % ids.length] as string;
    const at = toIsoUtc(START + model.now);
    const command: BrokerBreakerCommand =
      this.kind === "result"
        ? { type: "RecordSuccess", callId, at }
        : { type: "RequestCall", callId, at };
    step(model, real, command, {
      refused: this.kind === "result" ? "call_not_in_flight" : "call_in_flight",
    });
  }
  toString = () => `Repeat${this.kind}(#${this.pick})`;
}

function modelRunFor(config: BrokerBreakerConfig) {
  const advance = fc.oneof(
    fc.integer({ min: 0, max: 5_000 }),
    fc.integer({ min: config.recoveryMs - 1_000, max: config.recoveryMs + 1_000 }),
    fc.integer({ min: 0, max: config.maxRecoveryMs * 2 }),
  );
  const commands = [
    advance.map((ms) => new RequestCall(ms)),
    fc.integer({ min: -1, max: 1 }).map((offset) => new RequestCall(0, offset)),
    fc
      .tuple(advance, fc.nat(), fc.boolean())
      .map(([ms, pick, ok]) => new ReportResult(ms, pick, ok)),
    fc.tuple(advance, fc.nat()).map(([ms, pick]) => new ReportResult(ms, pick, false)),
    fc
      .tuple(fc.constantFrom("result" as const, "request" as const), fc.nat())
      .map(([kind, pick]) => new RepeatId(kind, pick)),
  ];
  return fc.property(fc.commands(commands, { maxCommands: 80, size: "max" }), (cmds) => {
    const decider = createBrokerBreaker({ config });
    const setup = () => ({
      model: {
        config,
        now: 0,
        status: "CLOSED" as const,
        failuresInARow: 0,
        timeoutMs: config.recoveryMs,
        retryAt: 0,
        trial: null,
        inFlight: [],
        reported: [],
        nextId: 0,
        calls: 0,
        successes: 0,
        failures: 0,
        opens: 0,
      },
      real: { decider, state: decider.initialState, events: [] },
    });
    fc.modelRun(setup, cmds);
  });
}

/**
 * `assertDeciderProperties` draws command arrays at fast-check's default size ("small": at most
 * 10 commands), too short to reach deep states; these properties run at a larger base size.
 */
function withLongerSequences(run: () => void) {
  const saved = fc.readConfigureGlobal();
  fc.configureGlobal({ ...saved, baseSize: "medium" });
  try {
    run();
  } finally {
    fc.configureGlobal(saved);
  }
}

describe("broker call breaker against its reference model", () => {
  it("agrees with the model under the spec's numbers", () => {
    fc.assert(modelRunFor(DEFAULT_BROKER_BREAKER_CONFIG), { numRuns: 100, seed: 5 });
  });

  it("agrees with the model under another configuration (2 failures, 1 s, ×3, cap 10 s)", () => {
    const config = brokerBreakerConfigSchema.parse({
      failureThreshold: 2,
      recoveryMs: 1_000,
      backoffMultiplier: 3,
      maxRecoveryMs: 10_000,
    });
    fc.assert(modelRunFor(config), { numRuns: 100 });
  });
});

describe("broker call breaker properties", () => {
  const config = brokerBreakerConfigSchema.parse({ failureThreshold: 2 });
  const decider = createBrokerBreaker({ config });
  const options = {
    decider,
    table: BROKER_BREAKER_TABLE,
    stateName: (s: BrokerBreakerState) => s.status,
    commandName: (c: BrokerBreakerCommand) => c.type,
    invariants: breakerInvariants(config),
    parameters: { numRuns: 150 },
  };

  it("obey the table and the invariants, and rebuild from events, over random commands", () => {
    withLongerSequences(() =>
      assertDeciderProperties({ ...options, commands: brokerBreakerCommand({ config }) }),
    );
  });

  it("hold over realistic sequences, which do reach every state", () => {
    const reached = new Set<BrokerBreakerStatus>();
    fc.assert(
      fc.property(brokerBreakerCommands({ config }), (commands) => {
        let state = decider.initialState;
        const events: BrokerBreakerEvent[] = [];
        for (const command of commands) {
          const decision = decider.decide(command, state);
          if (!decision.ok) continue;
          const next = fold(decider, decision.events, state);
          expect(
            transitionViolation(BROKER_BREAKER_TABLE, {
              from: state.status,
              on: command.type,
              to: next.status,
            }),
          ).toBeNull();
          events.push(...decision.events);
          state = next;
          reached.add(state.status);
          for (const invariant of options.invariants) expect(invariant(state)).toBeNull();
        }
        expect(fold(decider, events)).toEqual(state);
      }),
      { numRuns: 150, seed: 7 },
    );
    expect([...reached].sort()).toEqual(["CLOSED", "HALF_OPEN", "OPEN"]);
  });
});
