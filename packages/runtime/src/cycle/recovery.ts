import type { Broker, BrokerOrder } from "@trader/brokers";
import { isTerminalIntentStatus, parseRunId, type SlippageConfig } from "@trader/core";
import type { AccountJournal } from "../account/account-journal.js";
import { type ExpectedOrder, recordApiError, recordBrokerOrder } from "./broker-results.js";

/** The client order ids an intent may have used: its own, then one per partial-fill retry. */
export function clientOrderIdsOf(intentId: string, retries: number): string[] {
  return [
    intentId,
    ...Array.from({ length: retries }, (_, attempt) => `${intentId}-${attempt + 1}`),
  ];
}

export interface RecoveryReport {
  /** Intents whose state was settled from the broker's answer. */
  readonly resolved: number;
  /** Intents the broker could not be asked about: the run must not decide. */
  readonly unresolved: readonly string[];
}

/**
 * Crash recovery (issue: "after a crash at any point, the next start first resolves the
 * previous run's UNKNOWN and SUBMITTED intents by asking the broker by client order id, records
 * what it finds, and only then decides anything"). Also settles working orders of earlier runs
 * and expires intents of earlier runs that were never sent.
 */
export async function recoverIntents(
  journal: AccountJournal,
  broker: Broker,
  options: {
    readonly partialFillRetries: number;
    readonly slippage: SlippageConfig;
    /** What the run's decision expected of its orders, so recovered fills get their slippage check. */
    readonly expectedOrders?: readonly ExpectedOrder[];
  },
): Promise<RecoveryReport> {
  const { machines } = journal;
  const unresolved: string[] = [];
  let resolved = 0;
  const open = Object.values(journal.state.intents.intents).filter(
    (intent) => !isTerminalIntentStatus(intent.status),
  );
  for (const intent of open) {
    const { intentId } = intent;
    const at = journal.now();
    const ownRun = intent.runId === journal.runId;
    if (intent.status === "CREATED") {
      // Never sent. This run sends its own; an earlier run's chance has passed.
      if (!ownRun) {
        await journal.decide(machines.intents, journal.state.intents, {
          type: "ExpireIntent",
          at,
          intentId,
          reason: `run ${intent.runId} ended before it was sent`,
        });
        resolved++;
      }
      continue;
    }
    if (intent.status === "SUBMITTED") {
      await journal.decide(machines.intents, journal.state.intents, {
        type: "MarkOutcomeUnknown",
        at,
        intentId,
        cause: "the process stopped before the broker answered",
      });
    }
    let orders: BrokerOrder[];
    try {
      orders = [];
      for (const clientOrderId of clientOrderIdsOf(intentId, options.partialFillRetries)) {
        const order = await broker.orderByClientId(clientOrderId);
        if (order) orders.push(order);
        else if (clientOrderId !== intentId) break;
      }
    } catch (error) {
      await recordApiError(journal, "orderByClientId", error);
      unresolved.push(intentId);
      continue;
    }
    if (orders.length === 0) {
      // The broker never got it: it may be sent again under the same id (this run's only).
      await journal.decide(machines.intents, journal.state.intents, {
        type: "RecordNotFound",
        at,
        intentId,
      });
      if (!ownRun) {
        await journal.decide(machines.intents, journal.state.intents, {
          type: "ExpireIntent",
          at,
          intentId,
          reason: `run ${intent.runId} ended before the broker got it`,
        });
      }
      resolved++;
      continue;
    }
    // With partial-fill retries, only fills count: the run stopped between cancel and resubmit.
    // A PARTIAL intent of this run is in its retries too (its first order may be canceled by
    // them); the execution step carries the retries on.
    const fillsOnly = orders.length > 1 || (ownRun && intent.status === "PARTIAL");
    const expected = options.expectedOrders?.find((order) => order.intentId === intentId);
    for (const order of orders) {
      await recordBrokerOrder(journal, order, intentId, expected, options.slippage, fillsOnly);
    }
    const afterFills = journal.state.intents.intents[intentId];
    if (
      fillsOnly &&
      !ownRun &&
      afterFills?.status === "PARTIAL" &&
      orders.every((order) => order.status !== "partially_filled" && order.status !== "accepted")
    ) {
      await journal.decide(machines.intents, journal.state.intents, {
        type: "CancelIntent",
        at,
        intentId,
        reason: `partial fill: the run stopped during its retries (${afterFills.filledQuantity} of ${afterFills.targetQuantity})`,
      });
    }
    const after = journal.state.intents.intents[intentId];
    const stillWorking = after && ["ACKED", "PARTIAL", "UNKNOWN"].includes(after.status);
    if (
      stillWorking &&
      parseRunId(intent.runId).tradingDate < parseRunId(journal.runId).tradingDate
    ) {
      // A day order of an earlier session that the broker still reports working: it is over.
      await journal.decide(machines.intents, journal.state.intents, {
        type: "ExpireIntent",
        at,
        intentId,
        reason: "day order of an earlier session",
      });
    }
    resolved++;
  }
  return { resolved, unresolved };
}
