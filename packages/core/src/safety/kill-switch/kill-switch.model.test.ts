import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fold } from "../../decider/decider.js";
import { deepEqual } from "../../testing/deep-equal.js";
import { assertDeciderProperties } from "../../testing/properties.js";
import { type KillSwitchConfig, killSwitchConfigSchema } from "./config.js";
import { createKillSwitch, type KillSwitchCommand, type KillSwitchDecider } from "./decider.js";
import type { KillScope, KillSwitchEvent } from "./events.js";
import { type KillSwitchState, killSwitchBlocks, killSwitchStatus } from "./state.js";
import { KILL_SWITCH_TABLE } from "./table.js";
import {
  KILL_SWITCH_TEST_STRATEGIES,
  killSwitchCommand,
  killSwitchCommandBody,
  killSwitchCommands,
} from "./testing.js";

const STRATEGIES = [...KILL_SWITCH_TEST_STRATEGIES, "gamma"];

/** No strategy may add risk under an applying kill; exits pass unless a kill is at level all. */
const blocksExactlyUnderKills = (state: KillSwitchState): string | null => {
  for (const strategy of STRATEGIES) {
    const applying = Object.values(state.active).filter(
      (kill) => kill.scope.kind === "global" || kill.scope.strategy === strategy,
    );
    const increasing = killSwitchBlocks(state, { strategy, risk: "risk_increasing" });
    const reducing = killSwitchBlocks(state, { strategy, risk: "risk_reducing" });
    if (applying.length > 0 && !increasing) return `${strategy} may add risk under a kill`;
    if (applying.length === 0 && increasing) return `${strategy} is blocked with no kill`;
    if (applying.some((kill) => kill.level === "all") !== (reducing !== null)) {
      return `${strategy}: exits blocked ${reducing !== null} but a kill at level all is ${applying.some((kill) => kill.level === "all")}`;
    }
  }
  return null;
};

describe("kill switch properties", () => {
  for (const automaticLevel of ["entries", "all"] as const) {
    it(`obeys its table, keeps its invariants and rebuilds from its events (automatic level ${automaticLevel})`, () => {
      assertDeciderProperties({
        decider: createKillSwitch({ config: { automaticLevel } }),
        commands: killSwitchCommand(),
        table: KILL_SWITCH_TABLE,
        stateName: killSwitchStatus,
        commandName: (command) => command.type,
        invariants: [blocksExactlyUnderKills],
        parameters: { numRuns: 150 },
      });
    });
  }
});

// A reference model written plainly from SPEC §3: which kills are active, at which level.
type Level = "entries" | "all";
interface Model {
  kills: Map<string, Level>;
  orders: { id: string; rejected: boolean }[];
  failedRuns: number;
}
interface Real {
  state: KillSwitchState;
  events: KillSwitchEvent[];
  at: number;
}

const rank = (level: Level) => (level === "all" ? 2 : 1);
const raise = (model: Model, key: string, level: Level) => {
  const current = model.kills.get(key);
  if (!current || rank(current) < rank(level)) model.kills.set(key, level);
};
const blank = (text: string) => text.trim() === "";

/** Applies a command to the model; false when the switch must refuse it. */
function applyToModel(model: Model, command: KillSwitchCommand, config: KillSwitchConfig): boolean {
  const scopeKey = ({ scope }: { scope: KillScope }) =>
    scope.kind === "global" ? "global" : `strategy:${scope.strategy}`;
  switch (command.type) {
    case "ActivateKill":
      if (blank(command.operator) || blank(command.reason)) return false;
      raise(model, `${scopeKey(command)}/manual:${command.source}`, command.level ?? "entries");
      return true;
    case "ResetKill": {
      if (blank(command.operator) || blank(command.reason)) return false;
      const prefix = `${scopeKey(command)}/`;
      const matching = [...model.kills.keys()].filter((key) => {
        if (!key.startsWith(prefix)) return false;
        const rest = key.slice(prefix.length);
        const cause = rest.startsWith("manual:") ? "manual" : rest;
        const source = rest.startsWith("manual:") ? rest.slice("manual:".length) : "automatic";
        return (
          !rest.includes("/") &&
          (command.cause === undefined || cause === command.cause) &&
          (command.source === undefined || source === command.source)
        );
      });
      const resettable = matching.filter((key) => !key.endsWith("/reconciliation_failure"));
      if (resettable.length === 0) return false;
      for (const key of resettable) {
        model.kills.delete(key);
        if (key.endsWith("/excessive_rejections")) model.orders = [];
        if (key.endsWith("/consecutive_failed_runs")) model.failedRuns = 0;
      }
      return true;
    }
    case "RecordReconciliation":
      if (command.passed) model.kills.delete("global/reconciliation_failure");
      else raise(model, "global/reconciliation_failure", config.automaticLevel);
      return true;
    case "RecordDuplicateIntent":
      raise(model, "global/duplicate_intent", config.automaticLevel);
      return true;
    case "RecordOrderOutcome": {
      if (model.orders.some((order) => order.id === command.intentId)) return true;
      model.orders = [
        ...model.orders,
        { id: command.intentId, rejected: command.outcome === "rejected" },
      ].slice(-20);
      const rejected = model.orders.filter((order) => order.rejected).length;
      if (rejected >= 5 && rejected * 2 > model.orders.length) {
        raise(model, "global/excessive_rejections", config.automaticLevel);
      }
      return true;
    }
    case "RecordRunOutcome":
      model.failedRuns = command.outcome === "failed" ? model.failedRuns + 1 : 0;
      if (model.failedRuns >= 3)
        raise(model, "global/consecutive_failed_runs", config.automaticLevel);
      return true;
  }
}

