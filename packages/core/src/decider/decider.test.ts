import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assertDeciderProperties } from "../testing/properties.js";
import { ScenarioError, scenario } from "../testing/scenario.js";
import { accept, type Decider, fold, refuse, runCommands, runDecider } from "./decider.js";
import { defineTransitionTable, toMermaid, transitionViolation } from "./transition-table.js";

// A small machine for exercising the kit: a trading switch that can be paused, resumed, retired.
type SwitchState = { status: "ACTIVE" | "PAUSED" | "RETIRED"; pauses: number };
type SwitchCommand = { type: "Pause"; reason: string } | { type: "Resume" } | { type: "Retire" };
type SwitchEvent =
  | { type: "Paused"; data: { reason: string } }
  | { type: "Resumed"; data: Record<string, never> }
  | { type: "Retired"; data: Record<string, never> };

const table = defineTransitionTable({
  machine: "switch",
  states: ["ACTIVE", "PAUSED", "RETIRED"],
  commands: ["Pause", "Resume", "Retire"],
  initial: "ACTIVE",
  terminal: ["RETIRED"],
  transitions: [
    { from: "ACTIVE", on: "Pause", to: "PAUSED" },
    { from: "PAUSED", on: "Resume", to: "ACTIVE" },
    { from: "ACTIVE", on: "Retire", to: "RETIRED" },
    { from: "PAUSED", on: "Retire", to: "RETIRED" },
  ],
});

const switchDecider: Decider<SwitchCommand, SwitchEvent, SwitchState> = {
  initialState: { status: "ACTIVE", pauses: 0 },
  decide(command, state) {
    if (state.status === "RETIRED") return refuse("retired", "the switch is retired");
    switch (command.type) {
      case "Pause":
        return state.status === "PAUSED"
          ? accept()
          : accept({ type: "Paused", data: { reason: command.reason } });
      case "Resume":
        return state.status === "ACTIVE"
          ? refuse("not_paused", "only a paused switch resumes")
          : accept({ type: "Resumed", data: {} });
      case "Retire":
        return accept({ type: "Retired", data: {} });
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case "Paused":
        return { status: "PAUSED", pauses: state.pauses + 1 };
      case "Resumed":
        return { ...state, status: "ACTIVE" };
      case "Retired":
        return { ...state, status: "RETIRED" };
    }
  },
};

const commands: fc.Arbitrary<SwitchCommand> = fc.oneof(
  fc.record({ type: fc.constant("Pause" as const), reason: fc.string({ maxLength: 3 }) }),
  fc.constant({ type: "Resume" as const }),
  fc.constant({ type: "Retire" as const }),
);

describe("decider kit", () => {
  it("folds events into state and runs commands, collecting refusals without changing state", () => {
    const paused = fold(switchDecider, [{ type: "Paused", data: { reason: "halt" } }]);
    expect(paused).toEqual({ status: "PAUSED", pauses: 1 });
    const result = runDecider(switchDecider, switchDecider.initialState, { type: "Resume" });
    expect(result).toEqual({
      ok: false,
      refusal: { code: "not_paused", message: "only a paused switch resumes" },
      state: switchDecider.initialState,
    });
    const run = runCommands(switchDecider, [
      { type: "Pause", reason: "a" },
      { type: "Resume" },
      { type: "Resume" },
    ]);
    expect(run.state).toEqual({ status: "ACTIVE", pauses: 1 });
    expect(run.events.map((e) => e.type)).toEqual(["Paused", "Resumed"]);
    expect(run.refusals.map((r) => r.code)).toEqual(["not_paused"]);
  });

  it("given/when/then passes on the right events and explains a mismatch", () => {
    scenario(switchDecider)
      .given([{ type: "Paused", data: { reason: "x" } }])
      .when({ type: "Resume" })
      .thenEvents([{ type: "Resumed", data: {} }]);
    scenario(switchDecider).when({ type: "Resume" }).thenRefused("not_paused", "paused");
    expect(() => scenario(switchDecider).when({ type: "Retire" }).thenEvents([])).toThrow(
      ScenarioError,
    );
    expect(() => scenario(switchDecider).when({ type: "Retire" }).thenRefused("retired")).toThrow(
      /expected refusal retired\nbut the command was accepted/,
    );
    expect(() => scenario(switchDecider).when({ type: "Resume" }).thenEvents([])).toThrow(
      /was refused/,
    );
  });
});

