import type { Broker } from "@trader/brokers";
import {
  type AccountState,
  type AccountStreamEvent,
  type BrokerSnapshot,
  configKillCommands,
  type DomainEvent,
  ledgerEquityCents,
  reconcile,
  sha256Hex,
} from "@trader/core";
import type { TypedEventStore } from "@trader/store";
import type { AccountJournal } from "../account/account-journal.js";
import { type RecordedInputs, rebuildRecordedWindow } from "../account/recorded-runs.js";
import { recordApiError } from "./broker-results.js";
import { decisionWindow, historyDigest, newBarsOf, windowOf } from "./history-window.js";
import type { CycleEnvironment, CycleRequest } from "./run-cycle.js";

const configDigestOf = (config: Readonly<Record<string, unknown>>) =>
  sha256Hex(JSON.stringify(config));

export async function brokerSnapshot(broker: Broker): Promise<BrokerSnapshot> {
  const account = await broker.account();
  const positions = await broker.positions();
  return {
    broker: broker.name,
    cashCents: account.cashCents,
    equityCents: account.equityCents,
    buyingPowerCents: account.buyingPowerCents,
    positions: positions
      .filter((position) => position.quantity !== 0)
      .map((position) => ({
        symbol: position.symbol,
        quantity: position.quantity,
        averagePriceCents: position.averagePriceCents,
      }))
      .sort((a, b) => (a.symbol < b.symbol ? -1 : 1)),
  };
}

/**
 * Reads the broker and the market, then appends in ONE batch the recorded inputs (SPEC §1) and
 * what the safety machines make of them: the config's kills, the reconciliation gate (SPEC §10),
 * the governor's equity observation and health checks, the trading breaker's equity. Returns
 * null when pre-flight failed (the broker could not be read; recorded as RunAborted).
 */
