import type { AccountStreamEvent } from "../account/account-model.js";
import { formatPercent } from "../format.js";
import { deterministicId } from "../hash.js";

/** The runbook's alert levels, most urgent first. */
export const ALERT_LEVELS = ["CRITICAL", "WARNING", "INFO"] as const;
export type AlertLevel = (typeof ALERT_LEVELS)[number];

/** Where the runbook explains what to do; every alert links one of these sections. */
export const RUNBOOK_SECTIONS = {
  emergency: "docs/runbook.md#emergency-procedures",
  crashedRun: "docs/runbook.md#a-crashed-or-interrupted-run",
  killSwitch: "docs/runbook.md#the-kill-switch",
  governor: "docs/runbook.md#the-drawdown-governor",
  reconciliation: "docs/runbook.md#reconciliation-failures",
  dataQuality: "docs/runbook.md#data-quality-blocks",
  reports: "docs/runbook.md#reading-why-status-and-validation-reports",
  slippage: "docs/runbook.md#slippage",
  execution: "docs/runbook.md#execution",
  health: "docs/runbook.md#health",
} as const;

/** The event an alert came from: its stream, its revision there, and its event id. */
export interface AlertSource {
  readonly stream: string;
  readonly revision: number;
  readonly eventId: string;
}

export interface Alert {
  /** Deterministic: from the source event id and the rule, so a replay derives the same id. */
  readonly id: string;
  readonly level: AlertLevel;
  /** The rule's code, e.g. `governor_halt`. */
  readonly code: string;
  readonly title: string;
  /** What happened and what to do, ending with the runbook section to read. */
  readonly message: string;
  readonly account: string;
  /** ISO-8601 UTC: when the source event happened. */
  readonly at: string;
  readonly source: AlertSource;
  /** An HTML rendering for channels that can show one (the daily digest). */
  readonly html?: string;
}

/** A recorded account event as the alert rules read it. */
export type AlertSourceEvent = AccountStreamEvent & {
  readonly metadata: { readonly eventId: string; readonly occurredAt: string };
  readonly stream: string;
  readonly revision: number;
};

export interface AlertContext {
  /** The account whose day stream holds the event. */
  readonly account: string;
}

/** What one rule found: the alert's text; the id, account, time and source are filled in. */
export interface AlertFinding {
  readonly title: string;
  readonly what: string;
  readonly todo: string;
}

type EventOfType<T extends AccountStreamEvent["type"]> = Extract<AccountStreamEvent, { type: T }>;

/** One mapping from an event type to an alert, exported as data so docs and tests can list them. */
export interface AlertRule<T extends AccountStreamEvent["type"] = AccountStreamEvent["type"]> {
  readonly code: string;
  readonly level: AlertLevel;
  readonly eventType: T;
  /** When the rule fires, in words (the docs' table). */
  readonly when: string;
  readonly runbook: string;
  /** The finding, or null when this event does not match the rule. */
  readonly match: (data: EventOfType<T>["data"]) => AlertFinding | null;
}

function rule<T extends AccountStreamEvent["type"]>(definition: AlertRule<T>): AlertRule {
  return definition as unknown as AlertRule;
}

const percent = (fraction: number) => formatPercent(fraction);

