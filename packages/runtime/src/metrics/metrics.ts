/**
 * Prometheus metrics (issue #6) folded from an account's events: nothing is counted in memory
 * while trading, so a scrape after a restart says exactly what a scrape before it said.
 */
import {
  type AccountModel,
  type AccountStreamEvent,
  BROKER_BREAKER_STATUSES,
  GOVERNOR_STATUSES,
  INTENT_STATUSES,
  type IntentStatus,
  KILL_SWITCH_STATUSES,
  killSwitchStatus,
  parseIsoInstant,
  RUN_OUTCOMES,
  TRADING_BREAKER_STATUSES,
} from "@trader/core";
import type { EventStore } from "@trader/store";
import { Counter, Gauge, Registry } from "prom-client";
import { loadAccount, typedAccountStore } from "../account/account-journal.js";
import { dayStreamPrefix } from "../account/streams.js";

export interface MetricsSource {
  readonly store: EventStore;
  readonly model: AccountModel;
  readonly account: string;
}

/** Run outcomes that count as a successful run for `trader_last_successful_run_timestamp_seconds`. */
export const SUCCESSFUL_RUN_OUTCOMES = ["traded", "no_trade"] as const;

/** The metric names, for documentation and dashboards. */
export const METRIC_NAMES = [
  "trader_runs_total",
  "trader_orders_total",
  "trader_risk_blocks_total",
  "trader_governor_state",
  "trader_kill_switch_state",
  "trader_kill_switch_active_kills",
  "trader_trading_breaker_state",
  "trader_broker_breaker_state",
  "trader_last_successful_run_timestamp_seconds",
] as const;

interface EventTallies {
  /** The last outcome per run id: a run retried under its deterministic id counts once. */
  readonly runOutcomes: Map<string, string>;
  /** Every status each order intent has reached. */
  readonly intentStatuses: Map<string, Set<IntentStatus>>;
  /** Funnel stops by "stage\0reason". */
  readonly blocks: Map<string, number>;
  lastSuccessfulRunMs: number | null;
}

function tallyEvents(events: readonly AccountStreamEvent[]): EventTallies {
  const tallies: EventTallies = {
    runOutcomes: new Map(),
    intentStatuses: new Map(),
    blocks: new Map(),
    lastSuccessfulRunMs: null,
  };
  const targets = new Map<string, { target: number; filled: number }>();
  const reach = (intentId: string, status: IntentStatus) => {
    const reached = tallies.intentStatuses.get(intentId) ?? new Set<IntentStatus>();
    reached.add(status);
    tallies.intentStatuses.set(intentId, reached);
  };
  for (const event of events) {
    switch (event.type) {
      case "RunCompleted": {
        tallies.runOutcomes.set(event.data.runId, event.data.outcome);
        const occurredAt = (event as { metadata?: { occurredAt?: string } }).metadata?.occurredAt;
        if (
          occurredAt &&
          (SUCCESSFUL_RUN_OUTCOMES as readonly string[]).includes(event.data.outcome)
        ) {
          const ms = parseIsoInstant(occurredAt);
          tallies.lastSuccessfulRunMs = Math.max(tallies.lastSuccessfulRunMs ?? ms, ms);
        }
        break;
      }
      case "SignalStopped": {
        const key = `${event.data.stage}\0${event.data.code}`;
        tallies.blocks.set(key, (tallies.blocks.get(key) ?? 0) + 1);
        break;
      }
      case "IntentCreated":
        targets.set(event.data.intentId, { target: event.data.targetQuantity, filled: 0 });
        reach(event.data.intentId, "CREATED");
        break;
      case "IntentSubmitted":
        reach(event.data.intentId, "SUBMITTED");
        break;
      case "IntentOutcomeUnknown":
        reach(event.data.intentId, "UNKNOWN");
        break;
      case "IntentAcked":
        reach(event.data.intentId, "ACKED");
        break;
      case "IntentFillRecorded": {
        const order = targets.get(event.data.intentId);
        if (order) order.filled += event.data.quantity;
        reach(event.data.intentId, order && order.filled < order.target ? "PARTIAL" : "FILLED");
        break;
      }
      case "IntentRejected":
        reach(event.data.intentId, "REJECTED");
        break;
      case "IntentCanceled":
        reach(event.data.intentId, "CANCELED");
        break;
      case "IntentExpired":
        reach(event.data.intentId, "EXPIRED");
        break;
      default:
        break;
    }
  }
  return tallies;
}

