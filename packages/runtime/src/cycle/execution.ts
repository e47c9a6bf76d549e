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
      answer = await lookUp(journal, broker, clientOrderId);
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
      answer = await lookUp(journal, broker, clientOrderId);
      if (answer === null && clientOrderId === order.intentId) {
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

async function lookUp(
  journal: AccountJournal,
  broker: Broker,
  clientOrderId: string,
): Promise<BrokerOrder | null> {
  try {
    return await broker.orderByClientId(clientOrderId);
  } catch (error) {
    await recordApiError(journal, "orderByClientId", error);
    return null;
  }
}

async function retryPartialFill(
  journal: AccountJournal,
  broker: Broker,
  order: ExpectedOrder,
  options: ExecutionOptions,
): Promise<{ critical: boolean; newFills: number }> {
  const { machines } = journal;
  let newFills = 0;
  for (let attempt = 0; ; attempt++) {
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
      ]);
      await journal.decide(machines.intents, journal.state.intents, {
        type: "CancelIntent",
        at: journal.now(),
        intentId: order.intentId,
        reason: `partial fill accepted: ${current.filledQuantity} of ${current.targetQuantity} after ${attempt} retries`,
      });
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

async function abortRemaining(
  journal: AccountJournal,
  intentIds: readonly string[],
): Promise<void> {
  const canceled: string[] = [];
  for (const intentId of intentIds) {
    const intent = journal.state.intents.intents[intentId];
    if (intent?.status !== "CREATED") continue;
    const decision = await journal.decide(journal.machines.intents, journal.state.intents, {
      type: "CancelIntent",
      at: journal.now(),
      intentId,
      reason: "run aborted: critical slippage",
    });
    if (decision.ok) canceled.push(intentId);
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
