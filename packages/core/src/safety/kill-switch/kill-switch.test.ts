import { describe, expect, it } from "vitest";
import { fold } from "../../decider/decider.js";
import { createEventRegistry } from "../../events/registry.js";
import { fixedClock } from "../../ports/clock.js";
import { seededIds } from "../../ports/ids.js";
import { scenario } from "../../testing/scenario.js";
import { DEFAULT_KILL_SWITCH_CONFIG, killSwitchConfigSchema } from "./config.js";
import { configKillCommands } from "./config-kills.js";
import { createKillSwitch, type KillSwitchCommand } from "./decider.js";
import { KILL_SWITCH_EVENTS, type KillSwitchEvent, type ManualKillSource } from "./events.js";
import { effectiveKillLevel, killSwitchBlocks, killSwitchStatus } from "./state.js";

const killSwitch = createKillSwitch();
const AT = "2026-01-05T20:50:00.000Z";
const LATER = "2026-01-06T20:50:00.000Z";

type KillActivated = Extract<KillSwitchEvent, { type: "KillSwitchActivated" }>;

const globalManual = ({
  level = "entries",
  source = "cli",
  reason = "unexpected fills",
  at = AT,
}: Partial<Pick<KillActivated["data"], "level" | "reason" | "at">> & {
  source?: ManualKillSource;
} = {}): KillActivated => ({
  type: "KillSwitchActivated",
  data: {
    killId: `global/manual:${source}`,
    scope: { kind: "global" },
    cause: "manual",
    source,
    level,
    operator: "ana",
    reason,
    evidence: {},
    at,
  },
});

const strategyManual = (
  strategy: string,
  level: "entries" | "all" = "entries",
): KillSwitchEvent => ({
  type: "KillSwitchActivated",
  data: {
    killId: `strategy:${strategy}/manual:config`,
    scope: { kind: "strategy", strategy },
    cause: "manual",
    source: "config",
    level,
    operator: "config",
    reason: `STRATEGY_DISABLED_LIST includes ${strategy}`,
    evidence: {},
    at: AT,
  },
});

const reconciliationKill: KillSwitchEvent = {
  type: "KillSwitchActivated",
  data: {
    killId: "global/reconciliation_failure",
    scope: { kind: "global" },
    cause: "reconciliation_failure",
    source: "automatic",
    level: "entries",
    operator: null,
    reason: "reconciliation failed: TQQQ: broker 12, books 10",
    evidence: { summary: "TQQQ: broker 12, books 10" },
    at: AT,
  },
};

const orderOutcome = (n: number, outcome: "accepted" | "rejected"): KillSwitchEvent => ({
  type: "KillSwitchOrderOutcomeRecorded",
  data: { intentId: `intent-${n}`, outcome, at: AT },
});

const runOutcome = (day: number, outcome: "succeeded" | "failed"): KillSwitchEvent => ({
  type: "KillSwitchRunOutcomeRecorded",
  data: { runId: `live:acct:2026-01-0${day}:close`, outcome, at: AT },
});

const stateAfter = (events: readonly KillSwitchEvent[]) => fold(killSwitch, events);

