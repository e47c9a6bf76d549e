import { type Clock, type IdGenerator, type Mode, uuidFromName } from "@trader/core";
import { createTypedStore, type EventStore } from "@trader/store";
import { SIM_EVENT_REGISTRY, type SimEvent } from "./events.js";
import type { SimLedger } from "./ledger.js";

export interface SimStreamOptions {
  readonly store: EventStore;
  readonly stream: string;
  readonly clock: Clock;
  readonly mode: Mode;
  /** metadata.runId of the events written. */
  readonly runId: string;
}

/** A simulated account's stream: folded into a ledger on open, appended to before each answer. */
export interface SimStream {
  readonly name: string;
  /** The last revision written, or -1 while the stream does not exist. */
  readonly revision: number;
  /** Stamps, appends (expecting the revision last seen) and only then applies to the ledger. */
  append(events: readonly SimEvent[]): Promise<void>;
}

/**
 * Folds the stream into `ledger` and returns its writer. Event ids are uuidFromName
 * ("<stream>:<revision>"), so the same history gives byte-identical events, and a retried
 * append is a no-op for the store.
 */
export async function openSimStream(
  options: SimStreamOptions,
  ledger: SimLedger,
): Promise<SimStream> {
  const { stream, clock, mode, runId } = options;
  const typed = createTypedStore(options.store, SIM_EVENT_REGISTRY);
  let revision = -1;
  for await (const event of typed.readStream(stream)) {
    ledger.apply(event);
    revision = event.revision;
  }
  return {
    name: stream,
    get revision() {
      return revision;
    },
    async append(events) {
      if (events.length === 0) return;
      let next = revision + 1;
      const ids: IdGenerator = { next: () => uuidFromName(`${stream}:${next++}`) };
      const stamped = SIM_EVENT_REGISTRY.stamp(events, { clock, ids, runId, mode });
      const result = await typed.append(stream, stamped, {
        expectedRevision: revision < 0 ? "no_stream" : revision,
      });
      for (const event of stamped) ledger.apply(event);
      revision = result.nextRevision;
    },
  };
}
