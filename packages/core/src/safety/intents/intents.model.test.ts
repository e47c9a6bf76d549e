import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fold } from "../../decider/decider.js";
import { transitionViolation } from "../../decider/transition-table.js";
import { deepEqual, show } from "../../testing/deep-equal.js";
import { assertDeciderProperties } from "../../testing/properties.js";
import {
  averageFillPriceCents,
  INTENT_EVENTS,
  INTENT_TABLE,
  type IntentBookState,
  type IntentCommand,
  type IntentCommandType,
  type IntentEvent,
  type IntentStatus,
  intentBook,
  intentId,
  isTerminalIntentStatus,
} from "./index.js";
import { intentCommand, intentLifecycleSequences, sampleIntentParts } from "./testing.js";

type Reaction = IntentStatus | "ignore" | "fill";

/**
 * The reference model, read per state: which commands each status takes and what they do.
 * Missing means illegal. "fill" applies the fill rules (repeat ignored, overfill refused).
 */
const REFERENCE: Record<IntentStatus, Partial<Record<IntentCommandType, Reaction>>> = {
  CREATED: {
    SubmitIntent: "SUBMITTED",
    RecordNotFound: "ignore",
    CancelIntent: "CANCELED",
    ExpireIntent: "EXPIRED",
  },
  SUBMITTED: {
    MarkOutcomeUnknown: "UNKNOWN",
    RecordAck: "ACKED",
    RecordFill: "fill",
    RecordRejection: "REJECTED",
    CancelIntent: "CANCELED",
    ExpireIntent: "EXPIRED",
  },
  UNKNOWN: {
    MarkOutcomeUnknown: "ignore",
    RecordNotFound: "CREATED",
    RecordAck: "ACKED",
    RecordFill: "fill",
    RecordRejection: "REJECTED",
    CancelIntent: "CANCELED",
    ExpireIntent: "EXPIRED",
  },
  ACKED: {
    RecordAck: "ignore",
    RecordFill: "fill",
    RecordRejection: "REJECTED",
    CancelIntent: "CANCELED",
    ExpireIntent: "EXPIRED",
  },
  PARTIAL: {
    RecordAck: "ignore",
    RecordFill: "fill",
    CancelIntent: "CANCELED",
    ExpireIntent: "EXPIRED",
  },
  FILLED: { RecordAck: "ignore", RecordFill: "fill" },
  REJECTED: { RecordRejection: "ignore" },
  CANCELED: { CancelIntent: "ignore", RecordFill: "fill" },
  EXPIRED: { ExpireIntent: "ignore", RecordFill: "fill" },
};

interface ModelIntent {
  status: IntentStatus;
  readonly target: number;
  filled: number;
  notional: number;
  readonly executions: Set<string>;
}
type Model = Map<string, ModelIntent>;

interface Real {
  state: IntentBookState;
  readonly events: IntentEvent[];
  /** Broker reports accepted so far, to send again later (duplicates, out of order). */
  readonly reports: IntentCommand[];
}

/** The model's verdict: refused with a code, or accepted (moving the model). */
function expectation(model: Model, command: IntentCommand): string | null {
  if (command.type === "CreateIntent") {
    const id = intentId(command);
    if (model.has(id)) return "duplicate_intent";
    model.set(id, {
      status: "CREATED",
      target: command.targetQuantity,
      filled: 0,
      notional: 0,
      executions: new Set(),
    });
    return null;
  }
  const intent = model.get(command.intentId);
  if (!intent) return "unknown_intent";
  const reaction = REFERENCE[intent.status][command.type];
  if (reaction === undefined) return "illegal_transition";
  if (reaction === "ignore") return null;
  if (reaction !== "fill") {
    intent.status = reaction;
    return null;
  }
  if (command.type !== "RecordFill") throw new Error("only fills fill");
  if (intent.executions.has(command.executionId)) return null;
  if (intent.filled + command.quantity > intent.target) return "overfill";
  intent.filled += command.quantity;
  intent.notional += command.quantity * command.priceCents;
  intent.executions.add(command.executionId);
  if (!isTerminalIntentStatus(intent.status)) {
    intent.status = intent.filled === intent.target ? "FILLED" : "PARTIAL";
  }
  return null;
}

