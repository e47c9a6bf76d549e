/**
 * The paper simulator: a Broker whose account lives in its own event stream `sim-<account>`.
 * Every answer is appended before the call resolves, with deterministic ids, so a backtest
 * replays byte-identically and a restarted simulator folds back to the same account.
 */
import {
  assertCents,
  type Cents,
  type Clock,
  centsFromDollars,
  deterministicId,
  type Mode,
  toIsoUtc,
} from "@trader/core";
import type { EventStore } from "@trader/store";
import { decisionPriceFillModel, type FillModel } from "./fill-model.js";
import {
  type Broker,
  type BrokerAccount,
  BrokerError,
  type BrokerOrder,
  type BrokerPosition,
  type SubmitOrderRequest,
} from "./port.js";
import { serialQueue } from "./serial.js";
import { openSimStream } from "./simulated/account-stream.js";
import {
  decideSubmission,
  isWorking,
  marketValueOf,
  positionsOf,
  SimLedger,
} from "./simulated/ledger.js";
import { requireInstant, validateSubmitRequest } from "./validate-request.js";

/** What tests may ask of the simulator beyond plain fills. */
export interface PaperSimulatorBehaviour {
  /** The share of the order filled at once, 0..1 (floored to whole shares); the rest stays working. */
  partialFill?(request: SubmitOrderRequest): number;
  /** A reason to reject the order (status "rejected"), or null to let it through. */
  reject?(request: SubmitOrderRequest): string | null;
  /** Waited before every call answers. */
  latencyMs?: number;
  /** How to wait `latencyMs`; a timer by default. */
  sleep?: (ms: number) => Promise<void>;
}

export interface PaperSimulatorOptions {
  readonly store: EventStore;
  readonly account: string;
  readonly clock: Clock;
  /** Cash of a new account; ignored when the stream already exists (its history wins). */
  readonly initialCashCents: Cents;
  /** Default: decisionPriceFillModel() (no slippage, no noise). */
  readonly fillModel?: FillModel;
  /** Latest price in dollars for equity and positions; the last fill price when undefined. */
  readonly marks?: (symbol: string) => number | undefined;
  readonly behaviour?: PaperSimulatorBehaviour;
  /** metadata.mode of the events written; default "paper" (a backtest passes "backtest"). */
  readonly mode?: Mode;
  /** metadata.runId of the events written; default the stream name. */
  readonly runId?: string;
}

export interface PaperSimulator extends Broker {
  /** `sim-<account>`. */
  readonly stream: string;
  readonly fillModel: FillModel;
  /** Every order, in submission order. */
  orders(): BrokerOrder[];
  /** Sets marks in dollars by symbol; they win over the `marks` option. */
  setMarks(marks: Readonly<Record<string, number>>): void;
  /** End of day: every working order becomes "expired". Returns the orders expired. */
  expireWorkingOrders(at?: string): Promise<BrokerOrder[]>;
}

export const SIMULATOR_NAME = "simulator";

