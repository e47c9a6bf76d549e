import { type Broker, withCallBreaker } from "@trader/brokers";
import {
  type AccountModel,
  type AccountState,
  type AccountStreamEvent,
  type BrokerBreakerConfigInput,
  type Clock,
  compactAccountState,
  type DomainEvent,
  formatRunId,
  type Mode,
  type PipelineConfig,
  type ReconciliationConfig,
  runPipeline,
  type SlippageConfig,
  type Strategy,
  type TradingCalendar,
} from "@trader/core";
import type { EventStore, TypedEventStore } from "@trader/store";
import { AccountJournal, loadAccount, typedAccountStore } from "../account/account-journal.js";
import { type RecordedInputs, readRecordedRun } from "../account/recorded-runs.js";
import { dayStream } from "../account/streams.js";
import { abortRemaining, executeOrders } from "./execution.js";
import { flattenRequestedPositions } from "./flatten.js";
import { gatherInputs, recordedWindow } from "./gather-inputs.js";
import type { MarketSource } from "./market-source.js";
import { pipelineInputsFor } from "./pipeline-inputs.js";
import type { PreflightProbe } from "./preflight.js";
import { recoverIntents } from "./recovery.js";

/** What a cycle is configured by (derived from the effective config). */
export interface CycleSettings {
  readonly pipeline: PipelineConfig;
  readonly reconciliation: ReconciliationConfig;
  readonly reconciliationEnabled: boolean;
  readonly slippage: SlippageConfig;
  readonly partialFillRetries: number;
  /** The broker call breaker's numbers (SPEC §5); the account model's breaker uses the same. */
  readonly brokerBreaker?: BrokerBreakerConfigInput;
  readonly tradingDisabled: boolean;
  readonly strategyDisabledList: readonly string[];
  /** The effective config, recorded with the first run that uses it (SPEC §15). */
  readonly effectiveConfig: Readonly<Record<string, unknown>>;
}

/** The ports a cycle runs against; the mode only changes which adapters are passed in. */
export interface CycleEnvironment {
  readonly store: EventStore;
  readonly model: AccountModel;
  readonly calendar: TradingCalendar;
  readonly broker: Broker;
  readonly market: MarketSource;
  readonly clock: Clock;
  readonly strategies: readonly Strategy[];
  readonly settings: CycleSettings;
  readonly log?: (line: string) => void;
  /** Pre-flight checks beyond the session and the broker read (live, paper, dry-run; not backtests). */
  readonly preflight?: PreflightProbe;
}

export interface CycleRequest {
  readonly mode: Mode;
  readonly account: string;
  readonly tradingDate: string;
  /** Which run of the day; the daily decision is "close". */
  readonly slot?: string;
  /** Append the end-of-day snapshot after the run (the day's last run). */
  readonly endOfDay?: boolean;
  /**
   * Stop once the decision is recorded (the schedule's decision step at close − 10 min); the
   * same run id again later resumes and sends the orders (the orders step at close − 5 min).
   */
  readonly stopAfterDecision?: boolean;
}

export type CycleOutcome = "traded" | "no_trade" | "market_closed" | "preflight_failed" | "failed";

export interface CycleReport {
  readonly runId: string;
  /**
   * `already_done`: the run had completed before; nothing was done again. `decided`: stopped
   * after the decision as asked (`stopAfterDecision`); the outcome is provisional.
   */
  readonly status: "completed" | "already_done" | "decided";
  readonly outcome: CycleOutcome;
  readonly ordersSubmitted: number;
  readonly fills: number;
  /** The run picked up where a crashed attempt stopped. */
  readonly resumed: boolean;
  readonly state: AccountState;
}

/** The run must not start (it would decide from a state later than its trading date). */
export class CycleAbortedError extends Error {
  override readonly name = "CycleAbortedError";
}