/** Every event-derived alert (SPEC §14, the runbook's "Alert Types"). */
export const ALERT_RULES: readonly AlertRule[] = [
  rule({
    code: "governor_halt",
    level: "CRITICAL",
    eventType: "GovernorHalted",
    when: "drawdown reached the halt threshold (8% by default): the governor is in HALT",
    runbook: RUNBOOK_SECTIONS.governor,
    match: (data) => ({
      title: "Drawdown HALT",
      what: `drawdown ${percent(data.drawdown)} from the peak put the governor in HALT on ${data.session}; new entries stop until ${data.cooldownEndsOn}`,
      todo: "exits still go through; check positions and the equity curve, do not override unless you know why the drawdown happened",
    }),
  }),
  rule({
    code: "governor_panic",
    level: "CRITICAL",
    eventType: "GovernorPanicked",
    when: "drawdown reached the panic threshold (10% by default): the governor is in PANIC",
    runbook: RUNBOOK_SECTIONS.governor,
    match: (data) => ({
      title: "Drawdown PANIC",
      what: `drawdown ${percent(data.drawdown)} from the peak put the governor in PANIC on ${data.session}; positions are flattened (unless configured off) and entries stop until ${data.cooldownEndsOn}`,
      todo: "confirm the account is flat at the broker (`trader status`), then investigate before any override",
    }),
  }),
  rule({
    code: "reconciliation_failed",
    level: "CRITICAL",
    eventType: "ReconciliationRecorded",
    when: "reconciliation status FAIL (or CRITICAL severity): the broker and the projection disagree",
    runbook: RUNBOOK_SECTIONS.reconciliation,
    match: (data) =>
      data.status === "FAIL" || data.severity === "CRITICAL"
        ? {
            title: "Reconciliation failed",
            what: `reconciliation ${data.status}: ${data.message}; no trading until it passes`,
            todo: "compare the broker's positions with `trader status`; if the broker is right, adopt its state with `trader sync --force`",
          }
        : null,
  }),
  rule({
    code: "reconciliation_drift",
    level: "WARNING",
    eventType: "ReconciliationRecorded",
    when: "reconciliation status WARN (drift 2–5%)",
    runbook: RUNBOOK_SECTIONS.reconciliation,
    match: (data) =>
      data.status === "WARN" && data.severity !== "CRITICAL"
        ? {
            title: "Reconciliation drift",
            what: `reconciliation WARN: ${data.message}`,
            todo: "trading continues; check the broker's positions against `trader status` before the next run",
          }
        : null,
  }),
  rule({
    code: "duplicate_intent",
    level: "CRITICAL",
    eventType: "KillSwitchActivated",
    when: "the same order intent was created twice: the kill switch stopped trading",
    runbook: RUNBOOK_SECTIONS.killSwitch,
    match: (data) =>
      data.cause === "duplicate_intent"
        ? {
            title: "Duplicate order intent",
            what: `a duplicate order intent was detected (${data.reason}); the kill switch is active at level ${data.level}`,
            todo: "check the broker for double orders, find the cause in `trader replay`, then `trader reset` with a reason",
          }
        : null,
  }),
  rule({
    code: "kill_switch_activated",
    level: "CRITICAL",
    eventType: "KillSwitchActivated",
    when: "a kill switch became active (manual, reconciliation failure, rejections, failed runs)",
    runbook: RUNBOOK_SECTIONS.killSwitch,
    match: (data) =>
      data.cause === "duplicate_intent"
        ? null
        : {
            title: "Kill switch activated",
            what: `kill switch activated (${data.cause}, from ${data.source}${data.operator ? ` by ${data.operator}` : ""}, level ${data.level}, ${data.scope.kind === "global" ? "all strategies" : `strategy ${data.scope.strategy}`}): ${data.reason}`,
            todo: "new entries are blocked; fix the cause, then `trader reset --operator <you> --reason <why>`",
          },
  }),
  rule({
    code: "critical_slippage",
    level: "CRITICAL",
    eventType: "SlippageRecorded",
    when: "adverse slippage above 1.0%: the run's remaining orders are aborted",
    runbook: RUNBOOK_SECTIONS.slippage,
    match: (data) =>
      data.level === "critical"
        ? {
            title: `Critical slippage on ${data.symbol}`,
            what: `${data.side} ${data.symbol} filled at ${data.fillPrice} against ${data.expectedPrice} expected (${percent(data.adverse)} adverse); the run's remaining orders were aborted`,
            todo: "check the market and the broker's fills before the next run",
          }
        : null,
  }),
  rule({
    code: "moderate_slippage",
    level: "WARNING",
    eventType: "SlippageRecorded",
    when: "adverse slippage above 0.3% (warning) or above 0.5% (warning with alert)",
    runbook: RUNBOOK_SECTIONS.slippage,
    match: (data) =>
      data.level === "warning" || data.level === "warning_alert"
        ? {
            title: `Slippage on ${data.symbol}`,
            what: `${data.side} ${data.symbol} filled at ${data.fillPrice} against ${data.expectedPrice} expected (${percent(data.adverse)} adverse)`,
            todo: "the order was allowed; if it repeats, review order timing and liquidity",
          }
        : null,
  }),
  rule({
    code: "preflight_failed",
    level: "CRITICAL",
    eventType: "RunAborted",
    when: "a pre-flight check failed: no trade today",
    runbook: RUNBOOK_SECTIONS.crashedRun,
    match: (data) =>
      data.code === "preflight_failed"
        ? {
            title: "Pre-flight failed",
            what: `the run stopped before deciding: ${data.message}`,
            todo: "fix the failed check (disk, store, broker), then run again with `trader run`; better to miss a day than to trade wrong",
          }
        : null,
  }),
  rule({
    code: "corporate_action",
    level: "CRITICAL",
    eventType: "RunAborted",
    when: "a split-like jump in the bars: the run was aborted",
    runbook: RUNBOOK_SECTIONS.dataQuality,
    match: (data) =>
      data.code === "corporate_action"
        ? {
            title: "Corporate action suspected",
            what: `the run was aborted: ${data.message}`,
            todo: "adjust the price history for the split or dividend, then run again",
          }
        : null,
  }),
  rule({
    code: "run_aborted",
    level: "CRITICAL",
    eventType: "RunAborted",
    when: "any other run abort (quotes disagree, broker unavailable, unresolved intents)",
    runbook: RUNBOOK_SECTIONS.crashedRun,
    // Reconciliation failures already alert from ReconciliationRecorded; one incident, one alert.
    match: (data) =>
      ["preflight_failed", "corporate_action", "reconciliation_failed"].includes(data.code)
        ? null
        : {
            title: `Run aborted (${data.code})`,
            what: `the run was aborted: ${data.message}`,
            todo: "read `trader why` for the day and fix the cause before the next run",
          },
  }),
  rule({
    code: "data_quality_block",
    level: "WARNING",
    eventType: "SignalStopped",
    when: "a signal was stopped by the data-quality gate",
    runbook: RUNBOOK_SECTIONS.dataQuality,
    match: (data) =>
      data.stage === "DATA_QUALITY"
        ? {
            title: `Data-quality block on ${data.symbol}`,
            what: `${data.strategy}'s signal for ${data.symbol} was blocked by the data-quality gate (${data.code}): ${data.message}`,
            todo: "check the symbol's recent bars and the data source; the symbol trades again once its data is good",
          }
        : null,
  }),
  rule({
    code: "partial_fill_accepted",
    level: "WARNING",
    eventType: "PartialFillHandled",
    when: "a partial fill was accepted after the retries for the remainder",
    runbook: RUNBOOK_SECTIONS.execution,
    match: (data) =>
      data.action === "accept_partial"
        ? {
            title: "Partial fill accepted",
            what: `intent ${data.intentId} filled ${data.filled} of ${data.ordered} shares after ${data.attempt} attempt(s); the rest was given up`,
            todo: "the position is smaller than planned; the next run re-targets it",
          }
        : null,
  }),
  rule({
    code: "strategy_failed",
    level: "WARNING",
    eventType: "StrategyFailed",
    when: "a strategy threw or returned a malformed signal",
    runbook: RUNBOOK_SECTIONS.reports,
    match: (data) => ({
      title: `Strategy ${data.strategy} failed`,
      what: `${data.strategy} ${data.kind === "threw" ? "threw" : "returned a malformed signal"}: ${data.message}; the other strategies still ran`,
      todo: "fix the strategy's code or configuration; `trader why` shows the day",
    }),
  }),
  rule({
    code: "run_failed",
    level: "WARNING",
    eventType: "RunCompleted",
    when: "a run ended with outcome `failed`",
    runbook: RUNBOOK_SECTIONS.crashedRun,
    match: (data) =>
      data.outcome === "failed"
        ? {
            title: "Run failed",
            what: `run ${data.runId} failed after submitting ${data.ordersSubmitted} order(s)`,
            todo: "run `trader why` and `trader status`; three failed runs in a row activate the kill switch",
          }
        : null,
  }),
  rule({
    code: "run_completed",
    level: "INFO",
    eventType: "RunCompleted",
    when: "a run ended normally (traded, no trade, or market closed)",
    runbook: RUNBOOK_SECTIONS.reports,
    match: (data) =>
      data.outcome === "traded" || data.outcome === "no_trade" || data.outcome === "market_closed"
        ? {
            title: `Run completed (${data.outcome})`,
            what: `run ${data.runId} completed: ${data.outcome}, ${data.ordersSubmitted} order(s) submitted`,
            todo: "nothing to do",
          }
        : null,
  }),
];

