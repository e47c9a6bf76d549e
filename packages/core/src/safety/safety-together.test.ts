import { describe, expect, it } from "vitest";
import { weekdayCalendar } from "../calendar/trading-calendar.js";
import { runCommands, runDecider } from "../decider/decider.js";
import { createGovernor } from "./governor/decider.js";
import { decisionTimeOf } from "./governor/testing.js";
import { duplicateIntentDetail, intentBook } from "./intents/decider.js";
import { createKillSwitch } from "./kill-switch/decider.js";
import { governorView } from "./precedence/governor-view.js";
import { decideOrderPermission } from "./precedence/precedence.js";
import { createTradingBreaker } from "./trading-breaker/decider.js";

// The machines as the runtime will wire them: one machine's refusal or state feeds another's
// command, and precedence reads all of them at once.
const calendar = weekdayCalendar(["2026-11-26"]);
const governor = createGovernor({ calendar });
const killSwitch = createKillSwitch({});
const tradingBreaker = createTradingBreaker({});
const entry = { strategy: "v3.5b", symbol: "TQQQ", risk: "risk_increasing" } as const;
const exit = { ...entry, risk: "risk_reducing" } as const;

describe("the safety machines together", () => {
  it("runbook scenario 1: $1,000 → $920 halts entries with the governor's reason, exits still pass", () => {
    const { state } = runCommands(governor, [
      {
        type: "ObserveEquity",
        at: decisionTimeOf("2026-11-11"),
        session: "2026-11-11",
        equity: 100_000,
        positions: [],
      },
      {
        type: "ObserveEquity",
        at: decisionTimeOf("2026-11-12"),
        session: "2026-11-12",
        equity: 92_000,
        positions: [],
      },
    ]);
    const safety = {
      killSwitch: killSwitch.initialState,
      tradingBreaker: tradingBreaker.initialState,
      governor: governorView(state),
    };
    const verdict = decideOrderPermission(safety, entry);
    expect(verdict.allowed).toBe(false);
    if (!verdict.allowed) {
      expect(verdict.reason.code).toBe("drawdown_halt");
      // 10 sessions from Nov 12, skipping the weekend and Thanksgiving.
      expect(verdict.reason.message).toBe(
        "HALT since 2026-11-12: drawdown 8%; cooldown ends 2026-11-27: new entries blocked",
      );
    }
    expect(decideOrderPermission(safety, exit)).toEqual({ allowed: true });
  });

  it("a duplicate intent is refused, trips the kill switch, and the kill outranks the governor", () => {
    const create = {
      type: "CreateIntent",
      at: "2026-11-20T20:50:00.000Z",
      runId: "live:acct-1:2026-11-20:close",
      strategy: "v3.5b",
      symbol: "TQQQ",
      side: "buy",
      targetQuantity: 12,
      timeBucket: "20261120_20",
    } as const;
    const first = runDecider(intentBook, intentBook.initialState, create);
    expect(first.ok).toBe(true);
    const second = runDecider(intentBook, first.state, create);
    expect(second.ok).toBe(false);
    const detail = second.ok ? null : duplicateIntentDetail(second.refusal);
    expect(detail).not.toBeNull();
    if (!detail) return;

    const killed = runDecider(killSwitch, killSwitch.initialState, {
      type: "RecordDuplicateIntent",
      intentId: detail.intentId,
      strategy: detail.strategy,
      at: detail.at,
    });
    const halted = runCommands(governor, [
      {
        type: "ObserveEquity",
        at: decisionTimeOf("2026-11-19"),
        session: "2026-11-19",
        equity: 100_000,
        positions: [],
      },
      {
        type: "ObserveEquity",
        at: decisionTimeOf("2026-11-20"),
        session: "2026-11-20",
        equity: 91_000,
        positions: [],
      },
    ]).state;
    const safety = {
      killSwitch: killed.state,
      tradingBreaker: tradingBreaker.initialState,
      governor: governorView(halted),
    };
    const verdict = decideOrderPermission(safety, entry);
    expect(
      verdict.allowed ? null : [verdict.reason.code, verdict.reason.detail.alsoBlockedBy],
    ).toEqual(["kill_switch", ["drawdown_halt"]]);
    // The automatic kill is at level `entries`: exits still go through.
    expect(decideOrderPermission(safety, exit)).toEqual({ allowed: true });
  });
});