/**
 * One decision cycle (SPEC §1, §10; DESIGN): record the inputs, recover, reconcile, decide,
 * execute, each step appended before its effect. Idempotent by run id: a completed run is
 * reported as already done; a crashed one resumes from what it recorded and never sends an order
 * twice.
 */
export async function runCycle(env: CycleEnvironment, request: CycleRequest): Promise<CycleReport> {
  const log = env.log ?? (() => {});
  const slot = request.slot ?? "close";
  const runId = formatRunId({
    mode: request.mode,
    account: request.account,
    tradingDate: request.tradingDate,
    slot,
  });
  const store = typedAccountStore(env.store);
  const loaded = await loadAccount(store, env.model, request.account);
  // The day stream is the record of whether this run completed (the state's run list is
  // compacted at each day's end, so it only remembers recent runs).
  const completed = await completedRun(
    store,
    dayStream(request.account, request.tradingDate),
    runId,
  );
  if (completed) {
    if (
      request.endOfDay &&
      !completed.snapshotAfter &&
      loaded.days.at(-1) === request.tradingDate
    ) {
      // The process stopped between the run's completion and the day's snapshot: take it now
      // (only on the account's latest day, whose end the loaded state is).
      const journal = await AccountJournal.open(store, env.model, loaded.state, {
        account: request.account,
        tradingDate: request.tradingDate,
        runId,
        mode: request.mode,
        clock: env.clock,
      });
      await takeSnapshot(journal, request.tradingDate, env.calendar);
    }
    return {
      runId,
      status: "already_done",
      outcome: completed.outcome as CycleOutcome,
      ordersSubmitted: completed.ordersSubmitted,
      fills: 0,
      resumed: false,
      state: loaded.state,
    };
  }
  // The account is its day streams folded in date order: a new run dated before the latest
  // recorded day would be folded out of order (its fills behind that day's snapshot, or a later
  // operator action replayed over them). Runs go forward in time.
  const latestDay = loaded.days.at(-1);
  if (latestDay !== undefined && latestDay > request.tradingDate) {
    throw new CycleAbortedError(
      `run ${runId} cannot start: ${request.tradingDate} is before ${latestDay}, the latest day recorded for account "${request.account}"; runs go forward in time, so nothing was run`,
    );
  }
  const previous = loaded.state.runs[runId];
  const journal = await AccountJournal.open(store, env.model, loaded.state, {
    account: request.account,
    tradingDate: request.tradingDate,
    runId,
    mode: request.mode,
    clock: env.clock,
  });
  const resumed = previous !== undefined;
  // Every broker call of the run goes through the call breaker; its events join the next append.
  const broker = withCallBreaker(env.broker, {
    clock: env.clock,
    ...(env.settings.brokerBreaker ? { config: env.settings.brokerBreaker } : {}),
    initialState: journal.state.brokerBreaker,
    record: (events) => journal.defer(events),
  });
  const cycleEnv: CycleEnvironment = { ...env, broker };
  const complete = async (outcome: CycleOutcome, ordersSubmitted: number, fills: number) => {
    const at = journal.now();
    const runOutcome =
      outcome === "failed" || outcome === "preflight_failed" ? "failed" : "succeeded";
    const kill = env.model.machines.killSwitch.decide(
      { type: "RecordRunOutcome", runId, outcome: runOutcome, at },
      journal.state.killSwitch,
    );
    await journal.append([
      ...(kill.ok ? kill.events : []),
      { type: "RunCompleted", data: { runId, outcome, ordersSubmitted } },
    ]);
    if (request.endOfDay) await takeSnapshot(journal, request.tradingDate, env.calendar);
    return {
      runId,
      status: "completed" as const,
      outcome,
      ordersSubmitted,
      fills,
      resumed,
      state: journal.state,
    };
  };

  if (!resumed) {
    await journal.append([
      {
        type: "RunStarted",
        data: {
          runId,
          mode: request.mode,
          account: request.account,
          tradingDate: request.tradingDate,
          slot,
        },
      },
    ]);
  } else {
    log(`resuming ${runId} (it stopped at "${previous.phase}")`);
  }
  if (!env.calendar.isSession(request.tradingDate)) {
    log(`${request.tradingDate} is not a trading session: market closed`);
    return complete("market_closed", 0, 0);
  }
  // Pre-flight beyond the session and the broker read (SPEC §12): any failure, no trade.
  if (env.preflight) {
    const checks = [...(await env.preflight())];
    const failed = checks.filter((check) => !check.ok);
    await journal.append([
      { type: "PreflightRecorded", data: { runId, checks } },
      ...(failed.length > 0
        ? [
            {
              type: "RunAborted",
              data: {
                runId,
                code: "preflight_failed",
                message: `pre-flight failed: ${failed.map((check) => `${check.name}: ${check.detail}`).join("; ")}`,
                detail: { failed: failed.map((check) => check.name) },
              },
            },
          ]
        : []),
    ]);
    if (failed.length > 0) {
      log(`pre-flight failed: ${failed.map((check) => check.detail).join("; ")}`);
      return complete("preflight_failed", 0, 0);
    }
  }

  // 1. Settle what earlier attempts left open, before anything is decided.
  // A resumed run's own orders carry the prices its slippage is measured against.
  const ownOrders = resumed ? (await readRecordedRun(store, journal.stream, runId)).orders : [];
  const recovery = await recoverIntents(journal, broker, {
    partialFillRetries: env.settings.partialFillRetries,
    slippage: env.settings.slippage,
    expectedOrders: ownOrders,
  });
  if (recovery.unresolved.length > 0) {
    await journal.append([
      {
        type: "RunAborted",
        data: {
          runId,
          code: "unresolved_intents",
          message: `the broker could not be asked about ${recovery.unresolved.length} earlier order(s); nothing is decided until it can`,
          detail: { intentIds: recovery.unresolved },
        },
      },
    ]);
    return complete("preflight_failed", 0, 0);
  }

  // 2. Inputs (the broker's account, the market window, quotes, the config) and the safety
  //    machines' view of today, appended as one batch before anything is decided.
  const { machines } = env.model;
  const phase = journal.state.runs[runId]?.phase ?? "started";
  let recorded: RecordedInputs;
  if (phase === "started") {
    const gathered = await gatherInputs(cycleEnv, journal, request, runId);
    if (!gathered) return complete("preflight_failed", 0, 0);
    recorded = gathered;
  } else {
    const run = await readRecordedRun(store, journal.stream, runId);
    if (!run.inputs) throw new Error(`run ${runId} is past its inputs but none are recorded`);
    const window = await recordedWindow(env, store, request.account, run.inputs);
    recorded = { at: run.inputs.at, window, quotes: run.inputs.quotes, broker: run.inputs.broker };
    if (run.abortCode) return complete("no_trade", 0, 0);
  }
  if (journal.state.runs[runId]?.phase !== "decided") {
    if (
      env.settings.reconciliationEnabled &&
      journal.state.lastReconciliation?.status === "FAIL" &&
      journal.state.lastReconciliation.at === recorded.at
    ) {
      return complete("no_trade", 0, 0);
    }
    // 3. Decide: the pure pipeline over the recorded inputs, appended in one batch.
    const inputs = pipelineInputsFor(
      journal.state,
      {
        runId,
        mode: request.mode,
        tradingDate: request.tradingDate,
        at: recorded.at,
        window: recorded.window,
        quotes: recorded.quotes,
        buyingPowerCents: recorded.broker.buyingPowerCents,
      },
      machines,
    );
    const result = runPipeline(env.strategies, inputs, env.settings.pipeline);
    const decision: DomainEvent[] = [];
    const duplicates: DomainEvent[] = [];
    for (const event of result.events) {
      const data = event.data as { intentId?: string; strategy?: string };
      if (
        event.type === "IntentCreated" &&
        data.intentId &&
        journal.state.intents.intents[data.intentId]
      ) {
        // A second CREATED for an id the account already holds (SPEC §6): refused, and it kills.
        const kill = machines.killSwitch.decide(
          {
            type: "RecordDuplicateIntent",
            intentId: data.intentId,
            strategy: data.strategy ?? "",
            at: recorded.at,
          },
          journal.state.killSwitch,
        );
        if (kill.ok) duplicates.push(...kill.events);
        continue;
      }
      decision.push(event);
    }
    decision.push(...duplicates, {
      type: "RunDecided",
      data: {
        runId,
        orders: result.orders.length,
        decisionEvents: decision.length + duplicates.length,
      },
    });
    await journal.append(decision);
  }

  if (request.stopAfterDecision) {
    return {
      runId,
      status: "decided",
      outcome: "no_trade",
      ordersSubmitted: 0,
      fills: 0,
      resumed,
      state: journal.state,
    };
  }

  // 5. Execute what was decided and not yet sent, unless an earlier attempt (or the recovery of
  //    its last order) met a critical slippage: then the rest is aborted, as it would have been.
  const decided = await readRecordedRun(store, journal.stream, runId);
  if (decided.criticalSlippage && !decided.executionAborted) {
    await abortRemaining(
      journal,
      decided.orders.map((order) => order.intentId),
    );
  } else if (!decided.executionAborted) {
    await executeOrders(journal, broker, decided.orders, {
      partialFillRetries: env.settings.partialFillRetries,
      partialFillAttempts: decided.partialFillAttempts,
      slippage: env.settings.slippage,
      log,
    });
  }
  // 6. Flatten-on-panic: what the governor asked this run to close and is still held is sold.
  //    These are the emergency's exits, so a critical slippage above does not stop them.
  await flattenRequestedPositions(
    journal,
    broker,
    (symbol) => recorded.window[symbol]?.at(-1)?.close,
    {
      partialFillRetries: env.settings.partialFillRetries,
      partialFillAttempts: decided.partialFillAttempts,
      slippage: env.settings.slippage,
      log,
    },
  );
  // Counted from the stream, so a run resumed after a crash reports what all its attempts did.
  const done = await readRecordedRun(store, journal.stream, runId);
  const ordersOfRun = Object.values(journal.state.intents.intents).filter(
    (intent) => intent.runId === runId && intent.filledQuantity > 0,
  ).length;
  return complete(
    ordersOfRun > 0 ? "traded" : "no_trade",
    done.submittedIntents.length,
    done.fills,
  );
}

