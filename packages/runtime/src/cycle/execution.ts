import { type Broker, BrokerError, type BrokerOrder } from "@trader/brokers";
import type { SlippageConfig } from "@trader/core";
import type { AccountJournal } from "../account/account-journal.js";
import {
  type ExpectedOrder,
  recordApiError,
  recordBrokerOrder,
  recordOrderFailure,
} from "./broker-results.js";

export interface ExecutionOptions {
  readonly partialFillRetries: number;
  /** Per intent, the partial-fill retry an earlier attempt of the run got to (it resumes there). */
  readonly partialFillAttempts?: Readonly<Record<string, number>>;
  readonly slippage: SlippageConfig;
  readonly log: (line: string) => void;
}

export interface ExecutionReport {
  readonly submitted: number;
  readonly fills: number;
  readonly aborted: boolean;
}

/**
 * Sends the run's orders, sells first (SPEC §10). Each submission is recorded before the call
 * (IntentSubmitted), so a crash mid-call leaves a SUBMITTED intent that the next start resolves
 * by asking the broker. A partial fill is retried for the remainder up to `partialFillRetries`
 * times, then accepted (WARNING); a critical slippage aborts the run's remaining orders.
 * Intents already past CREATED (a resumed run) are not sent again.
 */
export async function executeOrders(
  journal: AccountJournal,
  broker: Broker,
  orders: readonly ExpectedOrder[],
  options: ExecutionOptions,
): Promise<ExecutionReport> {
  const { machines } = journal;
  const sorted = [...orders].sort((a, b) => (a.side === b.side ? 0 : a.side === "sell" ? -1 : 1));
  let submitted = 0;
  let fills = 0;
  for (let index = 0; index < sorted.length; index++) {
    const order = sorted[index] as ExpectedOrder;
    const intent = journal.state.intents.intents[order.intentId];
    if (intent?.status === "PARTIAL") {
      // An earlier attempt stopped during this order's partial-fill retries: carry them on.
      const resumed = await retryPartialFill(
        journal,
        broker,
        order,
        options,
        options.partialFillAttempts?.[order.intentId] ?? 0,
      );
      fills += resumed.newFills;
      if (resumed.critical) {
        await abortRemaining(
          journal,
          sorted.slice(index + 1).map((next) => next.intentId),
        );
        return { submitted, fills, aborted: true };
      }
      continue;
    }
    if (intent?.status !== "CREATED") continue;
    const at = journal.now();
    const sent = await journal.decide(machines.intents, journal.state.intents, {
      type: "SubmitIntent",
      at,
      intentId: order.intentId,
    });
    if (!sent.ok) continue;
    submitted++;
    const outcome = await submitAndRecord(
      journal,
      broker,
      order,
      order.intentId,
      order.quantity,
      options,
    );
    fills += outcome.newFills;
    let critical = outcome.critical;
    if (!critical) {
      const retried = await retryPartialFill(journal, broker, order, options);
      fills += retried.newFills;
      critical = retried.critical;
    }
    if (critical) {
      const remaining = sorted.slice(index + 1).map((next) => next.intentId);
      await abortRemaining(journal, remaining);
      return { submitted, fills, aborted: true };
    }
  }
  return { submitted, fills, aborted: false };
}

async function submitAndRecord(
  journal: AccountJournal,
  broker: Broker,
  order: ExpectedOrder,
  clientOrderId: string,
  quantity: number,
  options: ExecutionOptions,
): Promise<{ critical: boolean; newFills: number }> {
  const { machines } = journal;
  let answer: BrokerOrder | null;
  try {
    answer = await broker.submitOrder({
      clientOrderId,
      symbol: order.symbol,
      side: order.side,
      quantity,
      decisionPrice: order.expectedPrice,
    });
  } catch (error) {
    if (error instanceof BrokerError && error.kind === "duplicate_client_order_id") {
      // The broker already has it (an answer that went missing): read what it holds.
      const found = await lookUp(journal, broker, clientOrderId);
      answer = found === "unanswered" ? null : found;
    } else if (error instanceof BrokerError && !error.retryable && error.kind !== "circuit_open") {
      if (clientOrderId === order.intentId) {
        await journal.decide(machines.intents, journal.state.intents, {
          type: "RecordRejection",
          at: journal.now(),
          intentId: order.intentId,
          reason: `${error.kind}: ${error.message}`,
        });
      }
      await recordOrderFailure(journal, order.intentId, `${error.kind}: ${error.message}`);
      options.log(
        `order ${clientOrderId} ${order.side} ${quantity} ${order.symbol} refused: ${error.message}`,
      );
      return { critical: false, newFills: 0 };
    } else {
      // Timeout, 5xx, open circuit: nobody knows whether it arrived. Only the broker can say.
      await recordApiError(journal, "submitOrder", error);
      if (clientOrderId === order.intentId) {
        await journal.decide(machines.intents, journal.state.intents, {
          type: "MarkOutcomeUnknown",
          at: journal.now(),
          intentId: order.intentId,
          cause: error instanceof Error ? error.message : String(error),
        });
      }
      const found = await lookUp(journal, broker, clientOrderId);
      answer = found === "unanswered" ? null : found;
      // Only the broker's "no such order" sends the intent back to CREATED; when the broker could
      // not be asked either, the intent stays UNKNOWN for the next start to resolve.
      if (found === null && clientOrderId === order.intentId) {
        await journal.decide(machines.intents, journal.state.intents, {
          type: "RecordNotFound",
          at: journal.now(),
          intentId: order.intentId,
        });
        options.log(`order ${clientOrderId} did not reach the broker; the next run re-decides`);
      }
    }
  }
  if (!answer) return { critical: false, newFills: 0 };
  const isRetry = clientOrderId !== order.intentId;
  return recordBrokerOrder(journal, answer, order.intentId, order, options.slippage, isRetry);
}