async function readAccountEvents(source: MetricsSource): Promise<AccountStreamEvent[]> {
  const typed = typedAccountStore(source.store);
  const streams = (await source.store.listStreams(dayStreamPrefix(source.account))).sort();
  const events: AccountStreamEvent[] = [];
  for (const stream of streams) {
    for await (const event of typed.readStream(stream)) events.push(event);
  }
  return events;
}

/** One gauge series per state, 1 for the current one and 0 for the others. */
function setOneHot(gauge: Gauge<"state">, states: readonly string[], current: string): void {
  for (const state of states) gauge.set({ state }, state === current ? 1 : 0);
}

/**
 * A fresh prom-client Registry describing the account now: counters folded from every day
 * stream, gauges from the account's current state. Cheap enough to rebuild on each scrape.
 */
export async function metricsRegistry(source: MetricsSource): Promise<Registry> {
  const registry = new Registry();
  registry.setDefaultLabels({ account: source.account });
  const registers = [registry];
  const [events, { state }] = await Promise.all([
    readAccountEvents(source),
    loadAccount(typedAccountStore(source.store), source.model, source.account),
  ]);
  const tallies = tallyEvents(events);

  const runs = new Counter({
    name: "trader_runs_total",
    help: "Cycle runs by outcome (a retried run counts once).",
    labelNames: ["outcome"] as const,
    registers,
  });
  for (const outcome of RUN_OUTCOMES) runs.inc({ outcome }, 0);
  for (const outcome of tallies.runOutcomes.values()) runs.inc({ outcome });

  const orders = new Counter({
    name: "trader_orders_total",
    help: "Order intents that reached each status.",
    labelNames: ["status"] as const,
    registers,
  });
  for (const status of INTENT_STATUSES) orders.inc({ status }, 0);
  for (const reached of tallies.intentStatuses.values()) {
    for (const status of reached) orders.inc({ status });
  }

  const blocks = new Counter({
    name: "trader_risk_blocks_total",
    help: "Signals stopped in the funnel, by stage and reason code.",
    labelNames: ["stage", "reason"] as const,
    registers,
  });
  for (const [key, count] of tallies.blocks) {
    const [stage = "", reason = ""] = key.split("\0");
    blocks.inc({ stage, reason }, count);
  }

  const gauge = (name: string, help: string) =>
    new Gauge({ name, help, labelNames: ["state"] as const, registers });
  setOneHot(
    gauge("trader_governor_state", "Drawdown governor state (1 = current)."),
    GOVERNOR_STATUSES,
    state.governor.status,
  );
  setOneHot(
    gauge("trader_kill_switch_state", "Kill switch: the strictest active level (1 = current)."),
    KILL_SWITCH_STATUSES,
    killSwitchStatus(state.killSwitch),
  );
  new Gauge({
    name: "trader_kill_switch_active_kills",
    help: "Active kills (global and per strategy, manual and automatic).",
    registers,
  }).set(Object.keys(state.killSwitch.active).length);
  setOneHot(
    gauge("trader_trading_breaker_state", "Trading circuit breaker state (1 = current)."),
    TRADING_BREAKER_STATUSES,
    state.tradingBreaker.status,
  );
  setOneHot(
    gauge("trader_broker_breaker_state", "Broker call breaker state (1 = current)."),
    BROKER_BREAKER_STATUSES,
    state.brokerBreaker.status,
  );

  const lastRun = new Gauge({
    name: "trader_last_successful_run_timestamp_seconds",
    help: "Unix time of the last run that traded or decided not to trade (0: none yet).",
    registers,
  });
  lastRun.set(tallies.lastSuccessfulRunMs === null ? 0 : tallies.lastSuccessfulRunMs / 1000);
  return registry;
}

/** The Prometheus exposition text (`registry.contentType`) for the account. */
export async function collectMetrics(source: MetricsSource): Promise<string> {
  return (await metricsRegistry(source)).metrics();
}

/** The content type of the exposition text collectMetrics returns. */
export const METRICS_CONTENT_TYPE = new Registry().contentType;