const schemaOf = new Map(INTENT_EVENTS.map((d) => [d.type as string, d.schema]));

/** Invariants over the whole book, comparing with the state before the command. */
function bookInvariants(before: IntentBookState, after: IntentBookState): string | null {
  for (const [id, intent] of Object.entries(after.intents)) {
    const was = before.intents[id];
    if (was && isTerminalIntentStatus(was.status) && intent.status !== was.status) {
      return `terminal intent ${id} moved ${was.status} → ${intent.status}`;
    }
    if (intent.filledQuantity > intent.targetQuantity) {
      return `intent ${id} filled ${intent.filledQuantity} of ${intent.targetQuantity}`;
    }
    if (new Set(intent.executionIds).size !== intent.executionIds.length) {
      return `intent ${id} applied an execution twice`;
    }
    if (intent.status === "FILLED" && intent.filledQuantity !== intent.targetQuantity) {
      return `intent ${id} FILLED with ${intent.filledQuantity} of ${intent.targetQuantity}`;
    }
  }
  return null;
}

function step(model: Model, real: Real, command: IntentCommand) {
  const expected = expectation(model, command);
  const before = real.state;
  const decision = intentBook.decide(command, before);
  expect(decision.ok ? null : decision.refusal.code, show(command)).toBe(expected);
  if (!decision.ok) return;
  if (command.type !== "CreateIntent" && command.type !== "SubmitIntent")
    real.reports.push(command);
  for (const event of decision.events) schemaOf.get(event.type)?.parse(event.data);
  real.events.push(...decision.events);
  real.state = fold(intentBook, decision.events, before);
  if (command.type !== "CreateIntent") {
    const from = before.intents[command.intentId]?.status ?? "CREATED";
    const to = real.state.intents[command.intentId]?.status ?? "CREATED";
    expect(transitionViolation(INTENT_TABLE, { from, on: command.type, to })).toBeNull();
  }
  expect(bookInvariants(before, real.state)).toBeNull();
  for (const [id, m] of model) {
    expect(real.state.intents[id]).toMatchObject({
      status: m.status,
      filledQuantity: m.filled,
      filledNotionalCents: m.notional,
    });
    expect(new Set(real.state.intents[id]?.executionIds)).toEqual(m.executions);
  }
  expect(Object.keys(real.state.intents).length).toBe(model.size);
  expect(deepEqual(fold(intentBook, real.events), real.state)).toBe(true);
}

class Send implements fc.Command<Model, Real> {
  constructor(readonly command: IntentCommand) {}
  check = () => true;
  run(model: Model, real: Real) {
    step(model, real, this.command);
  }
  toString = () => show(this.command);
}

/** A broker report that was already taken, arriving again (later, so also out of order). */
class Resend implements fc.Command<Model, Real> {
  constructor(readonly pick: number) {}
  check = () => true;
  run(model: Model, real: Real) {
    const report = real.reports[this.pick % Math.max(1, real.reports.length)];
    if (report) step(model, real, report);
  }
  toString = () => `Resend(#${this.pick})`;
}

/** Commands that move a live intent forward, so random runs reach the deep states too. */
const FORWARD: Partial<Record<IntentStatus, readonly IntentCommandType[]>> = {
  CREATED: ["SubmitIntent"],
  SUBMITTED: ["RecordAck", "MarkOutcomeUnknown", "RecordFill"],
  UNKNOWN: ["RecordNotFound", "RecordAck", "RecordFill"],
  ACKED: ["RecordFill"],
  PARTIAL: ["RecordFill"],
};