describe("transition tables", () => {
  it("refuse a malformed table: unknown states, unknown commands, a terminal state that moves", () => {
    expect(() =>
      defineTransitionTable({
        machine: "bad",
        states: ["A", "B"],
        commands: ["Go"],
        initial: "A",
        terminal: ["B"],
        transitions: [
          { from: "B", on: "Go", to: "A" },
          { from: "A", on: "Go", to: "C" as "A" },
        ],
      }),
    ).toThrow(/B is terminal and cannot move[\s\S]*unknown state C/);
  });

  it("allow staying put and listed changes, and name a forbidden change", () => {
    expect(transitionViolation(table, { from: "PAUSED", on: "Pause", to: "PAUSED" })).toBeNull();
    expect(transitionViolation(table, { from: "ACTIVE", on: "Pause", to: "PAUSED" })).toBeNull();
    expect(transitionViolation(table, { from: "ACTIVE", on: "Resume", to: "RETIRED" })).toBe(
      "switch: ACTIVE --Resume--> RETIRED is not in the transition table",
    );
  });

  it("render as a Mermaid state diagram", () => {
    expect(toMermaid(table)).toBe(
      [
        "stateDiagram-v2",
        "  [*] --> ACTIVE",
        "  ACTIVE --> PAUSED: Pause",
        "  PAUSED --> ACTIVE: Resume",
        "  ACTIVE --> RETIRED: Retire",
        "  PAUSED --> RETIRED: Retire",
        "  RETIRED --> [*]",
      ].join("\n"),
    );
  });
});

describe("decider properties", () => {
  const options = {
    commands,
    table,
    stateName: (s: SwitchState) => s.status,
    commandName: (c: SwitchCommand) => c.type,
    parameters: { seed: 42, numRuns: 200 },
  };

  it("hold for a decider that obeys its table", () => {
    assertDeciderProperties({
      ...options,
      decider: switchDecider,
      invariants: [(s) => (s.pauses >= 0 ? null : "negative pause count")],
    });
  });

  it("catch a decider that makes a move its table does not list", () => {
    const sloppy: typeof switchDecider = {
      ...switchDecider,
      decide: (command, state) =>
        command.type === "Resume" && state.status === "ACTIVE"
          ? accept({ type: "Retired", data: {} })
          : switchDecider.decide(command, state),
    };
    expect(() => assertDeciderProperties({ ...options, decider: sloppy })).toThrow(
      /ACTIVE --Resume--> RETIRED is not in the transition table/,
    );
  });

  it("catch a broken invariant", () => {
    expect(() =>
      assertDeciderProperties({
        ...options,
        decider: switchDecider,
        invariants: [(s) => (s.pauses < 2 ? null : "paused twice")],
      }),
    ).toThrow(/paused twice/);
  });

  it("catch state that does not come from events alone", () => {
    let hidden = 0;
    const leaky: typeof switchDecider = {
      ...switchDecider,
      evolve: (state, event) => ({ ...switchDecider.evolve(state, event), pauses: hidden++ }),
    };
    expect(() => assertDeciderProperties({ ...options, decider: leaky })).toThrow(
      /rebuilt from events differs/,
    );
  });
});

describe("decider properties refuse a vacuous table check", () => {
  it("fails when stateName does not return one of the table's states", () => {
    expect(() =>
      assertDeciderProperties({
        decider: switchDecider,
        commands,
        table,
        stateName: () => "UNDEFINED" as SwitchState["status"],
        commandName: (c: SwitchCommand) => c.type,
      }),
    ).toThrow(/stateName returned "UNDEFINED", not one of switch's states/);
  });
});
