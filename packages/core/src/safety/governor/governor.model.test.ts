import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { weekdayCalendar } from "../../calendar/trading-calendar.js";
import { fold, runCommands } from "../../decider/decider.js";
import { transitionViolation } from "../../decider/transition-table.js";
import { deepEqual } from "../../testing/deep-equal.js";
import { assertDeciderProperties } from "../../testing/properties.js";
import type { GovernorCommand } from "./commands.js";
import { createGovernor } from "./decider.js";
import type { GovernorEvent } from "./events.js";
import {
  drawdownOf,
  type GovernorState,
  governorAllowsEntries,
  sizingMultiplier,
} from "./state.js";
import type { GovernorStatus, HealthCheckName } from "./status.js";
import { GOVERNOR_TABLE } from "./table.js";
import {
  decisionTimeOf,
  equityMoves,
  governorCommand,
  governorCommands,
  healthInputsFor,
  healthVerdicts,
  positionsArbitrary,
} from "./testing.js";

// US-style holidays in 2026–2027, so cooldowns regularly span one.
const HOLIDAYS = [
  "2026-01-19",
  "2026-02-16",
  "2026-04-03",
  "2026-05-25",
  "2026-06-19",
  "2026-07-03",
  "2026-09-07",
  "2026-11-26",
  "2026-12-25",
  "2027-01-01",
  "2027-01-18",
  "2027-02-15",
  "2027-03-26",
  "2027-05-31",
];
const calendar = weekdayCalendar(HOLIDAYS);
const governor = createGovernor({ calendar });

/** The sessions from 2026-01-02 on, listed independently of the calendar's stepping code. */
const SESSIONS: string[] = [];
for (let day = Date.UTC(2026, 0, 2); SESSIONS.length < 400; day += 86_400_000) {
  const date = new Date(day);
  const iso = date.toISOString().slice(0, 10);
  if (date.getUTCDay() !== 0 && date.getUTCDay() !== 6 && !HOLIDAYS.includes(iso)) {
    SESSIONS.push(iso);
  }
}

/**
 * The reference model: the rules of SPEC §2 restated over session numbers (the index into
 * SESSIONS), with the spec's numbers written out.
 */
interface Model {
  day: number;
  status: GovernorStatus;
  peak: number | null;
  equity: number | null;
  cooldownEnd: number | null;
  rampEnd: number | null;
}

interface Real {
  state: GovernorState;
  readonly emitted: GovernorEvent[];
}

const visited = { statuses: new Set<string>(), events: new Set<string>() };

/** Decides one command on the real governor, checking the table and the invariants. */
function decide(real: Real, command: GovernorCommand) {
  const decision = governor.decide(command, real.state);
  if (!decision.ok) return decision;
  const before = real.state;
  real.state = fold(governor, decision.events, before);
  real.emitted.push(...decision.events);
  for (const event of decision.events) {
    visited.events.add(event.type === "GovernorNormalResumed" ? event.data.cause : event.type);
  }
  visited.statuses.add(real.state.status);
  const violation = transitionViolation(GOVERNOR_TABLE, {
    from: before.status,
    on: command.type,
    to: real.state.status,
  });
  expect(violation).toBeNull();
  const state = real.state;
  expect([0, 0.5, 1]).toContain(sizingMultiplier(state));
  if (state.status === "HALT" || state.status === "PANIC") {
    expect(governorAllowsEntries(state)).toBe(false);
    expect(sizingMultiplier(state)).toBe(0);
  }
  expect(state.cooldown !== null).toBe(state.status === "HALT" || state.status === "PANIC");
  expect(state.rampUp !== null).toBe(state.status === "RAMPUP");
  expect(deepEqual(fold(governor, real.emitted), state)).toBe(true);
  return decision;
}

function expectMatches(model: Model, state: GovernorState) {
  expect({
    status: state.status,
    peak: state.peak,
    cooldownEndsOn: state.cooldown?.endsOn ?? null,
    rampUpEndsOn: state.rampUp?.endsOn ?? null,
  }).toEqual({
    status: model.status,
    peak: model.peak,
    cooldownEndsOn: model.cooldownEnd === null ? null : SESSIONS[model.cooldownEnd],
    rampUpEndsOn: model.rampEnd === null ? null : SESSIONS[model.rampEnd],
  });
}

