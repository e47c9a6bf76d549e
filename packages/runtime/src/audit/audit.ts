import {
  type AccountModel,
  type AccountState,
  type AccountStreamEvent,
  auditTimeline,
  dayActivity,
  describeGovernor,
  explainDay,
  formatCents,
  formatPercent,
  killSwitchStatus,
  positionViews,
  project,
  type WhyNoTrade,
} from "@trader/core";
import type { TypedEventStore, TypedRecordedEvent } from "@trader/store";
import { loadAccount } from "../account/account-journal.js";
import { dayStream, dayStreamPrefix, tradingDateOfStream } from "../account/streams.js";

export type AccountEvent = TypedRecordedEvent<AccountStreamEvent>;

/** The trading dates that have a day stream, oldest first. */
export async function recordedDays(
  store: TypedEventStore<AccountStreamEvent>,
  account: string,
): Promise<string[]> {
  const streams = await store.store.listStreams(dayStreamPrefix(account));
  return streams.map((stream) => tradingDateOfStream(account, stream)).sort();
}

export async function readDay(
  store: TypedEventStore<AccountStreamEvent>,
  account: string,
  date: string,
): Promise<AccountEvent[]> {
  const events: AccountEvent[] = [];
  for await (const event of store.readStream(dayStream(account, date))) events.push(event);
  return events;
}

/** The day `why`/`replay` default to: the latest recorded one. */
export async function latestDay(
  store: TypedEventStore<AccountStreamEvent>,
  account: string,
): Promise<string | null> {
  return (await recordedDays(store, account)).at(-1) ?? null;
}

export interface DayExplanation {
  readonly account: string;
  readonly date: string;
  readonly why: WhyNoTrade;
  /** The governor's and kill switch's words at the end of the day, for context. */
  readonly context: readonly string[];
}

/** Why the day traded or did not (SPEC §7), from the day's events alone. */
export async function explainRecordedDay(
  store: TypedEventStore<AccountStreamEvent>,
  model: AccountModel,
  account: string,
  date: string,
): Promise<DayExplanation> {
  const events = await readDay(store, account, date);
  const why = explainDay(project(dayActivity, events));
  const context: string[] = [];
  for (const event of events) {
    if (event.type === "ReconciliationRecorded" && event.data.status !== "PASS") {
      context.push(`reconciliation ${event.data.status}: ${event.data.message}`);
    }
    if (event.type === "KillSwitchActivated") {
      context.push(`kill switch (${event.data.level}) pulled: ${event.data.reason}`);
    }
    if (event.type === "GovernorHalted" || event.type === "GovernorPanicked") {
      context.push(
        `${event.type === "GovernorHalted" ? "HALT" : "PANIC"} entered: drawdown ${formatPercent(event.data.drawdown)}; cooldown ends ${event.data.cooldownEndsOn}`,
      );
    }
    // The governor's other moves explain the days around a cooldown's end (SPEC §2).
    if (event.type === "GovernorCooldownExtended") {
      context.push(
        `health checks failed (${event.data.failedChecks.join(", ")}): cooldown extended to ${event.data.cooldownEndsOn}`,
      );
    }
    if (event.type === "GovernorRampUpStarted") {
      context.push(`RAMPUP: sizing × ${event.data.sizing} until NORMAL on ${event.data.endsOn}`);
    }
    if (event.type === "GovernorNormalResumed") context.push("NORMAL resumed: sizing × 1");
  }
  void model;
  return { account, date, why, context };
}

/** The day's audit timeline: one line per event, in order. */
export async function replayDay(
  store: TypedEventStore<AccountStreamEvent>,
  account: string,
  date: string,
): Promise<string[]> {
  return auditTimeline(await readDay(store, account, date));
}

