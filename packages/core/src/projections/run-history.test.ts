import { describe, expect, it } from "vitest";
import type { DomainEvent } from "../events/envelope.js";
import { project } from "./projection.js";
import { runHistory } from "./run-history.js";

const started = (runId: string): DomainEvent => ({
  type: "RunStarted",
  data: { runId, mode: "paper", account: "a", tradingDate: "2026-11-20", slot: "close" },
});
const completed = (runId: string, outcome: string): DomainEvent => ({
  type: "RunCompleted",
  data: { runId, outcome, ordersSubmitted: 0 },
});

describe("run history projection", () => {
  it("counts runs by outcome and keeps a crashed run open", () => {
    const history = project(runHistory, [
      started("paper:a:2026-11-19:close"),
      completed("paper:a:2026-11-19:close", "no_trade"),
      started("paper:a:2026-11-20:close"),
      { type: "SomethingElse", data: {} },
    ]);
    expect(history.started).toBe(2);
    expect(history.completed).toBe(1);
    expect(history.byOutcome.no_trade).toBe(1);
    expect([...history.open]).toEqual(["paper:a:2026-11-20:close"]);
    expect(history.lastCompleted).toEqual({
      runId: "paper:a:2026-11-19:close",
      outcome: "no_trade",
    });
  });

  it("gives each fold its own state, so two replays never share mutations", () => {
    const a = project(runHistory, [started("r1")]);
    const b = project(runHistory, [started("r2")]);
    expect([...a.open]).toEqual(["r1"]);
    expect([...b.open]).toEqual(["r2"]);
  });

  it("continues a fold from a saved state", () => {
    const first = project(runHistory, [started("r1")]);
    const resumed = project(runHistory, [completed("r1", "traded")], first);
    expect(resumed.open.size).toBe(0);
    expect(resumed.byOutcome.traded).toBe(1);
  });
});