const initialModel = (): Model => ({
  day: 0,
  status: "NORMAL",
  peak: null,
  equity: null,
  cooldownEnd: null,
  rampEnd: null,
});

const sessionOf = (model: Model) => SESSIONS[model.day] as string;

function enter(model: Model, status: "HALT" | "PANIC") {
  model.status = status;
  model.cooldownEnd = model.day + (status === "HALT" ? 10 : 20);
  model.rampEnd = null;
}

function startRampUp(model: Model) {
  model.status = "RAMPUP";
  model.peak = model.equity;
  model.cooldownEnd = null;
  model.rampEnd = model.day + 5;
}

class Observe implements fc.Command<Model, Real> {
  constructor(
    readonly advance: number,
    readonly moveBasisPoints: number,
    readonly positions: { symbol: string; quantity: number }[],
  ) {}
  check = () => true;
  run(model: Model, real: Real) {
    model.day += this.advance;
    const session = sessionOf(model);
    const equity = Math.round(
      ((model.equity ?? 100_000) * (10_000 + this.moveBasisPoints)) / 10_000,
    );
    const decision = decide(real, {
      type: "ObserveEquity",
      at: decisionTimeOf(session),
      session,
      equity,
      positions: this.positions,
    });
    expect(decision.ok).toBe(true);

    const before = model.status;
    model.equity = equity;
    model.peak = Math.max(model.peak ?? equity, equity);
    const drawdown = drawdownOf(model.peak, equity);
    if ((before === "NORMAL" || before === "RAMPUP" || before === "HALT") && drawdown >= 0.1) {
      enter(model, "PANIC");
    } else if ((before === "NORMAL" || before === "RAMPUP") && drawdown >= 0.08) {
      enter(model, "HALT");
    } else if (before === "RAMPUP" && model.rampEnd !== null && model.day >= model.rampEnd) {
      model.status = "NORMAL";
      model.rampEnd = null;
    }
    const flattened = decision.ok
      ? decision.events.filter((event) => event.type === "GovernorFlattenRequested").length
      : 0;
    const held = this.positions.filter((position) => position.quantity !== 0).length;
    expect(flattened).toBe(model.status === "PANIC" && before !== "PANIC" ? held : 0);
    expectMatches(model, real.state);
  }
  toString = () => `Observe(+${this.advance}, ${this.moveBasisPoints}bp)`;
}

class RunHealthChecks implements fc.Command<Model, Real> {
  constructor(
    readonly advance: number | "to cooldown end",
    readonly verdicts: Record<HealthCheckName, boolean>,
  ) {}
  check = () => true;
  run(model: Model, real: Real) {
    if (this.advance !== "to cooldown end") model.day += this.advance;
    else if (model.cooldownEnd !== null) model.day = Math.max(model.day, model.cooldownEnd);
    const session = sessionOf(model);
    const at = decisionTimeOf(session);
    const decision = decide(real, {
      type: "RunHealthChecks",
      at,
      session,
      health: healthInputsFor(at, this.verdicts),
    });
    if (model.cooldownEnd === null) {
      expect(decision.ok ? "accepted" : decision.refusal.code).toBe("not_cooling_down");
    } else if (model.day < model.cooldownEnd) {
      expect(decision.ok ? "accepted" : decision.refusal.code).toBe("cooldown_not_over");
    } else if (Object.values(this.verdicts).every(Boolean)) {
      expect(decision.ok).toBe(true);
      startRampUp(model);
    } else {
      expect(decision.ok).toBe(true);
      model.cooldownEnd = model.day + 5;
    }
    expectMatches(model, real.state);
  }
  toString = () => `RunHealthChecks(${this.advance}, ${JSON.stringify(this.verdicts)})`;
}