export interface AccountStatus {
  readonly account: string;
  readonly governor: { readonly status: string; readonly description: string };
  readonly killSwitch: {
    readonly status: string;
    readonly kills: readonly { scope: string; level: string; cause: string; reason: string }[];
  };
  readonly tradingBreaker: { readonly status: string };
  readonly brokerBreaker: { readonly status: string; readonly consecutiveFailures: number };
  readonly cashCents: number;
  readonly positions: readonly {
    symbol: string;
    quantity: number;
    averagePrice: number;
    strategy: string;
  }[];
  readonly lastRun: {
    readonly runId: string;
    readonly phase: string;
    readonly outcome: string | null;
  } | null;
  readonly pendingSignals: readonly {
    signalId: string;
    strategy: string;
    symbol: string;
    status: string;
  }[];
  readonly lastReconciliation: AccountState["lastReconciliation"];
}

/** `trader status`: every safety machine, the ledger, the last run and the pending signals. */
export async function accountStatus(
  store: TypedEventStore<AccountStreamEvent>,
  model: AccountModel,
  account: string,
): Promise<AccountStatus> {
  const { state } = await loadAccount(store, model, account);
  const runs = Object.entries(state.runs).sort((a, b) =>
    a[1].tradingDate === b[1].tradingDate
      ? a[0].localeCompare(b[0])
      : a[1].tradingDate < b[1].tradingDate
        ? -1
        : 1,
  );
  const last = runs.at(-1);
  return {
    account,
    governor: { status: state.governor.status, description: describeGovernor(state.governor) },
    killSwitch: {
      status: killSwitchStatus(state.killSwitch),
      kills: Object.values(state.killSwitch.active).map((kill) => ({
        scope: kill.scope.kind === "global" ? "global" : `strategy ${kill.scope.strategy}`,
        level: kill.level,
        cause: kill.cause,
        reason: kill.reason,
      })),
    },
    tradingBreaker: { status: state.tradingBreaker.status },
    brokerBreaker: {
      status: state.brokerBreaker.status,
      consecutiveFailures: state.brokerBreaker.consecutiveFailures,
    },
    cashCents: state.cashCents,
    positions: positionViews(state),
    lastRun: last ? { runId: last[0], phase: last[1].phase, outcome: last[1].outcome } : null,
    pendingSignals: Object.values(state.pendingSignals.signals).map((signal) => ({
      signalId: signal.signalId,
      strategy: signal.strategy,
      symbol: signal.symbol,
      status: signal.status,
    })),
    lastReconciliation: state.lastReconciliation,
  };
}

export function renderStatus(status: AccountStatus): string {
  const lines = [
    `account        ${status.account}`,
    `governor       ${status.governor.description}`,
    `kill switch    ${status.killSwitch.status}${status.killSwitch.kills.map((kill) => `\n                 - ${kill.scope} ${kill.level} (${kill.cause}): ${kill.reason}`).join("")}`,
    `trading breaker ${status.tradingBreaker.status}`,
    `broker breaker ${status.brokerBreaker.status}${status.brokerBreaker.consecutiveFailures > 0 ? ` (${status.brokerBreaker.consecutiveFailures} consecutive failures)` : ""}`,
    `reconciliation ${status.lastReconciliation ? `${status.lastReconciliation.status} at ${status.lastReconciliation.at}` : "never run"}`,
    `cash           ${formatCents(status.cashCents)}`,
    `positions      ${status.positions.length === 0 ? "none" : status.positions.length}`,
    ...status.positions.map(
      (position) =>
        `  ${position.symbol.padEnd(6)} ${String(position.quantity).padStart(8)} @ ${position.averagePrice.toFixed(2)}  (${position.strategy})`,
    ),
    `last run       ${status.lastRun ? `${status.lastRun.runId}: ${status.lastRun.outcome ?? status.lastRun.phase}` : "none"}`,
    `pending        ${status.pendingSignals.length === 0 ? "none" : status.pendingSignals.length}`,
    ...status.pendingSignals.map(
      (signal) => `  ${signal.symbol} (${signal.strategy}) ${signal.status} [${signal.signalId}]`,
    ),
  ];
  return lines.join("\n");
}
