/**
 * A fault injector for tests: wraps a broker and, for the calls a plan names, makes them fail
 * or answer the way real brokers and networks sometimes do.
 *
 * A plan is a list of rules; the first rule that matches a call applies, and a call no rule
 * matches goes through untouched. A rule names a method and, optionally, which calls to that
 * method (1-based, counted per method) or a predicate:
 *
 *   withFaults(broker, [
 *     { method: "submitOrder", calls: [1], fault: { kind: "timeout_after_success" } },
 *     { method: "account", when: ({ callNumber }) => callNumber > 2, fault: { kind: "unavailable" } },
 *   ]);
 */
import { type Broker, BrokerError, type BrokerOrder } from "./port.js";

export const BROKER_METHODS = [
  "account",
  "positions",
  "submitOrder",
  "orderByClientId",
  "cancelOrder",
  "ordersSince",
] as const;
export type BrokerMethod = (typeof BROKER_METHODS)[number];

export type Fault =
  /** Fails with BrokerError `timeout`; the broker never sees the call. */
  | { readonly kind: "timeout" }
  /** The broker carries the call out, then the caller gets `timeout` (crash between submit and acknowledgement). */
  | { readonly kind: "timeout_after_success" }
  /** Fails with BrokerError `unavailable` as an HTTP 5xx (default 503); the broker never sees the call. */
  | { readonly kind: "unavailable"; readonly status?: number }
  /** submitOrder: fails with BrokerError `rejected` (default reason "rejected by fault injection"); the broker never sees it. */
  | { readonly kind: "reject"; readonly reason?: string }
  /**
   * submitOrder, orderByClientId: reports the order's last fill as only `fraction` done
   * (status partially_filled). From then on that fill is reported as two executions,
   * `<id>#1` and `<id>#2`, so the rest arrives later as a fill of its own.
   */
  | { readonly kind: "partial_fill"; readonly fraction: number }
  /** orderByClientId: the last fill appears twice, with the same execution id. */
  | { readonly kind: "duplicate_fill" }
  /** orderByClientId: a stale update arrives late: the order as first acknowledged (accepted, no fills). */
  | { readonly kind: "out_of_order" }
  /** submitOrder: answers, and the same request is then sent to the broker a second time (its answer is logged). */
  | { readonly kind: "answer_twice" };
export type FaultKind = Fault["kind"];

export interface FaultCall {
  readonly method: BrokerMethod;
  /** 1-based, counted per method over every call made to the wrapper. */
  readonly callNumber: number;
  readonly args: readonly unknown[];
}

export interface FaultRule {
  readonly method: BrokerMethod;
  /** The call numbers it hits; every call to the method when neither `calls` nor `when` is given. */
  readonly calls?: readonly number[];
  readonly when?: (call: FaultCall) => boolean;
  readonly fault: Fault;
}

export type FaultPlan = readonly FaultRule[];

export interface InjectedFault {
  readonly method: BrokerMethod;
  readonly callNumber: number;
  readonly kind: FaultKind;
  /** What happened, e.g. the second submit's answer for `answer_twice`. */
  readonly detail: string;
}

export interface FaultyBroker extends Broker {
  /** The faults injected so far, in order. */
  injected(): readonly InjectedFault[];
  /** Calls that reached the wrapped broker (all methods, or one). */
  callsReachingBroker(method?: BrokerMethod): number;
}

const APPLIES_TO: Readonly<Record<FaultKind, readonly BrokerMethod[]>> = {
  timeout: BROKER_METHODS,
  timeout_after_success: BROKER_METHODS,
  unavailable: BROKER_METHODS,
  reject: ["submitOrder"],
  partial_fill: ["submitOrder", "orderByClientId"],
  duplicate_fill: ["orderByClientId"],
  out_of_order: ["orderByClientId"],
  answer_twice: ["submitOrder"],
};

function checkRule(rule: FaultRule, index: number): void {
  const where = `withFaults: plan rule ${index} (${rule.method} ${rule.fault?.kind})`;
  if (!(BROKER_METHODS as readonly string[]).includes(rule.method)) {
    throw new RangeError(`${where}: method must be one of ${BROKER_METHODS.join(", ")}`);
  }
  const methods = APPLIES_TO[rule.fault?.kind];
  if (!methods) {
    throw new RangeError(
      `${where}: fault kind must be one of ${Object.keys(APPLIES_TO).join(", ")}`,
    );
  }
  if (!methods.includes(rule.method)) {
    throw new RangeError(
      `${where}: a ${rule.fault.kind} fault applies only to ${methods.join(", ")}`,
    );
  }
  if (rule.calls?.some((n) => !(Number.isInteger(n) && n >= 1))) {
    throw new RangeError(`${where}: calls must be call numbers ≥ 1, got ${rule.calls.join(", ")}`);
  }
  const { fault } = rule;
  if (fault.kind === "partial_fill" && !(fault.fraction > 0 && fault.fraction < 1)) {
    throw new RangeError(
      `${where}: fraction must be between 0 and 1 (exclusive), got ${fault.fraction}`,
    );
  }
  if (
    fault.kind === "unavailable" &&
    fault.status !== undefined &&
    !(Number.isInteger(fault.status) && fault.status >= 500 && fault.status <= 599)
  ) {
    throw new RangeError(`${where}: status must be an HTTP 5xx code, got ${fault.status}`);
  }
}

