/**
 * Wraps a broker so every call goes through the broker call breaker (SPEC §5): RequestCall
 * before the call (refused → BrokerError `circuit_open`, the broker is not called), then
 * RecordSuccess or RecordFailure. The breaker's events go to `record` before anything they
 * allow happens; the runtime appends them to the run's stream.
 *
 * What counts as a failure: the broker could not be reached or did not answer sensibly
 * (BrokerError `timeout`, `unavailable`, `protocol`, `circuit_open` from a breaker further in,
 * or any other exception). An answer is a success of the call, even a refusal: `rejected`,
 * `duplicate_client_order_id`, `not_found`, `invalid_request`, and `auth` too: a broker that
 * says "bad credentials" is up, and opening the circuit would hide that cause behind
 * `circuit_open` while retrying could not fix it.
 */
import {
  type BrokerBreakerCommand,
  type BrokerBreakerConfigInput,
  type BrokerBreakerEvent,
  type BrokerBreakerRefusal,
  type BrokerBreakerState,
  type Clock,
  createBrokerBreaker,
  fold,
  toIsoUtc,
} from "@trader/core";
import { type Broker, BrokerError, type BrokerErrorKind } from "./port.js";
import { serialQueue } from "./serial.js";

export interface CallBreakerOptions {
  readonly clock: Clock;
  readonly config?: BrokerBreakerConfigInput;
  /** The state folded from the breaker's recorded events, to resume after a restart. */
  readonly initialState?: BrokerBreakerState;
  /** Ids for calls; default `<broker name>-call-<n>`, n counting the calls let through. */
  readonly callId?: () => string;
  /** Receives the breaker's events, in order; awaited before the call proceeds. */
  readonly record: (events: readonly BrokerBreakerEvent[]) => void | Promise<void>;
}

export interface CallBreakerBroker extends Broker {
  /** The breaker's state now. */
  state(): BrokerBreakerState;
}

const FAILURE_KINDS: ReadonlySet<BrokerErrorKind> = new Set([
  "timeout",
  "unavailable",
  "protocol",
  "circuit_open",
]);

/** True when the error means the broker was unreachable or broken, not that it answered. */
export function isBrokerCallFailure(error: unknown): boolean {
  return !(error instanceof BrokerError) || FAILURE_KINDS.has(error.kind);
}

const describeError = (error: unknown) =>
  error instanceof BrokerError
    ? `${error.kind}: ${error.message}`
    : error instanceof Error
      ? `${error.name}: ${error.message}`
      : String(error);

export function withCallBreaker(inner: Broker, options: CallBreakerOptions): CallBreakerBroker {
  const breaker = createBrokerBreaker(
    options.config === undefined ? {} : { config: options.config },
  );
  let state = options.initialState ?? breaker.initialState;
  // Calls a previous process let through and never reported: they failed with it.
  let abandoned = [...state.inFlight];
  const now = () => toIsoUtc(options.clock.now());
  const nextCallId = options.callId ?? (() => `${inner.name}-call-${state.counts.calls + 1}`);
  const bookkeeping = serialQueue();

  /** Decides one command, hands its events to `record`, and only then moves the state on. */
  const decide = async (command: BrokerBreakerCommand): Promise<BrokerBreakerRefusal | null> => {
    const decision = breaker.decide(command, state);
    if (!decision.ok) return decision.refusal;
    await options.record(decision.events);
    state = fold(breaker, decision.events, state);
    return null;
  };

  const failAbandoned = async () => {
    for (const callId of abandoned) {
      await decide({
        type: "RecordFailure",
        callId,
        at: now(),
        error: "abandoned: the process stopped before the call reported",
      });
    }
    abandoned = [];
  };

  const report = (callId: string, failure: unknown | null) =>
    bookkeeping(async () => {
      const at = now();
      const refusal = await decide(
        failure === null
          ? { type: "RecordSuccess", callId, at }
          : { type: "RecordFailure", callId, at, error: describeError(failure) },
      );
      if (refusal) throw new Error(`broker call breaker: ${refusal.message}`);
    });

  async function guarded<T>(method: string, call: () => Promise<T>): Promise<T> {
    const callId = await bookkeeping(async () => {
      await failAbandoned();
      const id = nextCallId();
      const refusal = await decide({ type: "RequestCall", callId: id, at: now() });
      if (refusal === null) return id;
      if (refusal.code === "circuit_open" || refusal.code === "trial_in_flight") {
        throw new BrokerError("circuit_open", `${inner.name} ${method}: ${refusal.message}`, {
          ...refusal.detail,
          method,
        });
      }
      throw new Error(
        `broker call breaker refused call ${id} (${refusal.code}): ${refusal.message}`,
      );
    });
    let result: T;
    try {
      result = await call();
    } catch (error) {
      await report(callId, isBrokerCallFailure(error) ? error : null);
      throw error;
    }
    await report(callId, null);
    return result;
  }

  return {
    name: inner.name,
    state: () => state,
    account: () => guarded("account", () => inner.account()),
    positions: () => guarded("positions", () => inner.positions()),
    submitOrder: (request) => guarded("submitOrder", () => inner.submitOrder(request)),
    orderByClientId: (clientOrderId) =>
      guarded("orderByClientId", () => inner.orderByClientId(clientOrderId)),
    cancelOrder: (clientOrderId) => guarded("cancelOrder", () => inner.cancelOrder(clientOrderId)),
    ordersSince: (since) => guarded("ordersSince", () => inner.ordersSince(since)),
  };
}
