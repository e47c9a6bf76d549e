import fc from "fast-check";
import { describe, it } from "vitest";
import {
  createKillSwitch,
  effectiveKillLevel,
  KILL_SWITCH_TABLE,
  killSwitchBlocks,
  killSwitchStatus,
  runCommands,
} from "../index.js";
import {
  assertDeciderProperties,
  killSwitchCommand,
  killSwitchCommands,
} from "../testing/index.js";

const killSwitch = createKillSwitch({});

describe("my kill-switch rules", () => {
  it("never blocks an exit unless a kill at level `all` applies to the strategy", () => {
    fc.assert(
      fc.property(killSwitchCommands(), fc.constantFrom("alpha", "beta"), (commands, strategy) => {
        const { state } = runCommands(killSwitch, commands);
        const exitBlocked = killSwitchBlocks(state, { strategy, risk: "risk_reducing" }) !== null;
        return exitBlocked === (effectiveKillLevel(state, strategy) === "all");
      }),
    );
  });

  it("obeys its transition table and rebuilds from its own events", () => {
    assertDeciderProperties({
      decider: killSwitch,
      commands: killSwitchCommand(),
      table: KILL_SWITCH_TABLE,
      stateName: killSwitchStatus,
      commandName: (command) => command.type,
    });
  });
});