export function withFaults(inner: Broker, plan: FaultPlan): FaultyBroker {
  plan.forEach(checkRule);
  const callCounts = new Map<BrokerMethod, number>();
  const reached = new Map<BrokerMethod, number>();
  const injected: InjectedFault[] = [];
  /** Execution ids reported as split by a partial_fill fault → shares in the first part. */
  const splits = new Map<string, number>();

  const reach = <T>(method: BrokerMethod, call: () => Promise<T>) => {
    reached.set(method, (reached.get(method) ?? 0) + 1);
    return call();
  };

  const withSplits = (order: BrokerOrder): BrokerOrder => {
    if (!order.fills.some((fill) => splits.has(fill.executionId))) return order;
    const fills = order.fills.flatMap((fill) => {
      const first = splits.get(fill.executionId);
      if (first === undefined) return [fill];
      return [
        { ...fill, executionId: `${fill.executionId}#1`, quantity: first },
        { ...fill, executionId: `${fill.executionId}#2`, quantity: fill.quantity - first },
      ];
    });
    return { ...order, fills };
  };
  const rewrite = <T>(answer: T): T => {
    if (Array.isArray(answer)) return answer.map((item) => rewrite(item)) as T;
    if (answer && typeof answer === "object" && "fills" in answer) {
      return withSplits(answer as unknown as BrokerOrder) as T;
    }
    return answer;
  };

  async function run<T>(
    method: BrokerMethod,
    args: readonly unknown[],
    call: () => Promise<T>,
  ): Promise<T> {
    const callNumber = (callCounts.get(method) ?? 0) + 1;
    callCounts.set(method, callNumber);
    const facts: FaultCall = { method, callNumber, args };
    const rule = plan.find(
      (r) =>
        r.method === method &&
        (r.calls === undefined || r.calls.includes(callNumber)) &&
        (r.when === undefined || r.when(facts)),
    );
    if (!rule) return rewrite(await reach(method, call));
    const { fault } = rule;
    const note = (detail: string) =>
      injected.push({ method, callNumber, kind: fault.kind, detail });
    const detail = { fault: fault.kind, method, callNumber };
    const label = `${inner.name} ${method} (call ${callNumber})`;
    switch (fault.kind) {
      case "timeout":
        note("timed out before reaching the broker");
        throw new BrokerError(
          "timeout",
          `${label}: timed out before reaching the broker (injected)`,
          detail,
        );
      case "unavailable": {
        const status = fault.status ?? 503;
        note(`HTTP ${status}`);
        throw new BrokerError("unavailable", `${label}: HTTP ${status} (injected)`, {
          ...detail,
          status,
        });
      }
      case "reject": {
        const reason = fault.reason ?? "rejected by fault injection";
        note(reason);
        throw new BrokerError("rejected", `${label}: ${reason} (injected)`, { ...detail, reason });
      }
      case "timeout_after_success":
        await reach(method, call);
        note("the broker carried the call out; its answer was lost");
        throw new BrokerError(
          "timeout",
          `${label}: timed out waiting for the answer; the call reached the broker (injected)`,
          detail,
        );
      case "answer_twice": {
        const answer = rewrite(await reach(method, call));
        let second: string;
        try {
          await reach(method, call);
          second = "the second submit was accepted";
        } catch (error) {
          second = `the second submit failed: ${error instanceof BrokerError ? error.kind : String(error)}`;
        }
        note(second);
        return answer;
      }
      case "partial_fill":
      case "duplicate_fill":
      case "out_of_order": {
        const answer = (await reach(method, call)) as BrokerOrder | null;
        if (answer === null) {
          note("no order to report on");
          return answer as T;
        }
        return reshape(fault, answer, note) as T;
      }
    }
  }

  const reshape = (
    fault: Fault,
    real: BrokerOrder,
    note: (detail: string) => void,
  ): BrokerOrder => {
    const order = withSplits(real);
    const last = order.fills.at(-1);
    if (fault.kind === "out_of_order") {
      note(`reported ${order.clientOrderId} as accepted after it was ${order.status}`);
      const { reason: _, ...rest } = order;
      return { ...rest, status: "accepted", filledQuantity: 0, fills: [] };
    }
    if (!last) {
      note(`${order.clientOrderId} has no fill to reshape`);
      return order;
    }
    if (fault.kind === "duplicate_fill") {
      note(`reported execution ${last.executionId} twice`);
      return { ...order, fills: [...order.fills, last] };
    }
    const realLast = real.fills.at(-1);
    if (fault.kind !== "partial_fill" || !realLast || splits.has(realLast.executionId)) {
      note(`${order.clientOrderId}'s last fill was already reported in part; reported as it is`);
      return order;
    }
    if (last.quantity < 2) {
      note(`${order.clientOrderId}'s last fill is a single share; reported as it is`);
      return order;
    }
    const first = Math.max(1, Math.floor(last.quantity * fault.fraction));
    splits.set(last.executionId, first);
    note(`reported ${first} of the ${last.quantity} shares of execution ${last.executionId}`);
    return {
      ...order,
      status: "partially_filled",
      filledQuantity: order.filledQuantity - (last.quantity - first),
      fills: [
        ...order.fills.slice(0, -1),
        { ...last, executionId: `${last.executionId}#1`, quantity: first },
      ],
    };
  };

  return {
    name: inner.name,
    injected: () => [...injected],
    callsReachingBroker: (method) =>
      method === undefined
        ? [...reached.values()].reduce((sum, n) => sum + n, 0)
        : (reached.get(method) ?? 0),
    account: () => run("account", [], () => inner.account()),
    positions: () => run("positions", [], () => inner.positions()),
    submitOrder: (request) => run("submitOrder", [request], () => inner.submitOrder(request)),
    orderByClientId: (clientOrderId) =>
      run("orderByClientId", [clientOrderId], () => inner.orderByClientId(clientOrderId)),
    cancelOrder: (clientOrderId) =>
      run("cancelOrder", [clientOrderId], () => inner.cancelOrder(clientOrderId)),
    ordersSince: (since) => run("ordersSince", [since], () => inner.ordersSince(since)),
  };
}
