import type { Broker } from "@trader/brokers";
import {
  type AccountModel,
  type AccountStreamEvent,
  type Clock,
  type DomainEvent,
  formatRunId,
  heldPositions,
  intentTimeBucket,
  type KillLevel,
  type Mode,
  type SlippageConfig,
} from "@trader/core";
import type { TypedEventStore } from "@trader/store";
import { AccountJournal, loadAccount } from "../account/account-journal.js";
import { recordBrokerOrder } from "../cycle/broker-results.js";
import { brokerSnapshot } from "../cycle/gather-inputs.js";

export interface OperatorContext {
  readonly store: TypedEventStore<AccountStreamEvent>;
  readonly model: AccountModel;
  readonly account: string;
  readonly mode: Mode;
  readonly clock: Clock;
  /** The trading date the action is recorded under (today in New York). */
  readonly tradingDate: string;
  readonly operator: string;
  readonly reason: string;
}

/** An operator action that the state machines refused: the refusal's code and words. */
export class OperatorActionRefused extends Error {
  override readonly name = "OperatorActionRefused";
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function openJournal(context: OperatorContext, slot: string): Promise<AccountJournal> {
  const { state } = await loadAccount(context.store, context.model, context.account);
  return AccountJournal.open(context.store, context.model, state, {
    account: context.account,
    tradingDate: context.tradingDate,
    runId: formatRunId({
      mode: context.mode,
      account: context.account,
      tradingDate: context.tradingDate,
      slot,
    }),
    mode: context.mode,
    clock: context.clock,
  });
}

function requireAttribution(context: OperatorContext): void {
  if (!context.operator.trim() || !context.reason.trim()) {
    throw new OperatorActionRefused(
      "unattributed",
      "an operator action needs --operator <name> and --reason <why>: both are recorded",
    );
  }
}

async function decideOrRefuse<C, E extends DomainEvent, S>(
  journal: AccountJournal,
  decider: {
    decide(
      command: C,
      state: S,
    ):
      | { ok: true; events: readonly E[] }
      | { ok: false; refusal: { code: string; message: string } };
  },
  state: S,
  command: C,
): Promise<readonly E[]> {
  const decision = decider.decide(command, state);
  if (!decision.ok)
    throw new OperatorActionRefused(decision.refusal.code, decision.refusal.message);
  await journal.append(decision.events);
  return decision.events;
}

/** `trader kill`: pull the kill switch (global or one strategy) from the CLI. */
export async function pullKill(
  context: OperatorContext,
  options: {
    readonly strategy?: string;
    readonly level?: KillLevel;
    readonly source?: "cli" | "control_api";
  },
): Promise<readonly DomainEvent[]> {
  requireAttribution(context);
  const journal = await openJournal(context, "operator");
  return decideOrRefuse(journal, context.model.machines.killSwitch, journal.state.killSwitch, {
    type: "ActivateKill",
    scope: options.strategy ? { kind: "strategy", strategy: options.strategy } : { kind: "global" },
    ...(options.level ? { level: options.level } : {}),
    source: options.source ?? "cli",
    operator: context.operator,
    reason: context.reason,
    at: journal.now(),
  });
}

/** `trader reset`: lift the kills on a scope (who, why). */
export async function resetKill(
  context: OperatorContext,
  options: { readonly strategy?: string },
): Promise<readonly DomainEvent[]> {
  requireAttribution(context);
  const journal = await openJournal(context, "operator");
  return decideOrRefuse(journal, context.model.machines.killSwitch, journal.state.killSwitch, {
    type: "ResetKill",
    scope: options.strategy ? { kind: "strategy", strategy: options.strategy } : { kind: "global" },
    operator: context.operator,
    reason: context.reason,
    at: journal.now(),
  });
}

/** `trader override`: the governor's force resume (to RAMPUP) or reset (to NORMAL), or a breaker reset. */
export async function override(
  context: OperatorContext,
  action: "force-resume" | "reset-governor" | "reset-breaker",
): Promise<readonly DomainEvent[]> {
  requireAttribution(context);
  const journal = await openJournal(context, "operator");
  const at = journal.now();
  const { machines } = context.model;
  if (action === "reset-breaker") {
    return decideOrRefuse(journal, machines.tradingBreaker, journal.state.tradingBreaker, {
      type: "ResetBreaker",
      operator: context.operator,
      reason: context.reason,
      at,
    });
  }
  return decideOrRefuse(journal, machines.governor, journal.state.governor, {
    type: action === "force-resume" ? "ForceResume" : "ResetGovernor",
    at,
    session: context.tradingDate,
    operator: context.operator,
    reason: context.reason,
  });
}

/** `trader sync --force` (SPEC §10): adopt the broker's state as the projection, audited. */
export async function forceSync(
  context: OperatorContext,
  broker: Broker,
): Promise<readonly DomainEvent[]> {
  requireAttribution(context);
  const journal = await openJournal(context, "operator");
  const snapshot = await brokerSnapshot(broker);
  const event: DomainEvent = {
    type: "BrokerStateAdopted",
    data: {
      at: journal.now(),
      operator: context.operator,
      reason: context.reason,
      cashCents: snapshot.cashCents,
      positions: snapshot.positions,
      previous: { cashCents: journal.state.cashCents, positions: heldPositions(journal.state) },
    },
  };
  await journal.append([event]);
  // The reconciliation kill lifts itself on the next passing reconciliation; record one now.
  const kill = context.model.machines.killSwitch.decide(
    {
      type: "RecordReconciliation",
      passed: true,
      summary: "forced sync adopted the broker's state",
      at: journal.now(),
    },
    journal.state.killSwitch,
  );
  if (kill.ok) await journal.append(kill.events);
  return [event, ...(kill.ok ? kill.events : [])];
}

export interface EmergencyExitReport {
  readonly flat: boolean;
  readonly sold: readonly { symbol: string; quantity: number }[];
  readonly remaining: readonly { symbol: string; quantity: number }[];
  readonly elapsedMs: number;
}

/**
 * `trader emergency-exit` (SPEC §3): stop new entries, sell every position the broker reports,
 * then — once flat — kill at level `all`; every step recorded. Exits are allowed under an
 * `entries` kill, so the flattening itself is not blocked.
 */
export async function emergencyExit(
  context: OperatorContext,
  broker: Broker,
  options: {
    readonly slippage: SlippageConfig;
    readonly priceOf: (symbol: string) => number | undefined;
  },
): Promise<EmergencyExitReport> {
  requireAttribution(context);
  const started = context.clock.now();
  const journal = await openJournal(context, "emergency-exit");
  const { machines } = context.model;
  const snapshot = await brokerSnapshot(broker);
  await journal.append([
    {
      type: "EmergencyExitStarted",
      data: {
        at: journal.now(),
        operator: context.operator,
        reason: context.reason,
        positions: snapshot.positions,
      },
    },
  ]);
  const stopEntries = machines.killSwitch.decide(
    {
      type: "ActivateKill",
      scope: { kind: "global" },
      level: "entries",
      source: "emergency_exit",
      operator: context.operator,
      reason: `emergency exit: ${context.reason}`,
      at: journal.now(),
    },
    journal.state.killSwitch,
  );
  if (stopEntries.ok) await journal.append(stopEntries.events);
  const sold: { symbol: string; quantity: number }[] = [];
  for (const position of snapshot.positions.filter((held) => held.quantity > 0)) {
    const at = journal.now();
    const created = machines.intents.decide(
      {
        type: "CreateIntent",
        at,
        runId: journal.runId,
        strategy: "emergency-exit",
        symbol: position.symbol,
        side: "sell",
        targetQuantity: position.quantity,
        timeBucket: intentTimeBucket(at),
      },
      journal.state.intents,
    );
    if (!created.ok) continue;
    await journal.append(created.events);
    const intentId = (created.events[0] as { data: { intentId: string } }).data.intentId;
    await journal.decide(machines.intents, journal.state.intents, {
      type: "SubmitIntent",
      at,
      intentId,
    });
    const price = options.priceOf(position.symbol) ?? position.averagePriceCents / 100;
    try {
      const order = await broker.submitOrder({
        clientOrderId: intentId,
        symbol: position.symbol,
        side: "sell",
        quantity: position.quantity,
        decisionPrice: price,
      });
      await recordBrokerOrder(
        journal,
        order,
        intentId,
        {
          intentId,
          symbol: position.symbol,
          side: "sell",
          quantity: position.quantity,
          expectedPrice: price,
        },
        options.slippage,
      );
      sold.push({ symbol: position.symbol, quantity: order.filledQuantity });
    } catch (error) {
      await journal.decide(machines.intents, journal.state.intents, {
        type: "MarkOutcomeUnknown",
        at: journal.now(),
        intentId,
        cause: error instanceof Error ? error.message : String(error),
      });
    }
  }
  const after = await brokerSnapshot(broker);
  const remaining = after.positions.filter((held) => held.quantity !== 0);
  const flat = remaining.length === 0;
  if (flat) {
    const killAll = machines.killSwitch.decide(
      {
        type: "ActivateKill",
        scope: { kind: "global" },
        level: "all",
        source: "emergency_exit",
        operator: context.operator,
        reason: `emergency exit complete: ${context.reason}`,
        at: journal.now(),
      },
      journal.state.killSwitch,
    );
    if (killAll.ok) await journal.append(killAll.events);
  }
  const elapsedMs = Math.max(0, context.clock.now() - started);
  await journal.append([
    { type: "EmergencyExitCompleted", data: { at: journal.now(), flat, remaining, elapsedMs } },
  ]);
  return {
    flat,
    sold,
    remaining: remaining.map((held) => ({ symbol: held.symbol, quantity: held.quantity })),
    elapsedMs,
  };
}
