import { BrokerError, type BrokerOrder } from "@trader/brokers";
import { classifySlippage, type DomainEvent, type SlippageConfig } from "@trader/core";
import type { AccountJournal } from "../account/account-journal.js";

/** What the decision expected of an intent: the price slippage is measured against. */
export interface ExpectedOrder {
  readonly intentId: string;
  readonly symbol: string;
  readonly side: "buy" | "sell";
  readonly quantity: number;
  readonly expectedPrice: number;
}

export interface RecordedOutcome {
  /** A fill slipped beyond the critical threshold: the run's remaining orders are aborted. */
  readonly critical: boolean;
  readonly newFills: number;
}

/**
 * Records what the broker says about an order onto its intent: the ack, each new fill (a fill
 * already recorded is recognised by its execution id and ignored), a rejection, a cancel or an
 * expiry; the kill switch's order outcome once per intent; slippage per fill; realised P&L of
 * sells for the trading breaker. Refusals of the intent book (a repeated report) change nothing.
 * Everything one answer implies is appended as ONE batch: a crash in between would otherwise
 * keep the fill and lose its slippage check or the kill switch's outcome, which a restart, seeing
 * the fill already booked, would never record.
 */
export async function recordBrokerOrder(
  journal: AccountJournal,
  order: BrokerOrder,
  intentId: string,
  expected: ExpectedOrder | undefined,
  slippage: SlippageConfig,
  /** Record fills only: the order is a partial-fill retry or is being canceled on purpose. */
  fillsOnly = false,
): Promise<RecordedOutcome> {
  const { machines } = journal;
  const at = journal.now();
  const intentOf = () => journal.state.intents.intents[intentId];
  let critical = false;
  let newFills = 0;

  // Decided events are deferred (folded into the state at once) and appended together below.
  const intentCommand = (command: Parameters<typeof machines.intents.decide>[0]) => {
    const decision = machines.intents.decide(command, journal.state.intents);
    if (decision.ok) journal.defer(decision.events);
    return decision;
  };

  const before = intentOf();
  if (!before) throw new Error(`recordBrokerOrder: no intent ${intentId} in the account`);
  const wasAccepted = before.brokerOrderId !== null || before.filledQuantity > 0;

  if (
    !fillsOnly &&
    order.status !== "rejected" &&
    intentOf()?.brokerOrderId === null &&
    order.clientOrderId === intentId
  ) {
    intentCommand({ type: "RecordAck", at, intentId, brokerOrderId: order.brokerOrderId });
  }
  for (const fill of order.fills) {
    const intent = intentOf();
    if (!intent || intent.executionIds.includes(fill.executionId)) continue;
    const averageCostCents = journal.state.positions[intent.symbol]
      ? (journal.state.positions[intent.symbol]?.costCents ?? 0) /
        (journal.state.positions[intent.symbol]?.quantity ?? 1)
      : 0;
    const recorded = intentCommand({
      type: "RecordFill",
      at,
      intentId,
      executionId: fill.executionId,
      quantity: fill.quantity,
      priceCents: fill.priceCents,
    });
    if (!recorded.ok) continue;
    newFills++;
    const extra: DomainEvent[] = [];
    if (expected) {
      const check = classifySlippage(
        {
          symbol: expected.symbol,
          side: expected.side,
          expectedPrice: expected.expectedPrice,
          fillPrice: fill.priceCents / 100,
        },
        slippage,
      );
      extra.push({
        type: "SlippageRecorded",
        data: {
          intentId,
          symbol: expected.symbol,
          side: expected.side,
          expectedPrice: expected.expectedPrice,
          fillPrice: fill.priceCents / 100,
          adverse: check.slippage,
          level: check.level,
          message: check.message,
        },
      });
      critical ||= check.abortRemaining;
    }
    if (intent.side === "sell" && averageCostCents > 0) {
      const trade = machines.tradingBreaker.decide(
        {
          type: "RecordTradeResult",
          tradeId: fill.executionId,
          pnl: Math.round((fill.priceCents - averageCostCents) * fill.quantity),
          at,
        },
        journal.state.tradingBreaker,
      );
      if (trade.ok) extra.push(...trade.events);
    }
    journal.defer(extra);
  }
  const reason = order.reason ?? order.status;
  if (fillsOnly) {
    await journal.append([]);
    return { critical, newFills };
  }
  if (order.status === "rejected") {
    intentCommand({ type: "RecordRejection", at, intentId, reason });
    // Appends what was deferred with the failure's own events.
    await recordOrderFailure(journal, intentId, reason);
  } else if (order.status === "canceled") {
    intentCommand({ type: "CancelIntent", at, intentId, reason: `broker: ${reason}` });
  } else if (order.status === "expired") {
    intentCommand({ type: "ExpireIntent", at, intentId, reason: `broker: ${reason}` });
  }
  if (!wasAccepted && order.status !== "rejected") {
    const kill = machines.killSwitch.decide(
      { type: "RecordOrderOutcome", intentId, outcome: "accepted", at },
      journal.state.killSwitch,
    );
    if (kill.ok) journal.defer(kill.events);
  }
  await journal.append([]);
  return { critical, newFills };
}

/** A refused or failed order: the kill switch counts the rejection, the trading breaker the failure. */
export async function recordOrderFailure(
  journal: AccountJournal,
  intentId: string,
  reason: string,
): Promise<void> {
  const at = journal.now();
  const { machines } = journal;
  const events: DomainEvent[] = [];
  const kill = machines.killSwitch.decide(
    { type: "RecordOrderOutcome", intentId, outcome: "rejected", at },
    journal.state.killSwitch,
  );
  if (kill.ok) events.push(...kill.events);
  const breaker = machines.tradingBreaker.decide(
    { type: "RecordOrderFailure", intentId, reason, at },
    journal.state.tradingBreaker,
  );
  if (breaker.ok) events.push(...breaker.events);
  await journal.append(events);
}

/** An infrastructure failure talking to the broker: the trading breaker counts API errors. */
export async function recordApiError(
  journal: AccountJournal,
  operation: string,
  error: unknown,
): Promise<void> {
  const message =
    error instanceof BrokerError
      ? `${error.kind}: ${error.message}`
      : error instanceof Error
        ? error.message
        : String(error);
  const decision = journal.machines.tradingBreaker.decide(
    { type: "RecordApiError", operation, message, at: journal.now() },
    journal.state.tradingBreaker,
  );
  if (decision.ok) await journal.append(decision.events);
}