describe("kill switch: manual kills (SPEC §3)", () => {
  it("TRADING_DISABLED, the CLI or the control API pull a global kill at level entries, recording who and why", () => {
    scenario(killSwitch)
      .when({
        type: "ActivateKill",
        scope: { kind: "global" },
        source: "cli",
        operator: "ana",
        reason: "unexpected fills",
        at: AT,
      })
      .thenEvents([globalManual()]);
  });

  it("refuses a manual kill or a reset without an operator or a reason", () => {
    const base = {
      type: "ActivateKill",
      scope: { kind: "global" },
      source: "cli",
      at: AT,
    } as const;
    scenario(killSwitch)
      .when({ ...base, operator: " ", reason: "x" })
      .thenRefused("missing_operator");
    scenario(killSwitch)
      .when({ ...base, operator: "ana", reason: "" })
      .thenRefused("missing_reason");
    scenario(killSwitch)
      .given([globalManual()])
      .when({ type: "ResetKill", scope: { kind: "global" }, operator: "", reason: "ok", at: LATER })
      .thenRefused("missing_operator");
    scenario(killSwitch)
      .given([globalManual()])
      .when({
        type: "ResetKill",
        scope: { kind: "global" },
        operator: "ana",
        reason: " ",
        at: LATER,
      })
      .thenRefused("missing_reason");
  });

  it("a per-strategy kill stops only that strategy, as strategy_disabled", () => {
    const state = stateAfter([strategyManual("ML Momentum")]);
    expect(
      killSwitchBlocks(state, { strategy: "ML Momentum", risk: "risk_increasing" }),
    ).toMatchObject({
      code: "strategy_disabled",
      level: "entries",
    });
    expect(killSwitchBlocks(state, { strategy: "Trend", risk: "risk_increasing" })).toBeNull();
  });

  it("level entries blocks new entries but lets exits through; level all blocks every order", () => {
    const entries = stateAfter([globalManual()]);
    expect(killSwitchBlocks(entries, { strategy: "s", risk: "risk_increasing" })?.code).toBe(
      "kill_switch",
    );
    expect(killSwitchBlocks(entries, { strategy: "s", risk: "risk_reducing" })).toBeNull();
    const all = stateAfter([globalManual({ level: "all" })]);
    expect(killSwitchBlocks(all, { strategy: "s", risk: "risk_reducing" })).toMatchObject({
      code: "kill_switch",
      level: "all",
    });
  });

  it("the emergency exit's kill at level all is expressible and stops exits too", () => {
    const outcome = scenario(killSwitch)
      .when({
        type: "ActivateKill",
        scope: { kind: "global" },
        level: "all",
        source: "emergency_exit",
        operator: "ana",
        reason: "emergency exit: flat",
        at: AT,
      })
      .thenEvents([
        globalManual({ level: "all", source: "emergency_exit", reason: "emergency exit: flat" }),
      ]);
    expect(killSwitchStatus(outcome.state)).toBe("ALL");
  });

  it("pulling an active kill again changes nothing; pulling it at level all raises it", () => {
    const pull = {
      type: "ActivateKill",
      scope: { kind: "global" },
      source: "cli",
      operator: "ana",
      reason: "unexpected fills",
      at: LATER,
    } as const;
    scenario(killSwitch).given([globalManual()]).when(pull).thenEvents([]);
    scenario(killSwitch)
      .given([globalManual({ level: "all" })])
      .when({ ...pull, level: "entries" })
      .thenEvents([]);
    const raised = scenario(killSwitch)
      .given([globalManual()])
      .when({ ...pull, level: "all" })
      .thenEvents([globalManual({ level: "all", at: LATER })]);
    expect(raised.state.active["global/manual:cli"]).toMatchObject({ level: "all", since: AT });
  });

  it("global and per-strategy kills coexist; a global reset leaves the strategy's kill in place", () => {
    const both = [globalManual(), strategyManual("beta", "all")];
    const state = stateAfter(both);
    expect(effectiveKillLevel(state, "beta")).toBe("all");
    expect(effectiveKillLevel(state, "alpha")).toBe("entries");
    // The global kill outranks the strategy's own in the reason.
    expect(killSwitchBlocks(state, { strategy: "beta", risk: "risk_increasing" })?.code).toBe(
      "kill_switch",
    );
    expect(killSwitchBlocks(state, { strategy: "beta", risk: "risk_reducing" })?.code).toBe(
      "strategy_disabled",
    );
    const after = scenario(killSwitch)
      .given(both)
      .when({
        type: "ResetKill",
        scope: { kind: "global" },
        operator: "ana",
        reason: "fixed",
        at: LATER,
      })
      .thenEvents([
        {
          type: "KillSwitchReset",
          data: {
            killId: "global/manual:cli",
            scope: { kind: "global" },
            cause: "manual",
            operator: "ana",
            reason: "fixed",
            at: LATER,
          },
        },
      ]);
    expect(effectiveKillLevel(after.state, "alpha")).toBeNull();
    expect(effectiveKillLevel(after.state, "beta")).toBe("all");
  });

  it("refuses a reset when no kill matches it", () => {
    scenario(killSwitch)
      .when({ type: "ResetKill", scope: { kind: "global" }, operator: "ana", reason: "x", at: AT })
      .thenRefused("no_active_kill");
  });
});

