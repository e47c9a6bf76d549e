import type { Broker } from "@trader/brokers";
import { type DomainEvent, intentTimeBucket } from "@trader/core";
import type { AccountJournal } from "../account/account-journal.js";
import type { ExpectedOrder } from "./broker-results.js";
import { type ExecutionOptions, type ExecutionReport, executeOrders } from "./execution.js";

/** The drawdown governor's own seller: its intents carry this strategy name. */
export const FLATTEN_STRATEGY = "drawdown-governor";

/**
 * Flatten-on-panic (SPEC §2: "PANIC: … when flatten-on-panic is on, flatten intents for every
 * position"). Runs after the run's own orders: for each position the governor asked this run to
 * close that is still held, one sell intent for what is left, recorded with `FlattenOrdered`
 * before it is sent. A resumed run finds its `FlattenOrdered` events and sends only what is still
 * CREATED. Exits are allowed under HALT/PANIC and an `entries` kill.
 */
export async function flattenRequestedPositions(
  journal: AccountJournal,
  broker: Broker,
  priceOf: (symbol: string) => number | undefined,
  options: ExecutionOptions,
): Promise<ExecutionReport> {
  const requested = new Set<string>();
  const ordered: ExpectedOrder[] = [];
  for await (const event of journal.readOwnStream()) {
    if (event.metadata.runId !== journal.runId) continue;
    if (event.type === "GovernorFlattenRequested") requested.add(event.data.symbol);
    if (event.type === "FlattenOrdered") {
      ordered.push({
        intentId: event.data.intentId,
        symbol: event.data.symbol,
        side: "sell",
        quantity: event.data.quantity,
        expectedPrice: event.data.expectedPrice,
      });
    }
  }
  if (requested.size === 0) return { submitted: 0, fills: 0, aborted: false };
  if (ordered.length === 0) {
    const at = journal.now();
    const events: DomainEvent[] = [];
    let intents = journal.state.intents;
    for (const symbol of [...requested].sort()) {
      const held = journal.state.positions[symbol]?.quantity ?? 0;
      const price = priceOf(symbol);
      if (held <= 0 || price === undefined) continue;
      const created = journal.machines.intents.decide(
        {
          type: "CreateIntent",
          at,
          runId: journal.runId,
          strategy: FLATTEN_STRATEGY,
          symbol,
          side: "sell",
          targetQuantity: held,
          timeBucket: intentTimeBucket(at),
        },
        intents,
      );
      if (!created.ok) continue;
      for (const event of created.events) intents = journal.machines.intents.evolve(intents, event);
      const intentId = (created.events[0] as { data: { intentId: string } }).data.intentId;
      const order = {
        intentId,
        symbol,
        side: "sell" as const,
        quantity: held,
        expectedPrice: price,
      };
      events.push(...created.events, {
        type: "FlattenOrdered",
        data: { runId: journal.runId, intentId, symbol, quantity: held, expectedPrice: price },
      });
      ordered.push(order);
    }
    await journal.append(events);
  }
  return executeOrders(journal, broker, ordered, options);
}
