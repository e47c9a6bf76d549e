/**
 * The dry-run guard: reads go to the real broker, writes never do. A submit is answered with a
 * hypothetical order, filled by the same fill model as the simulator and recorded in the guard's
 * own stream `dry-run-<account>`; account() and positions() show the broker's values with those
 * hypothetical fills laid over them, so the engine's projection and the guard agree.
 */
import {
  assertCents,
  type Cents,
  type Clock,
  centsFromDollars,
  deterministicId,
  formatCents,
  toIsoUtc,
} from "@trader/core";
import type { EventStore } from "@trader/store";
import { decisionPriceFillModel, type FillModel } from "./fill-model.js";
import {
  type Broker,
  type BrokerAccount,
  BrokerError,
  type BrokerLogger,
  type BrokerOrder,
  type BrokerPosition,
  SILENT_LOGGER,
} from "./port.js";
import { serialQueue } from "./serial.js";
import { openSimStream } from "./simulated/account-stream.js";
import {
  applyFill,
  decideSubmission,
  type Holding,
  isWorking,
  positionsOf,
  SimLedger,
} from "./simulated/ledger.js";
import { requireInstant, validateSubmitRequest } from "./validate-request.js";

export interface DryRunGuardOptions {
  readonly store: EventStore;
  readonly account: string;
  readonly clock: Clock;
  /** Default: decisionPriceFillModel(), as the simulator. */
  readonly fillModel?: FillModel;
  /** Every line is prefixed with `[DRY_RUN]`. */
  readonly logger?: BrokerLogger;
  /** Dollars; used to value hypothetical shares the broker has no mark for. */
  readonly marks?: (symbol: string) => number | undefined;
  /** metadata.runId of the events written; default the stream name. */
  readonly runId?: string;
}

export interface DryRunBroker extends Broker {
  /** `dry-run-<account>`. */
  readonly stream: string;
  /** The orders the guard answered instead of the broker, in submission order. */
  hypotheticalOrders(): BrokerOrder[];
}

export const DRY_RUN_PREFIX = "[DRY_RUN]";

export const dryRunStreamName = (account: string) => `dry-run-${account}`;