/** The broker's order, null when it has none, "unanswered" when it could not be asked. */
async function lookUp(
  journal: AccountJournal,
  broker: Broker,
  clientOrderId: string,
): Promise<BrokerOrder | null | "unanswered"> {
  try {
    return await broker.orderByClientId(clientOrderId);
  } catch (error) {
    await recordApiError(journal, "orderByClientId", error);
    return "unanswered";
  }
}

async function retryPartialFill(
  journal: AccountJournal,
  broker: Broker,
  order: ExpectedOrder,
  options: ExecutionOptions,
  /** The retry recorded last (a resumed run); its order may not have reached the broker. */
  firstAttempt = 0,
): Promise<{ critical: boolean; newFills: number }> {
  const { machines } = journal;
  let newFills = 0;
  if (firstAttempt > 0) {
    const clientOrderId = `${order.intentId}-${firstAttempt}`;
    const found = await lookUp(journal, broker, clientOrderId);
    if (found === "unanswered") return { critical: false, newFills };
    const current = journal.state.intents.intents[order.intentId];
    if (found === null && current?.status === "PARTIAL") {
      // Recorded as decided, never sent: send it now.
      const remaining = current.targetQuantity - current.filledQuantity;
      const outcome = await submitAndRecord(
        journal,
        broker,
        order,
        clientOrderId,
        remaining,
        options,
      );
      newFills += outcome.newFills;
      if (outcome.critical) return { critical: true, newFills };
    }
  }
  for (let attempt = firstAttempt; ; attempt++) {
    const intent = journal.state.intents.intents[order.intentId];
    if (intent?.status !== "PARTIAL") return { critical: false, newFills };
    const working = attempt === 0 ? order.intentId : `${order.intentId}-${attempt}`;
    // Stop what is still working of the last order, and take in any fill that came meanwhile.
    try {
      await broker.cancelOrder(working);
      const settled = await broker.orderByClientId(working);
      if (settled) {
        const outcome = await recordBrokerOrder(
          journal,
          settled,
          order.intentId,
          order,
          options.slippage,
          true,
        );
        newFills += outcome.newFills;
        if (outcome.critical) return { critical: true, newFills };
      }
    } catch (error) {
      await recordApiError(journal, "cancelOrder", error);
    }
    const current = journal.state.intents.intents[order.intentId];
    if (current?.status !== "PARTIAL") return { critical: false, newFills };
    const remaining = current.targetQuantity - current.filledQuantity;
    if (attempt >= options.partialFillRetries) {
      // One batch: a restart never finds the partial accepted but the intent still open.
      const cancel = machines.intents.decide(
        {
          type: "CancelIntent",
          at: journal.now(),
          intentId: order.intentId,
          reason: `partial fill accepted: ${current.filledQuantity} of ${current.targetQuantity} after ${attempt} retries`,
        },
        journal.state.intents,
      );
      await journal.append([
        {
          type: "PartialFillHandled",
          data: {
            intentId: order.intentId,
            attempt,
            filled: current.filledQuantity,
            ordered: current.targetQuantity,
            action: "accept_partial",
            clientOrderId: null,
          },
        },
        ...(cancel.ok ? cancel.events : []),
      ]);
      options.log(
        `WARNING ${order.symbol}: partial fill accepted, ${current.filledQuantity} of ${current.targetQuantity}`,
      );
      return { critical: false, newFills };
    }
    const clientOrderId = `${order.intentId}-${attempt + 1}`;
    await journal.append([
      {
        type: "PartialFillHandled",
        data: {
          intentId: order.intentId,
          attempt: attempt + 1,
          filled: current.filledQuantity,
          ordered: current.targetQuantity,
          action: "retry_remainder",
          clientOrderId,
        },
      },
    ]);
    const outcome = await submitAndRecord(
      journal,
      broker,
      order,
      clientOrderId,
      remaining,
      options,
    );
    newFills += outcome.newFills;
    if (outcome.critical) return { critical: true, newFills };
  }
}

/**
 * Cancels the intents among `intentIds` not yet sent and records the abort, in ONE batch: a
 * restart that finds RunExecutionAborted knows every remaining order was stopped with it.
 */
export async function abortRemaining(
  journal: AccountJournal,
  intentIds: readonly string[],
): Promise<void> {
  const canceled: string[] = [];
  for (const intentId of intentIds) {
    const intent = journal.state.intents.intents[intentId];
    if (intent?.status !== "CREATED") continue;
    const decision = journal.machines.intents.decide(
      {
        type: "CancelIntent",
        at: journal.now(),
        intentId,
        reason: "run aborted: critical slippage",
      },
      journal.state.intents,
    );
    if (!decision.ok) continue;
    journal.defer(decision.events);
    canceled.push(intentId);
  }
  await journal.append([
    {
      type: "RunExecutionAborted",
      data: {
        runId: journal.runId,
        code: "critical_slippage",
        message:
          "a fill slipped more than the critical threshold: the run's remaining orders are not sent",
        canceledIntents: canceled,
      },
    },
  ]);
}