const rulesByType = new Map<string, AlertRule[]>();
for (const alertRule of ALERT_RULES) {
  const list = rulesByType.get(alertRule.eventType) ?? [];
  list.push(alertRule);
  rulesByType.set(alertRule.eventType, list);
}

/** The deterministic id of the alert a rule derives from an event (a replay derives the same). */
export function alertId(sourceEventId: string, code: string): string {
  return deterministicId(["alert", sourceEventId, code]);
}

/** The message of an alert: what happened, what to do, and where the runbook explains it. */
export function alertMessage(finding: AlertFinding, runbook: string): string {
  return `${finding.what}. What to do: ${finding.todo}. See ${runbook}.`;
}

/**
 * The alerts one recorded account event gives (zero or more), with the runbook's levels. Pure:
 * the same event always gives the same alerts, ids included.
 */
export function alertsFor(event: AlertSourceEvent, context: AlertContext): Alert[] {
  const rules = rulesByType.get(event.type);
  if (!rules) return [];
  const alerts: Alert[] = [];
  for (const alertRule of rules) {
    const finding = alertRule.match(event.data as never);
    if (!finding) continue;
    alerts.push({
      id: alertId(event.metadata.eventId, alertRule.code),
      level: alertRule.level,
      code: alertRule.code,
      title: finding.title,
      message: alertMessage(finding, alertRule.runbook),
      account: context.account,
      at: event.metadata.occurredAt,
      source: { stream: event.stream, revision: event.revision, eventId: event.metadata.eventId },
    });
  }
  return alerts;
}