export async function dryRunGuard(
  inner: Broker,
  options: DryRunGuardOptions,
): Promise<DryRunBroker> {
  const { account, clock } = options;
  if (typeof account !== "string" || account.trim() === "") {
    throw new RangeError(
      `dryRunGuard: account must be a non-empty string, got ${JSON.stringify(account)}`,
    );
  }
  const name = `dry-run(${inner.name})`;
  const stream = dryRunStreamName(account);
  const fillModel = options.fillModel ?? decisionPriceFillModel();
  const logger = options.logger ?? SILENT_LOGGER;
  const log = {
    info: (message: string) => logger.info(`${DRY_RUN_PREFIX} ${message}`),
    warn: (message: string) => logger.warn(`${DRY_RUN_PREFIX} ${message}`),
  };
  const now = () => toIsoUtc(clock.now());

  // Cash here is the change the hypothetical fills made, not a balance.
  const hypothetical = new SimLedger();
  const record = await openSimStream(
    { store: options.store, stream, clock, mode: "dry-run", runId: options.runId ?? stream },
    hypothetical,
  );
  log.info(
    `${inner.name}: reads go to the broker; orders are recorded in ${stream} and never sent ` +
      `(${hypothetical.orders().length} hypothetical orders so far)`,
  );

  const hasHypotheticalFills = () => hypothetical.lastFillPriceCents.size > 0;

  /** The broker's account and positions with every hypothetical fill laid over them. */
  const overlaid = async (): Promise<{ account: BrokerAccount; positions: BrokerPosition[] }> => {
    const [base, innerPositions] = await Promise.all([inner.account(), inner.positions()]);
    const holdings = new Map<string, Holding>();
    const brokerMarks = new Map<string, Cents>();
    for (const position of innerPositions) {
      holdings.set(position.symbol, {
        quantity: position.quantity,
        costCents: position.quantity * position.averagePriceCents,
      });
      if (position.marketPriceCents !== undefined) {
        brokerMarks.set(position.symbol, position.marketPriceCents);
      }
    }
    for (const order of hypothetical.orders()) {
      for (const { quantity, priceCents } of order.fills) {
        applyFill(holdings, { symbol: order.symbol, side: order.side, quantity, priceCents });
      }
    }
    const markCents = (symbol: string): Cents | undefined => {
      const dollars = options.marks?.(symbol);
      return (
        brokerMarks.get(symbol) ??
        (dollars === undefined ? undefined : centsFromDollars(dollars)) ??
        hypothetical.lastFillPriceCents.get(symbol)
      );
    };
    const positions = positionsOf(holdings, markCents);
    // Equity moves by the cash the hypothetical fills paid or received plus the value of the
    // shares they moved, at the latest mark.
    const quantityChange = new Map(positions.map((p) => [p.symbol, p.quantity]));
    for (const p of innerPositions) {
      quantityChange.set(p.symbol, (quantityChange.get(p.symbol) ?? 0) - p.quantity);
    }
    let sharesValueChange = 0;
    for (const [symbol, change] of quantityChange) {
      sharesValueChange += change * (markCents(symbol) ?? 0);
    }
    const cashChange = hypothetical.cashCents;
    const account = {
      cashCents: assertCents(base.cashCents + cashChange, "dry-run cash"),
      equityCents: assertCents(base.equityCents + cashChange + sharesValueChange, "dry-run equity"),
      buyingPowerCents: assertCents(base.buyingPowerCents + cashChange, "dry-run buying power"),
    };
    return { account, positions };
  };

  const exclusive = serialQueue();

  return {
    name,
    stream,
    account: async () => (hasHypotheticalFills() ? (await overlaid()).account : inner.account()),
    positions: async () =>
      hasHypotheticalFills() ? (await overlaid()).positions : inner.positions(),
    submitOrder: (request) =>
      exclusive(async () => {
        validateSubmitRequest(name, request);
        const { clientOrderId } = request;
        if (hypothetical.order(clientOrderId) || (await inner.orderByClientId(clientOrderId))) {
          throw new BrokerError(
            "duplicate_client_order_id",
            `${name} submitOrder: client order id ${clientOrderId} was already used`,
            { clientOrderId },
          );
        }
        const { account: accountNow, positions } = await overlaid();
        await record.append(
          decideSubmission({
            request,
            at: now(),
            brokerOrderId: `dry-run-${deterministicId([account, clientOrderId])}`,
            fillModel,
            buyingPowerCents: accountNow.buyingPowerCents,
            heldQuantity: positions.find((p) => p.symbol === request.symbol)?.quantity ?? 0,
            fillFraction: 1,
            rejectReason: null,
          }),
        );
        const order = hypothetical.order(clientOrderId) as BrokerOrder;
        const what = `${request.side} ${request.quantity} ${request.symbol} (client order id ${clientOrderId})`;
        if (order.status === "rejected") {
          log.warn(
            `would ${what}: rejected hypothetically, ${order.reason}; not sent to ${inner.name}`,
          );
        } else {
          const price = order.fills[0]?.priceCents;
          log.info(
            `would ${what}: not sent to ${inner.name}; recorded as filled at ${price === undefined ? "?" : formatCents(price)} (${fillModel.id})`,
          );
        }
        return order;
      }),
    orderByClientId: async (clientOrderId) =>
      hypothetical.order(clientOrderId) ?? inner.orderByClientId(clientOrderId),
    cancelOrder: (clientOrderId) =>
      exclusive(async () => {
        const order = hypothetical.order(clientOrderId);
        if (order) {
          if (isWorking(order.status)) {
            await record.append([
              {
                type: "SimOrderCanceled",
                data: { clientOrderId, reason: "canceled on request", at: now() },
              },
            ]);
          }
          log.info(
            `cancel ${clientOrderId}: hypothetical order, now ${hypothetical.order(clientOrderId)?.status}`,
          );
          return;
        }
        if (!(await inner.orderByClientId(clientOrderId))) {
          throw new BrokerError(
            "not_found",
            `${name} cancelOrder: no order with client order id ${clientOrderId}`,
            {
              clientOrderId,
            },
          );
        }
        log.warn(`would cancel ${clientOrderId} at ${inner.name}: not sent`);
      }),
    ordersSince: async (since) => {
      const from = requireInstant(name, "ordersSince", "since", since);
      const real = await inner.ordersSince(since);
      const mine = hypothetical.orders().filter((order) => Date.parse(order.submittedAt) >= from);
      // A stable sort keeps each side's own order among equal instants.
      return [...real, ...mine].sort(
        (a, b) => Date.parse(a.submittedAt) - Date.parse(b.submittedAt),
      );
    },
    hypotheticalOrders: () => hypothetical.orders(),
  };
}