async function completedRun(
  store: TypedEventStore<AccountStreamEvent>,
  stream: string,
  runId: string,
): Promise<{ outcome: string; ordersSubmitted: number; snapshotAfter: boolean } | null> {
  let completed: { outcome: string; ordersSubmitted: number; snapshotAfter: boolean } | null = null;
  for await (const event of store.readStream(stream)) {
    if (event.type === "RunCompleted" && event.data.runId === runId) {
      completed = { ...event.data, snapshotAfter: false };
    } else if (event.type === "AccountSnapshotTaken" && completed !== null) {
      const { outcome, ordersSubmitted } = completed as {
        outcome: string;
        ordersSubmitted: number;
      };
      completed = { outcome, ordersSubmitted, snapshotAfter: true };
    }
  }
  return completed;
}

async function takeSnapshot(
  journal: AccountJournal,
  tradingDate: string,
  calendar: TradingCalendar,
): Promise<void> {
  // Keep the runs and intents of today and the previous session: only those can be retried.
  const keepFrom = calendar.previousSession(tradingDate);
  const state = compactAccountState(journal.state, keepFrom);
  await journal.append([
    {
      type: "AccountSnapshotTaken",
      data: {
        tradingDate,
        at: journal.now(),
        through: journal.nextRevision - 1,
        state: state as unknown as Record<string, unknown>,
      },
    },
  ]);
}