class Override implements fc.Command<Model, Real> {
  constructor(
    readonly advance: number,
    readonly type: "ForceResume" | "ResetGovernor",
    readonly attributed: boolean,
  ) {}
  check = () => true;
  run(model: Model, real: Real) {
    model.day += this.advance;
    const session = sessionOf(model);
    const decision = decide(real, {
      type: this.type,
      at: decisionTimeOf(session),
      session,
      operator: this.attributed ? "alice" : "",
      reason: this.attributed ? "reviewed" : "",
    });
    if (!this.attributed) {
      expect(decision.ok ? "accepted" : decision.refusal.code).toBe("missing_operator");
    } else if (this.type === "ForceResume") {
      if (model.status === "HALT" || model.status === "PANIC") {
        expect(decision.ok).toBe(true);
        startRampUp(model);
      } else {
        expect(decision.ok ? "accepted" : decision.refusal.code).toBe("not_halted");
      }
    } else {
      expect(decision.ok).toBe(true);
      model.status = "NORMAL";
      if (model.equity !== null) model.peak = model.equity;
      model.cooldownEnd = null;
      model.rampEnd = null;
    }
    expectMatches(model, real.state);
  }
  toString = () => `${this.type}(+${this.advance}, attributed: ${this.attributed})`;
}

const advance = fc.oneof(
  { weight: 2, arbitrary: fc.constant(0) },
  { weight: 6, arbitrary: fc.constant(1) },
  { weight: 2, arbitrary: fc.integer({ min: 2, max: 6 }) },
);

const modelCommands = [
  fc
    .tuple(advance, equityMoves(), positionsArbitrary)
    .map(([days, move, positions]) => new Observe(days, move, positions)),
  fc
    .tuple(fc.oneof(advance, fc.constant("to cooldown end" as const)), healthVerdicts)
    .map(([days, verdicts]) => new RunHealthChecks(days, verdicts)),
  fc
    .tuple(advance, fc.constantFrom("ForceResume" as const, "ResetGovernor" as const), fc.boolean())
    .map(([days, type, attributed]) => new Override(days, type, attributed)),
];

describe("drawdown governor: model-based", () => {
  it("agrees with the reference model on every command; invariants hold throughout", () => {
    fc.assert(
      fc.property(fc.commands(modelCommands, { maxCommands: 60, size: "max" }), (commands) => {
        fc.modelRun(
          () => ({
            model: initialModel(),
            real: { state: governor.initialState, emitted: [] },
          }),
          commands,
        );
      }),
      { numRuns: 200, seed: 20_261_112 },
    );
    // The generator must reach every state and every kind of event, or the test proves little.
    expect([...visited.statuses].sort()).toEqual(["HALT", "NORMAL", "PANIC", "RAMPUP"]);
    expect(visited.events).toContain("GovernorCooldownExtended");
    expect(visited.events).toContain("GovernorFlattenRequested");
    expect(visited.events).toContain("rampup_completed");
  });

  it("obeys its transition table; rebuild from events = live state (short cooldowns)", () => {
    const config = {
      haltCooldownSessions: 2,
      panicCooldownSessions: 3,
      healthCheckExtensionSessions: 1,
      rampUpSessions: 2,
    };
    assertDeciderProperties({
      decider: createGovernor({ calendar, config }),
      commands: governorCommand({ calendar, config, from: "2026-11-16", sessions: 12 }),
      table: GOVERNOR_TABLE,
      stateName: (state) => state.status,
      commandName: (command) => command.type,
      invariants: [
        (state) => ([0, 0.5, 1].includes(sizingMultiplier(state)) ? null : "odd sizing"),
        (state) =>
          (state.status === "HALT" || state.status === "PANIC") && governorAllowsEntries(state)
            ? `entries allowed in ${state.status}`
            : null,
      ],
      parameters: { numRuns: 200, seed: 7 },
    });
  });

  it("counts every cooldown and ramp-up in sessions of the calendar, across holidays", () => {
    fc.assert(
      fc.property(governorCommands({ calendar, from: "2026-11-02", maxLength: 40 }), (commands) => {
        const { events } = runCommands(governor, commands);
        for (const event of events) {
          const { session } = event.data;
          if (event.type === "GovernorHalted" || event.type === "GovernorPanicked") {
            const expected = event.type === "GovernorHalted" ? 10 : 20;
            expect(calendar.sessionsBetween(session, event.data.cooldownEndsOn)).toBe(expected);
          }
          if (event.type === "GovernorCooldownExtended") {
            expect(calendar.sessionsBetween(session, event.data.cooldownEndsOn)).toBe(5);
          }
          if (event.type === "GovernorRampUpStarted") {
            expect(calendar.sessionsBetween(session, event.data.endsOn)).toBe(5);
          }
        }
      }),
      { numRuns: 100, seed: 11 },
    );
  });
});
