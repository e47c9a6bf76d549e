import { describe, expect, it } from "vitest";
import { ALERT_RULES, type AlertSourceEvent, alertsFor } from "./alert-rules.js";
import { inactivityAlert, rejectionRateAlert } from "./condition-alerts.js";

const recorded = (type: string, data: unknown, eventId = "11111111-1111-5111-8111-111111111111") =>
  ({
    type,
    data,
    metadata: { eventId, occurredAt: "2026-03-03T20:50:00.000Z" },
    stream: "day-acct-2026-03-03",
    revision: 7,
  }) as unknown as AlertSourceEvent;

const context = { account: "acct" };
const slippage = (level: string) =>
  recorded("SlippageRecorded", {
    intentId: "0123456789abcdef",
    symbol: "SPY",
    side: "buy",
    expectedPrice: 450,
    fillPrice: 452.7,
    adverse: 0.006,
    level,
    message: "m",
  });

describe("alertsFor (SPEC §14, the runbook's alert types)", () => {
  it("a HALT is CRITICAL, names the drawdown, links the runbook, and a replay derives the same id", () => {
    const halt = recorded("GovernorHalted", {
      at: "2026-03-03T20:50:00.000Z",
      session: "2026-03-03",
      drawdown: 0.09,
      peak: 10_000_000,
      equity: 9_100_000,
      previousStatus: "NORMAL",
      cooldownEndsOn: "2026-03-13",
    });
    const [alert, ...rest] = alertsFor(halt, context);
    expect(rest).toEqual([]);
    expect(alert).toMatchObject({
      level: "CRITICAL",
      code: "governor_halt",
      account: "acct",
      at: "2026-03-03T20:50:00.000Z",
      source: { stream: "day-acct-2026-03-03", revision: 7, eventId: halt.metadata.eventId },
    });
    expect(alert?.message).toContain("9%");
    expect(alert?.message).toContain("docs/runbook.md#the-drawdown-governor");
    expect(alertsFor(halt, context)[0]?.id).toBe(alert?.id);
    const other = recorded("GovernorHalted", halt.data, "22222222-2222-5222-8222-222222222222");
    expect(alertsFor(other, context)[0]?.id).not.toBe(alert?.id);
  });

  it("slippage: ok nothing, warning and warning_alert WARNING, critical CRITICAL (the plan's vectors)", () => {
    expect(alertsFor(slippage("ok"), context)).toEqual([]);
    expect(alertsFor(slippage("warning"), context).map((a) => a.level)).toEqual(["WARNING"]);
    expect(alertsFor(slippage("warning_alert"), context).map((a) => a.level)).toEqual(["WARNING"]);
    expect(alertsFor(slippage("critical"), context).map((a) => a.code)).toEqual([
      "critical_slippage",
    ]);
  });

  it("reconciliation FAIL is CRITICAL, WARN is WARNING, PASS raises nothing", () => {
    const reconciliation = (status: string, severity: string) =>
      recorded("ReconciliationRecorded", {
        runId: "paper:acct:2026-03-03:close",
        at: "2026-03-03T20:50:00.000Z",
        status,
        severity,
        message: "cash differs by 3%",
        issues: [],
      });
    expect(alertsFor(reconciliation("FAIL", "CRITICAL"), context).map((a) => a.code)).toEqual([
      "reconciliation_failed",
    ]);
    expect(alertsFor(reconciliation("WARN", "WARNING"), context).map((a) => a.level)).toEqual([
      "WARNING",
    ]);
    expect(alertsFor(reconciliation("PASS", "INFO"), context)).toEqual([]);
  });

  it("a duplicate-intent kill is one duplicate_intent alert, any other kill is kill_switch_activated", () => {
    const kill = (cause: string) =>
      recorded("KillSwitchActivated", {
        killId: "k1",
        scope: { kind: "global" },
        cause,
        source: cause === "manual" ? "cli" : "automatic",
        level: "entries",
        operator: cause === "manual" ? "ana" : null,
        reason: "why",
        evidence: {},
        at: "2026-03-03T20:50:00.000Z",
      });
    expect(alertsFor(kill("duplicate_intent"), context).map((a) => a.code)).toEqual([
      "duplicate_intent",
    ]);
    expect(alertsFor(kill("manual"), context).map((a) => [a.level, a.code])).toEqual([
      ["CRITICAL", "kill_switch_activated"],
    ]);
  });

  it("run aborts: pre-flight and corporate action are CRITICAL; a reconciliation abort is not alerted twice", () => {
    const abort = (code: string) =>
      recorded("RunAborted", { runId: "r", code, message: "m", detail: {} });
    expect(alertsFor(abort("preflight_failed"), context).map((a) => a.code)).toEqual([
      "preflight_failed",
    ]);
    expect(alertsFor(abort("corporate_action"), context).map((a) => a.level)).toEqual(["CRITICAL"]);
    expect(alertsFor(abort("reconciliation_failed"), context)).toEqual([]);
  });

  it("data-quality stops and accepted partial fills are WARNING; a normal run is INFO", () => {
    const stop = (stage: string) =>
      recorded("SignalStopped", {
        signalId: "s",
        strategy: "st",
        symbol: "QQQ",
        stage,
        code: "stale",
        message: "m",
        detail: {},
        pending: false,
      });
    expect(alertsFor(stop("DATA_QUALITY"), context).map((a) => a.code)).toEqual([
      "data_quality_block",
    ]);
    expect(alertsFor(stop("RISK"), context)).toEqual([]);
    const partial = recorded("PartialFillHandled", {
      intentId: "0123456789abcdef",
      attempt: 3,
      filled: 60,
      ordered: 100,
      action: "accept_partial",
      clientOrderId: null,
    });
    expect(alertsFor(partial, context).map((a) => a.level)).toEqual(["WARNING"]);
    const done = recorded("RunCompleted", { runId: "r", outcome: "traded", ordersSubmitted: 2 });
    expect(alertsFor(done, context).map((a) => [a.level, a.code])).toEqual([
      ["INFO", "run_completed"],
    ]);
  });

  it("every rule links a runbook section", () => {
    for (const rule of ALERT_RULES) expect(rule.runbook).toMatch(/^docs\/runbook\.md#[a-z-]+$/);
  });
});

describe("condition alerts", () => {
  const input = {
    account: "acct",
    at: "2026-03-03T20:50:00.000Z",
    source: { stream: "day-acct-2026-03-03", revision: 9, eventId: "e" },
  };
  it("rejection rate: 5 of 6 stopped (83%) warns, 4 of 5 (80%) does not, 4 of 4 is too few", () => {
    expect(rejectionRateAlert(input, { raised: 6, stopped: 5 }).map((a) => a.level)).toEqual([
      "WARNING",
    ]);
    expect(rejectionRateAlert(input, { raised: 5, stopped: 4 })).toEqual([]);
    expect(rejectionRateAlert(input, { raised: 4, stopped: 4 })).toEqual([]);
  });
  it("inactivity: 8 days without an execution warns, 7 do not", () => {
    const facts = (lastExecutedOn: string) => ({
      date: "2026-03-10",
      lastExecutedOn,
      trackedSince: "2026-01-01",
    });
    expect(inactivityAlert(input, facts("2026-03-02")).map((a) => a.code)).toEqual([
      "no_execution",
    ]);
    expect(inactivityAlert(input, facts("2026-03-03"))).toEqual([]);
  });
});