describe("kill switch: automatic kills (SPEC §3)", () => {
  it("runbook scenario 3: a failed reconciliation blocks new entries until a later reconciliation passes", () => {
    const failed = scenario(killSwitch)
      .when({
        type: "RecordReconciliation",
        passed: false,
        summary: "TQQQ: broker 12, books 10",
        at: AT,
      })
      .thenEvents([reconciliationKill]);
    expect(
      killSwitchBlocks(failed.state, { strategy: "s", risk: "risk_increasing" })?.message,
    ).toMatch(/reconciliation failure.*TQQQ: broker 12, books 10/);
    expect(killSwitchBlocks(failed.state, { strategy: "s", risk: "risk_reducing" })).toBeNull();
    const passed = scenario(killSwitch)
      .given([reconciliationKill])
      .when({ type: "RecordReconciliation", passed: true, summary: "", at: LATER })
      .thenEvents([
        {
          type: "KillSwitchCleared",
          data: {
            killId: "global/reconciliation_failure",
            cause: "reconciliation_failure",
            clearedBy: "reconciliation_passed",
            at: LATER,
          },
        },
      ]);
    expect(killSwitchStatus(passed.state)).toBe("INACTIVE");
  });

  it("a reconciliation kill cannot be reset by hand; a reset lifts the other kills beside it", () => {
    scenario(killSwitch)
      .given([reconciliationKill])
      .when({
        type: "ResetKill",
        scope: { kind: "global" },
        operator: "ana",
        reason: "x",
        at: LATER,
      })
      .thenRefused("reconciliation_kill_not_resettable", "reconciliation passes");
    const after = scenario(killSwitch)
      .given([reconciliationKill, globalManual()])
      .when({
        type: "ResetKill",
        scope: { kind: "global" },
        operator: "ana",
        reason: "x",
        at: LATER,
      });
    const { state } = after.thenEvents([
      {
        type: "KillSwitchReset",
        data: {
          killId: "global/manual:cli",
          scope: { kind: "global" },
          cause: "manual",
          operator: "ana",
          reason: "x",
          at: LATER,
        },
      },
    ]);
    expect(Object.keys(state.active)).toEqual(["global/reconciliation_failure"]);
  });

  it("a duplicate intent kills globally and needs a manual reset", () => {
    const duplicate: KillSwitchEvent = {
      type: "KillSwitchActivated",
      data: {
        killId: "global/duplicate_intent",
        scope: { kind: "global" },
        cause: "duplicate_intent",
        source: "automatic",
        level: "entries",
        operator: null,
        reason: "duplicate order intent 3f2a9c0d1e4b5a67 (strategy Trend): idempotency is broken",
        evidence: { intentId: "3f2a9c0d1e4b5a67", strategy: "Trend" },
        at: AT,
      },
    };
    scenario(killSwitch)
      .when({
        type: "RecordDuplicateIntent",
        intentId: "3f2a9c0d1e4b5a67",
        strategy: "Trend",
        at: AT,
      })
      .thenEvents([duplicate]);
    scenario(killSwitch)
      .given([duplicate])
      .when({ type: "RecordReconciliation", passed: true, summary: "", at: LATER })
      .thenEvents([]);
    scenario(killSwitch)
      .given([duplicate])
      .when({
        type: "ResetKill",
        scope: { kind: "global" },
        cause: "duplicate_intent",
        operator: "ana",
        reason: "idempotency fixed",
        at: LATER,
      })
      .thenEvents([
        {
          type: "KillSwitchReset",
          data: {
            killId: "global/duplicate_intent",
            scope: { kind: "global" },
            cause: "duplicate_intent",
            operator: "ana",
            reason: "idempotency fixed",
            at: LATER,
          },
        },
      ]);
  });

  it("5 of 9 recent orders rejected (> 50%, ≥ 5) trips the rejection kill", () => {
    const history = [1, 2, 3, 4].map((n) => orderOutcome(n, "accepted"));
    history.push(...[5, 6, 7, 8].map((n) => orderOutcome(n, "rejected")));
    const { events } = scenario(killSwitch)
      .given(history)
      .when({ type: "RecordOrderOutcome", intentId: "intent-9", outcome: "rejected", at: AT })
      .thenEvents([
        orderOutcome(9, "rejected"),
        {
          type: "KillSwitchActivated",
          data: {
            killId: "global/excessive_rejections",
            scope: { kind: "global" },
            cause: "excessive_rejections",
            source: "automatic",
            level: "entries",
            operator: null,
            reason:
              "5 of the last 9 orders rejected (56%; limit: more than 50% with at least 5 rejected)",
            evidence: { rejected: 5, orders: 9, rate: 5 / 9 },
            at: AT,
          },
        },
      ]);
    expect(events).toHaveLength(2);
  });

  it("exactly 50% rejected, or fewer than 5 rejected, does not trip it", () => {
    const fiveOfTen = [1, 2, 3, 4, 5].map((n) => orderOutcome(n, "accepted"));
    fiveOfTen.push(...[6, 7, 8, 9].map((n) => orderOutcome(n, "rejected")));
    scenario(killSwitch)
      .given(fiveOfTen)
      .when({ type: "RecordOrderOutcome", intentId: "intent-10", outcome: "rejected", at: AT })
      .thenEvents([orderOutcome(10, "rejected")]);
    scenario(killSwitch)
      .given([1, 2, 3].map((n) => orderOutcome(n, "rejected")))
      .when({ type: "RecordOrderOutcome", intentId: "intent-4", outcome: "rejected", at: AT })
      .thenEvents([orderOutcome(4, "rejected")]);
  });

  it("counts an order reported twice once", () => {
    scenario(killSwitch)
      .given([orderOutcome(1, "rejected")])
      .when({ type: "RecordOrderOutcome", intentId: "intent-1", outcome: "rejected", at: AT })
      .thenEvents([]);
  });

  it("the rejection window holds the last 20 orders: old rejections age out", () => {
    const history = [1, 2, 3, 4, 5, 6].map((n) => orderOutcome(n, "rejected"));
    history.push(...Array.from({ length: 14 }, (_, i) => orderOutcome(7 + i, "accepted")));
    const state = stateAfter(history);
    expect(state.recentOrders).toHaveLength(20);
    const next = stateAfter([...history, orderOutcome(21, "accepted")]);
    expect(next.recentOrders.filter((o) => o.outcome === "rejected")).toHaveLength(5);
  });

  it("resetting the rejection kill starts the count afresh", () => {
    const rejected = [1, 2, 3, 4, 5].map((n) => orderOutcome(n, "rejected"));
    const tripped = killSwitch.decide(
      { type: "RecordOrderOutcome", intentId: "intent-6", outcome: "rejected", at: AT },
      stateAfter(rejected),
    );
    expect(tripped.ok && tripped.events.map((e) => e.type)).toEqual([
      "KillSwitchOrderOutcomeRecorded",
      "KillSwitchActivated",
    ]);
    const history = [...rejected, ...(tripped.ok ? tripped.events : [])];
    const reset = scenario(killSwitch)
      .given(history)
      .when({
        type: "ResetKill",
        scope: { kind: "global" },
        operator: "ana",
        reason: "order logic fixed",
        at: LATER,
      });
    const { state } = reset.thenEvents([
      {
        type: "KillSwitchReset",
        data: {
          killId: "global/excessive_rejections",
          scope: { kind: "global" },
          cause: "excessive_rejections",
          operator: "ana",
          reason: "order logic fixed",
          at: LATER,
        },
      },
    ]);
    expect(state.recentOrders).toEqual([]);
  });

  it("3 failed runs in a row trip it; a successful run in between ends the streak", () => {
    scenario(killSwitch)
      .given([runOutcome(5, "failed"), runOutcome(6, "failed")])
      .when({
        type: "RecordRunOutcome",
        runId: "live:acct:2026-01-07:close",
        outcome: "failed",
        at: AT,
      })
      .thenEvents([
        runOutcome(7, "failed"),
        {
          type: "KillSwitchActivated",
          data: {
            killId: "global/consecutive_failed_runs",
            scope: { kind: "global" },
            cause: "consecutive_failed_runs",
            source: "automatic",
            level: "entries",
            operator: null,
            reason: "3 runs in a row failed (limit 3)",
            evidence: {
              failedRuns: 3,
              runIds:
                "live:acct:2026-01-05:close, live:acct:2026-01-06:close, live:acct:2026-01-07:close",
            },
            at: AT,
          },
        },
      ]);
    scenario(killSwitch)
      .given([runOutcome(5, "failed"), runOutcome(6, "succeeded"), runOutcome(7, "failed")])
      .when({
        type: "RecordRunOutcome",
        runId: "live:acct:2026-01-08:close",
        outcome: "failed",
        at: AT,
      })
      .thenEvents([runOutcome(8, "failed")]);
  });

  it("automatic kills use the configured level", () => {
    const strict = createKillSwitch({ config: { automaticLevel: "all" } });
    const decision = strict.decide(
      { type: "RecordDuplicateIntent", intentId: "i", strategy: "s", at: AT },
      strict.initialState,
    );
    const state = decision.ok ? fold(strict, decision.events) : strict.initialState;
    expect(killSwitchBlocks(state, { strategy: "s", risk: "risk_reducing" })?.level).toBe("all");
  });
});