class KillSwitchStep implements fc.Command<Model, Real> {
  constructor(
    private readonly decider: KillSwitchDecider,
    private readonly config: KillSwitchConfig,
    private readonly body: Omit<KillSwitchCommand, "at">,
    private readonly advanceSeconds: number,
  ) {}
  check = () => true;
  run(model: Model, real: Real): void {
    real.at += this.advanceSeconds * 1000;
    const command = { ...this.body, at: new Date(real.at).toISOString() } as KillSwitchCommand;
    const decision = this.decider.decide(command, real.state);
    const expectAccepted = applyToModel(model, command, this.config);
    expect(decision.ok, `accepted ${JSON.stringify(command)}`).toBe(expectAccepted);
    if (decision.ok) {
      real.events.push(...decision.events);
      real.state = fold(this.decider, decision.events, real.state);
    }
    const levels = Object.fromEntries(
      Object.values(real.state.active).map((kill) => [kill.killId, kill.level]),
    );
    expect(levels).toEqual(Object.fromEntries(model.kills));
    expect(real.state.consecutiveFailedRunIds).toHaveLength(model.failedRuns);
    expect(blocksExactlyUnderKills(real.state)).toBeNull();
    // Rebuilding from every event emitted so far gives the live state.
    expect(deepEqual(fold(this.decider, real.events), real.state)).toBe(true);
  }
  toString = () => `${JSON.stringify(this.body)} +${this.advanceSeconds}s`;
}

describe("kill switch against a reference model", () => {
  for (const automaticLevel of ["entries", "all"] as const) {
    it(`agrees with the model on every active kill and every block (automatic level ${automaticLevel})`, () => {
      const config = killSwitchConfigSchema.parse({ automaticLevel });
      const decider = createKillSwitch({ config });
      const step = (body: fc.Arbitrary<Omit<KillSwitchCommand, "at">>) =>
        fc
          .tuple(body, fc.integer({ min: 0, max: 3_600 }))
          .map(([command, seconds]) => new KillSwitchStep(decider, config, command, seconds));
      // Many distinct orders and plain resets walk the rejection rate across its limit.
      const orderStorm = fc.oneof(
        {
          weight: 8,
          arbitrary: fc.record({
            type: fc.constant("RecordOrderOutcome" as const),
            intentId: fc.integer({ min: 1, max: 10_000 }).map((n) => `order-${n}`),
            outcome: fc.constantFrom("accepted" as const, "rejected" as const),
          }),
        },
        fc.constant({
          type: "ResetKill" as const,
          scope: { kind: "global" as const },
          operator: "ana",
          reason: "reviewed",
        }),
      );
      fc.assert(
        fc.property(
          fc.commands([step(killSwitchCommandBody()), step(orderStorm)], {
            maxCommands: 80,
            size: "max",
          }),
          (commands) => {
            fc.modelRun(
              () => ({
                model: { kills: new Map(), orders: [], failedRuns: 0 },
                real: {
                  state: decider.initialState,
                  events: [],
                  at: Date.parse("2026-01-05T20:50:00Z"),
                },
              }),
              commands,
            );
          },
        ),
        { numRuns: 60 },
      );
    });
  }

  it("the exported sequence arbitrary yields non-decreasing times", () => {
    fc.assert(
      fc.property(killSwitchCommands(), (commands) =>
        commands.every((command, i) => i === 0 || (commands[i - 1]?.at ?? "") <= command.at),
      ),
      { numRuns: 50 },
    );
  });
});