export const simulatorStreamName = (account: string) => `sim-${account}`;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function openPaperSimulator(options: PaperSimulatorOptions): Promise<PaperSimulator> {
  const { account, clock, behaviour = {} } = options;
  if (typeof account !== "string" || account.trim() === "") {
    throw new RangeError(
      `openPaperSimulator: account must be a non-empty string, got ${JSON.stringify(account)}`,
    );
  }
  assertCents(options.initialCashCents, "openPaperSimulator initialCashCents");
  if (options.initialCashCents < 0) {
    throw new RangeError(
      `openPaperSimulator: initialCashCents must be ≥ 0, got ${options.initialCashCents}`,
    );
  }
  const latencyMs = behaviour.latencyMs ?? 0;
  if (!(Number.isFinite(latencyMs) && latencyMs >= 0)) {
    throw new RangeError(
      `openPaperSimulator: behaviour.latencyMs must be a finite number ≥ 0, got ${latencyMs}`,
    );
  }
  const sleep = behaviour.sleep ?? defaultSleep;
  const fillModel = options.fillModel ?? decisionPriceFillModel();
  const stream = simulatorStreamName(account);
  const now = () => toIsoUtc(clock.now());

  const ledger = new SimLedger();
  const log = await openSimStream(
    {
      store: options.store,
      stream,
      clock,
      mode: options.mode ?? "paper",
      runId: options.runId ?? stream,
    },
    ledger,
  );
  if (log.revision < 0) {
    await log.append([
      {
        type: "SimAccountOpened",
        data: { account, initialCashCents: options.initialCashCents, at: now() },
      },
    ]);
  }

  const setMarks = new Map<string, Cents>();
  const markCents = (symbol: string): Cents | undefined => {
    const set = setMarks.get(symbol);
    if (set !== undefined) return set;
    const dollars = options.marks?.(symbol);
    return dollars === undefined
      ? ledger.lastFillPriceCents.get(symbol)
      : centsFromDollars(dollars);
  };

  const exclusive = serialQueue();
  /** Every call waits the configured latency, then runs alone against the ledger. */
  const call = async <T>(task: () => Promise<T> | T): Promise<T> => {
    if (latencyMs > 0) await sleep(latencyMs);
    return exclusive(async () => task());
  };

  const mustFind = (method: string, clientOrderId: string) => {
    const order = ledger.order(clientOrderId);
    if (!order) {
      throw new BrokerError(
        "not_found",
        `${SIMULATOR_NAME} ${method}: no order with client order id ${clientOrderId}`,
        {
          clientOrderId,
        },
      );
    }
    return order;
  };

  /** Cancels or expires the working orders among `orders`; returns them as they end up. */
  const endWorking = async (
    type: "SimOrderCanceled" | "SimOrderExpired",
    orders: BrokerOrder[],
    reason: string,
    at: string,
  ): Promise<BrokerOrder[]> => {
    const ending = orders.filter((order) => isWorking(order.status)).map((o) => o.clientOrderId);
    await log.append(
      ending.map((clientOrderId) => ({ type, data: { clientOrderId, reason, at } })),
    );
    return ending.map((clientOrderId) => ledger.order(clientOrderId) as BrokerOrder);
  };

  return {
    name: SIMULATOR_NAME,
    stream,
    fillModel,
    account: () =>
      call((): BrokerAccount => {
        const equityCents = assertCents(
          ledger.cashCents + marketValueOf(ledger.holdings, markCents),
          "equity",
        );
        return { cashCents: ledger.cashCents, equityCents, buyingPowerCents: ledger.cashCents };
      }),
    positions: () => call((): BrokerPosition[] => positionsOf(ledger.holdings, markCents)),
    submitOrder: (request) =>
      call(async () => {
        validateSubmitRequest(SIMULATOR_NAME, request);
        if (ledger.order(request.clientOrderId)) {
          throw new BrokerError(
            "duplicate_client_order_id",
            `${SIMULATOR_NAME} submitOrder: client order id ${request.clientOrderId} was already used`,
            { clientOrderId: request.clientOrderId },
          );
        }
        await log.append(
          decideSubmission({
            request,
            at: now(),
            brokerOrderId: `sim-${deterministicId([account, request.clientOrderId])}`,
            fillModel,
            buyingPowerCents: ledger.cashCents,
            heldQuantity: ledger.heldQuantity(request.symbol),
            fillFraction: behaviour.partialFill?.(request) ?? 1,
            rejectReason: behaviour.reject?.(request) ?? null,
          }),
        );
        return mustFind("submitOrder", request.clientOrderId);
      }),
    orderByClientId: (clientOrderId) => call(() => ledger.order(clientOrderId)),
    cancelOrder: (clientOrderId) =>
      call(async () => {
        await endWorking(
          "SimOrderCanceled",
          [mustFind("cancelOrder", clientOrderId)],
          "canceled on request",
          now(),
        );
      }),
    ordersSince: (since) =>
      call(() => {
        const from = requireInstant(SIMULATOR_NAME, "ordersSince", "since", since);
        return ledger.orders().filter((order) => Date.parse(order.submittedAt) >= from);
      }),
    orders: () => ledger.orders(),
    setMarks(marks) {
      for (const [symbol, dollars] of Object.entries(marks))
        setMarks.set(symbol, centsFromDollars(dollars));
    },
    expireWorkingOrders: (at) =>
      call(() => {
        const when =
          at === undefined
            ? now()
            : toIsoUtc(requireInstant(SIMULATOR_NAME, "expireWorkingOrders", "at", at));
        return endWorking("SimOrderExpired", ledger.orders(), "end of day", when);
      }),
  };
}