describe("kill switch: config and events", () => {
  it("config kills follow TRADING_DISABLED and STRATEGY_DISABLED_LIST without touching other kills", () => {
    const pulled = configKillCommands(
      killSwitch.initialState,
      { tradingDisabled: true, strategyDisabledList: ["ML Momentum", ""] },
      AT,
    );
    expect(pulled.map((c) => [c.type, c.scope])).toEqual([
      ["ActivateKill", { kind: "global" }],
      ["ActivateKill", { kind: "strategy", strategy: "ML Momentum" }],
    ]);
    let state = killSwitch.initialState;
    const commands: KillSwitchCommand[] = [
      ...pulled,
      {
        type: "ActivateKill",
        scope: { kind: "global" },
        source: "cli",
        operator: "ana",
        reason: "watching",
        at: AT,
      },
    ];
    for (const command of commands) {
      const decision = killSwitch.decide(command, state);
      if (decision.ok) state = fold(killSwitch, decision.events, state);
    }
    expect(
      configKillCommands(
        state,
        { tradingDisabled: true, strategyDisabledList: ["ML Momentum"] },
        LATER,
      ),
    ).toEqual([]);
    const lifted = configKillCommands(
      state,
      { tradingDisabled: false, strategyDisabledList: [] },
      LATER,
    );
    for (const command of lifted) {
      const decision = killSwitch.decide(command, state);
      if (decision.ok) state = fold(killSwitch, decision.events, state);
    }
    expect(Object.keys(state.active)).toEqual(["global/manual:cli"]);
  });

  it("every event the switch decides passes its schema in the registry", () => {
    const registry = createEventRegistry(KILL_SWITCH_EVENTS);
    const stamped = registry.stamp(
      [globalManual(), reconciliationKill, orderOutcome(1, "rejected"), runOutcome(5, "failed")],
      {
        clock: fixedClock(AT),
        ids: seededIds("kill-switch"),
        runId: "live:acct:2026-01-05:close",
        mode: "live",
      },
    );
    expect(stamped.map((event) => event.type)).toEqual([
      "KillSwitchActivated",
      "KillSwitchActivated",
      "KillSwitchOrderOutcomeRecorded",
      "KillSwitchRunOutcomeRecorded",
    ]);
  });

  it("the config rejects a minimum of rejected orders larger than the window", () => {
    expect(DEFAULT_KILL_SWITCH_CONFIG).toEqual({
      defaultManualLevel: "entries",
      automaticLevel: "entries",
      rejectionWindowOrders: 20,
      minRejectedOrders: 5,
      maxRejectionRate: 0.5,
      maxConsecutiveFailedRuns: 3,
    });
    const parsed = killSwitchConfigSchema.safeParse({
      rejectionWindowOrders: 4,
      minRejectedOrders: 5,
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["minRejectedOrders"]);
  });

  it("refuses a command whose time is not an ISO-8601 UTC instant", () => {
    scenario(killSwitch)
      .when({ type: "RecordRunOutcome", runId: "r", outcome: "failed", at: "yesterday" })
      .thenRefused("invalid_timestamp");
  });
});