/** Sends the intent `pick` a command that moves it forward (a fresh fill within what is left). */
class Advance implements fc.Command<Model, Real> {
  constructor(
    readonly pick: number,
    readonly choice: number,
    readonly quantity: number,
  ) {}
  check = () => true;
  run(model: Model, real: Real) {
    const live = [...model].filter(([, m]) => FORWARD[m.status] !== undefined);
    const picked = live[this.pick % Math.max(1, live.length)];
    if (!picked) return;
    const [id, intent] = picked;
    const options = FORWARD[intent.status] ?? [];
    const type = options[this.choice % options.length];
    const at = "2026-03-02T20:55:00Z";
    const base = { at, intentId: id };
    const command: IntentCommand | undefined =
      type === "SubmitIntent"
        ? { type, ...base }
        : type === "MarkOutcomeUnknown"
          ? { type, ...base, cause: "crash" }
          : type === "RecordNotFound"
            ? { type, ...base }
            : type === "RecordAck"
              ? { type, ...base, brokerOrderId: "b-2" }
              : type === "RecordFill"
                ? {
                    type,
                    ...base,
                    executionId: `adv-${real.events.length}`,
                    quantity: Math.max(1, Math.min(this.quantity, intent.target - intent.filled)),
                    priceCents: 45_000,
                  }
                : undefined;
    if (command) step(model, real, command);
  }
  toString = () => `Advance(#${this.pick}, choice ${this.choice}, ${this.quantity} shares)`;
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

describe("order intents against the reference model", () => {
  it("agree on every command, with duplicates and reorderings, and keep the invariants", () => {
    const commands = [
      intentCommand({ intents: 3 }).map((c) => new Send(c)),
      fc.nat().map((pick) => new Resend(pick)),
      fc
        .tuple(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 12 }))
        .map(([pick, choice, quantity]) => new Advance(pick, choice, quantity)),
    ];
    fc.assert(
      fc.property(fc.commands(commands, { maxCommands: 80, size: "max" }), (cmds) => {
        fc.modelRun(
          () => ({
            model: new Map(),
            real: { state: intentBook.initialState, events: [], reports: [] },
          }),
          cmds,
        );
      }),
      { numRuns: 120, seed: 11 },
    );
  });

  it("end FILLED with the right quantity and average price, whatever order the reports arrive in", () => {
    fc.assert(
      fc.property(intentLifecycleSequences(), ({ parts, commands, fills }) => {
        const model: Model = new Map();
        const real: Real = { state: intentBook.initialState, events: [], reports: [] };
        for (const command of commands) step(model, real, command);
        const intent = real.state.intents[intentId(parts)];
        const quantity = fills.reduce((sum, f) => sum + f.quantity, 0);
        const notional = fills.reduce((sum, f) => sum + f.quantity * f.priceCents, 0);
        expect(intent).toMatchObject({ status: "FILLED", filledQuantity: quantity });
        expect(intent && averageFillPriceCents(intent)).toBe(notional / quantity);
        const fillEvents = real.events.filter((e) => e.type === "IntentFillRecorded");
        expect(fillEvents).toHaveLength(fills.length);
      }),
      { numRuns: 100 },
    );
  });
});

describe("order intent properties", () => {
  const onlyIntent = intentId(sampleIntentParts(0));
  it("obey the table (a terminal intent never moves), keep the invariants, rebuild from events", () => {
    withLongerSequences(() =>
      assertDeciderProperties({
        decider: intentBook,
        commands: intentCommand({ intents: 1 }),
        table: INTENT_TABLE,
        // Before creation the intent counts as CREATED: only CreateIntent is accepted then.
        stateName: (s: IntentBookState) => s.intents[onlyIntent]?.status ?? "CREATED",
        commandName: (c: IntentCommand) => c.type,
        invariants: [(s) => bookInvariants(s, s)],
        maxCommands: 60,
        parameters: { numRuns: 200 },
      }),
    );
  });
});