export async function gatherInputs(
  env: CycleEnvironment,
  journal: AccountJournal,
  request: CycleRequest,
  runId: string,
): Promise<RecordedInputs | null> {
  let snapshot: BrokerSnapshot;
  try {
    snapshot = await brokerSnapshot(env.broker);
  } catch (error) {
    await recordApiError(journal, "account", error);
    await journal.append([
      {
        type: "RunAborted",
        data: {
          runId,
          code: "broker_unavailable",
          message: `pre-flight: the broker could not be read (${error instanceof Error ? error.message : String(error)})`,
          detail: {},
        },
      },
    ]);
    return null;
  }
  const window = decisionWindow(env.strategies, env.settings.pipeline);
  const symbols = [...new Set(env.strategies.flatMap((strategy) => strategy.universe))].sort();
  const history = windowOf(await env.market.history(symbols, request.tradingDate), window);
  const at = journal.now();
  const quotes = await env.market.quotes(symbols, at);
  const configDigest = configDigestOf(env.settings.effectiveConfig);

  const batch: DomainEvent[] = [];
  let draft: AccountState = journal.state;
  const add = (events: readonly DomainEvent[]) => {
    for (const event of events) {
      draft = env.model.evolve(draft, event);
      batch.push(event);
    }
  };
  const decide = <C, S>(
    decider: { decide(command: C, state: S): { ok: boolean; events?: readonly DomainEvent[] } },
    state: S,
    command: C,
  ) => {
    const decision = decider.decide(command, state);
    if (decision.ok && decision.events) add(decision.events);
  };

  if (!draft.opened) {
    add([
      {
        type: "AccountOpened",
        data: {
          account: request.account,
          at,
          cashCents: snapshot.cashCents,
          positions: snapshot.positions,
          source: "broker_snapshot",
        },
      },
    ]);
  }
  if (draft.lastConfigDigest !== configDigest) {
    add([
      {
        type: "ConfigRecorded",
        data: { digest: configDigest, config: { ...env.settings.effectiveConfig } },
      },
    ]);
  }
  add([
    {
      type: "RunInputsRecorded",
      data: {
        runId,
        at,
        tradingDate: request.tradingDate,
        window,
        newBars: newBarsOf(history, draft.lastBarDate),
        historyDigest: historyDigest(history),
        quotes,
        broker: snapshot,
        configDigest,
      },
    },
  ]);

  const { machines } = env.model;
  const { settings } = env;
  for (const command of configKillCommands(
    draft.killSwitch,
    {
      tradingDisabled: settings.tradingDisabled,
      strategyDisabledList: settings.strategyDisabledList,
    },
    at,
  )) {
    decide(machines.killSwitch, draft.killSwitch, command);
  }
  let reconciliationFailed = false;
  if (settings.reconciliationEnabled) {
    const closes = (symbol: string) => history[symbol]?.at(-1)?.close;
    const report = reconcile(
      {
        cashCents: draft.cashCents,
        equityCents: ledgerEquityCents(draft, closes),
        positions: Object.fromEntries(
          Object.values(draft.positions).map((position) => [position.symbol, position.quantity]),
        ),
      },
      {
        cashCents: snapshot.cashCents,
        equityCents: snapshot.equityCents,
        positions: Object.fromEntries(
          snapshot.positions.map((position) => [position.symbol, position.quantity]),
        ),
      },
      settings.reconciliation,
    );
    reconciliationFailed = report.status === "FAIL";
    add([
      {
        type: "ReconciliationRecorded",
        data: {
          runId,
          at,
          status: report.status,
          severity: report.severity,
          message: report.message,
          issues: report.issues.map((issue) => ({
            code: issue.code,
            message: issue.message,
            detail: { ...issue.detail },
          })),
        },
      },
    ]);
    decide(machines.killSwitch, draft.killSwitch, {
      type: "RecordReconciliation",
      passed: !reconciliationFailed,
      summary: report.message,
      at,
    });
  }
  decide(machines.governor, draft.governor, {
    type: "ObserveEquity",
    at,
    session: request.tradingDate,
    equity: Math.max(0, snapshot.equityCents),
    positions: snapshot.positions.map((position) => ({
      symbol: position.symbol,
      quantity: position.quantity,
    })),
  });
  const cooldown = draft.governor.cooldown;
  if (cooldown && request.tradingDate >= cooldown.endsOn) {
    const last = draft.lastReconciliation;
    decide(machines.governor, draft.governor, {
      type: "RunHealthChecks",
      at,
      session: request.tradingDate,
      health: {
        lastReconciliation: last === null ? null : last.status === "FAIL" ? "FAIL" : "PASS",
        marketDataUpdatedAt: draft.marketDataUpdatedAt,
        lastDuplicateIntentAt: draft.lastDuplicateIntentAt,
        enabledStrategies: env.strategies.filter(
          (strategy) => !settings.strategyDisabledList.includes(strategy.name),
        ).length,
      },
    });
  }
  decide(machines.tradingBreaker, draft.tradingBreaker, {
    type: "ObserveEquity",
    tradingDate: request.tradingDate,
    equity: snapshot.equityCents,
    at,
  });
  if (reconciliationFailed) {
    add([
      {
        type: "RunAborted",
        data: {
          runId,
          code: "reconciliation_failed",
          message:
            "reconciliation failed: the broker's account does not match the projection; nothing is traded (`trader sync --force` adopts the broker's state)",
          detail: {},
        },
      },
    ]);
  }
  await journal.append(batch);
  return { at, window: history, quotes, broker: snapshot };
}

/**
 * A resumed run's window: from the market source when it still serves the same bars (the
 * digest proves it), otherwise rebuilt from the bars recorded in the store.
 */
export async function recordedWindow(
  env: CycleEnvironment,
  store: TypedEventStore<AccountStreamEvent>,
  account: string,
  inputs: Extract<AccountStreamEvent, { type: "RunInputsRecorded" }>["data"],
): Promise<RecordedInputs["window"]> {
  const symbols = [...new Set(env.strategies.flatMap((strategy) => strategy.universe))].sort();
  const fromSource = windowOf(await env.market.history(symbols, inputs.tradingDate), inputs.window);
  if (historyDigest(fromSource) === inputs.historyDigest) return fromSource;
  return rebuildRecordedWindow(store, account, inputs);
}
