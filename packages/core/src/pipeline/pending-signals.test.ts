import { describe, expect, it } from "vitest";
import { weekdayCalendar } from "../calendar/trading-calendar.js";
import type { DomainEvent } from "../events/envelope.js";
import { steadyBars } from "../market/testing.js";
import { createPendingSignals } from "../safety/pending-signals/decider.js";
import type { PendingSignalsState } from "../safety/pending-signals/state.js";
import { SAFETY_AT_REST } from "../safety/precedence/at-rest.js";
import type { GovernorView } from "../safety/precedence/precedence.js";
import type { Strategy } from "../strategy/api.js";
import { runPipeline } from "./run-pipeline.js";

// SPEC §9: a signal stopped by risk waits as PENDING, is re-evaluated on each run for 3 sessions,
// then expires, or is executed when a later run lets it through.
const calendar = weekdayCalendar();
const decider = createPendingSignals({ calendar });
const history = { AAA: steadyBars(300, "2026-11-27", 100) };

/** Raises a 25% target for AAA on the first day only, like a one-off entry. */
const oneShot: Strategy = {
  name: "one-shot",
  universe: ["AAA"],
  historyBars: 250,
  params: {},
  decide: (snapshot) => ({
    regime: "steady",
    signals:
      snapshot.tradingDate === "2026-11-16"
        ? [{ kind: "target_weights", weights: { AAA: 0.25 }, confidence: 0.9 }]
        : [],
  }),
};

function runDay(date: string, state: PendingSignalsState, governor: GovernorView) {
  const bars = { AAA: history.AAA.filter((bar) => bar.date < date) };
  const result = runPipeline([oneShot], {
    runId: `paper:acct:${date}:close`,
    mode: "paper",
    tradingDate: date,
    at: `${date}T20:50:00.000Z`,
    history: bars,
    quotes: [{ symbol: "AAA", at: `${date}T20:50:00.000Z`, last: 100, source: "test" }],
    account: { cashCents: 10_000_000, positions: [], dayStartEquityCents: 10_000_000 },
    safety: { ...SAFETY_AT_REST, governor },
    sizingMultiplier: governor.status === "NORMAL" ? 1 : 0,
    pendingSignals: { decider, state },
  });
  const next = result.events
    .filter((event) => event.type.startsWith("PendingSignal"))
    .reduce((s, event) => decider.evolve(s, event as never), state);
  return { ...result, state: next };
}

const types = (events: DomainEvent[]) =>
  events.filter((e) => e.type.startsWith("PendingSignal")).map((e) => e.type);
const halted: GovernorView = { status: "HALT" };

describe("pending signals through the pipeline", () => {
  it("defers a risk-stopped signal, re-raises it on later runs, and expires it after 3 sessions", () => {
    let state = decider.initialState;
    const day1 = runDay("2026-11-16", state, halted);
    expect(types(day1.events)).toEqual(["PendingSignalDeferred"]);
    state = day1.state;
    const seen: string[][] = [];
    for (const date of ["2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20"]) {
      const day = runDay(date, state, halted);
      seen.push(types(day.events));
      state = day.state;
    }
    expect(seen).toEqual([
      ["PendingSignalStillBlocked"],
      ["PendingSignalStillBlocked"],
      ["PendingSignalStillBlocked"],
      ["PendingSignalExpired"],
    ]);
  });

  it("executes a pending signal once the block lifts, though the strategy did not raise it again", () => {
    const day1 = runDay("2026-11-16", decider.initialState, halted);
    const day2 = runDay("2026-11-17", day1.state, { status: "NORMAL" });
    expect(types(day2.events)).toEqual(["PendingSignalExecuted"]);
    expect(day2.orders.map(({ symbol, side }) => [symbol, side])).toEqual([["AAA", "buy"]]);
    const deferred = day1.events.find((e) => e.type === "PendingSignalDeferred");
    expect(day2.orders[0]?.signalId).toBe(
      (deferred?.data as { signalId?: string } | undefined)?.signalId,
    );
  });
});
