/** The EventStore port on a KurrentDB / EventStoreDB server, through `@kurrent/kurrentdb-client`. */
import {
  BACKWARDS,
  END,
  excludeSystemEvents,
  FORWARDS,
  KurrentDBClient,
  NO_STREAM,
  START,
} from "@kurrent/kurrentdb-client";
import {
  type AppendOptions,
  type AppendResult,
  decideAppend,
  type EventStore,
  type NewEvent,
  prepareAppend,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  StoreInputError,
  StoreStateError,
  type StreamFacts,
  type SubscribeOptions,
} from "@trader/store";
import { Observable, type Subscriber } from "rxjs";
import { type DecodedEvent, decodeEvent, encodeEvent, type ResolvedLike } from "./codec.js";
import { EsdbUnavailableError, hostOf, isUnavailable, translateError } from "./errors.js";
import { resubscribing } from "./resubscribe.js";

export interface EsdbStoreOptions {
  /** e.g. `kurrentdb://admin:changeit@node1:2113,node2:2113,node3:2113?tls=true`. */
  readonly connectionString: string;
  /**
   * How many times an append re-reads the stream and tries again after another writer got in
   * first; default 100. Only `any` and `stream_exists` appends use more than two: with a number or
   * `no_stream`, the re-read decides (a ConcurrencyError, or the batch turns out to be stored).
   */
  readonly appendAttempts?: number;
}

export interface EsdbEventStore extends EventStore {
  /** The host(s) of the connection string, for messages. */
  readonly host: string;
  /** Resolves once the server answers a read; `EsdbUnavailableError` after `timeoutMs`. */
  ping(timeoutMs?: number): Promise<void>;
}

interface ClosableSubscription {
  unsubscribe(): Promise<void>;
}

export function createEsdbStore(options: EsdbStoreOptions): EsdbEventStore {
  const host = hostOf(options.connectionString);
  const appendAttempts = options.appendAttempts ?? 100;
  let client: KurrentDBClient;
  try {
    client = KurrentDBClient.connectionString(options.connectionString);
  } catch (error) {
    throw new StoreInputError(
      `connection string for ${host}`,
      `not a valid KurrentDB connection string (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  let closed = false;
  const subscribers = new Set<Subscriber<RecordedEvent>>();
  const clientSubscriptions = new Set<ClosableSubscription>();

  const ensureOpen = (what: string) => {
    if (closed) throw new StoreStateError(`${what}: the event store is closed`);
  };
  const fail = (error: unknown, stream?: string): never => {
    throw translateError(error, stream === undefined ? { host } : { host, stream });
  };

  async function* readStreamDecoded(
    stream: string,
    fromRevision: number,
  ): AsyncGenerator<DecodedEvent> {
    try {
      const reading = client.readStream(stream, {
        fromRevision: BigInt(fromRevision),
        direction: FORWARDS,
      });
      for await (const resolved of reading) {
        const decoded = decodeEvent(resolved as ResolvedLike);
        if (decoded) yield decoded;
      }
    } catch (error) {
      if (isStreamNotFound(error)) return;
      fail(error, stream);
    }
  }

  async function readFacts(stream: string): Promise<StreamFacts> {
    const events: DecodedEvent[] = [];
    for await (const decoded of readStreamDecoded(stream, 0)) events.push(decoded);
    const last = events.at(-1);
    if (!last) return { revision: "no_stream", revisionOf: () => undefined, resultOf: noResult };
    const byId = new Map(events.map((decoded) => [decoded.event.id, decoded.event.revision]));
    return {
      revision: last.event.revision,
      revisionOf: (id) => byId.get(id),
      resultOf: (revision) => {
        const batchEnd = Math.min(events[revision]?.batchEnd ?? revision, last.event.revision);
        const end = events[batchEnd] as DecodedEvent;
        return { nextRevision: batchEnd, position: end.event.position, written: true };
      },
    };
  }

  async function positionAt(stream: string, revision: number): Promise<number> {
    for await (const decoded of readStreamDecoded(stream, revision)) return decoded.event.position;
    throw new StoreStateError(
      `append to stream "${stream}": revision ${revision} did not read back`,
    );
  }

  async function* readAllDecoded(
    fromPosition: number,
    prefix?: string,
  ): AsyncGenerator<DecodedEvent> {
    try {
      // $all positions are byte offsets: only an event's own position is a valid place to start,
      // so the read starts at the beginning and skips what lies before `fromPosition`.
      for await (const resolved of client.readAll({ fromPosition: START, direction: FORWARDS })) {
        const decoded = decodeEvent(resolved as ResolvedLike);
        if (!decoded || decoded.event.position < fromPosition) continue;
        if (prefix !== undefined && !decoded.event.stream.startsWith(prefix)) continue;
        yield decoded;
      }
    } catch (error) {
      fail(error);
    }
  }

  async function* openAllSubscription(
    after: DecodedEvent | undefined,
    mine: Set<ClosableSubscription>,
  ): AsyncGenerator<DecodedEvent> {
    const subscription = client.subscribeToAll({
      fromPosition: after ? after.nativePosition : START,
      filter: excludeSystemEvents(),
    });
    clientSubscriptions.add(subscription);
    mine.add(subscription);
    try {
      for await (const resolved of subscription) {
        const decoded = decodeEvent(resolved as ResolvedLike);
        if (decoded) yield decoded;
      }
    } finally {
      clientSubscriptions.delete(subscription);
      mine.delete(subscription);
      await subscription.unsubscribe().catch(() => undefined);
    }
  }

  const store: EsdbEventStore = {
    host,

    async append(
      stream: string,
      events: readonly NewEvent[],
      appendOptions: AppendOptions,
    ): Promise<AppendResult> {
      ensureOpen("append");
      const prepared = prepareAppend(stream, events, appendOptions);
      for (let attempt = 1; ; attempt++) {
        const facts = await readFacts(prepared.stream);
        const decision = decideAppend(prepared, facts);
        if (decision.kind === "retry") return decision.result;
        const batchEnd = decision.firstRevision + events.length - 1;
        // The exact state we decided on: the server refuses the append if another writer got in
        // between, and deduplicates a resent batch by event id.
        const streamState = facts.revision === "no_stream" ? NO_STREAM : BigInt(facts.revision);
        try {
          await client.appendToStream(
            prepared.stream,
            events.map((event) => encodeEvent(event, batchEnd)),
            { streamState },
          );
        } catch (error) {
          const lostRace = (error as { type?: unknown } | null)?.type === "wrong-expected-version";
          if (lostRace && attempt < appendAttempts) {
            await pause(Math.random() * Math.min(attempt, 20)); // spread racing writers out
            continue; // re-read and decide again
          }
          throw translateError(error, {
            host,
            stream: prepared.stream,
            expected: prepared.expectedRevision,
          });
        }
        return {
          nextRevision: batchEnd,
          position: await positionAt(prepared.stream, batchEnd),
          written: true,
        };
      }
    },

    readStream(stream: string, readOptions?: ReadStreamOptions): AsyncIterable<RecordedEvent> {
      return mapEvents(async function* () {
        ensureOpen("readStream");
        const name = checkStream(stream, "readStream");
        const from = checkWhole(readOptions?.from ?? 0, `readStream ${JSON.stringify(name)}: from`);
        yield* readStreamDecoded(name, from);
      });
    },

    readAll(readOptions?: ReadAllOptions): AsyncIterable<RecordedEvent> {
      return mapEvents(async function* () {
        ensureOpen("readAll");
        yield* readAllDecoded(checkWhole(readOptions?.fromPosition ?? 0, "readAll: fromPosition"));
      });
    },

    async streamRevision(stream: string): Promise<number | "no_stream"> {
      ensureOpen("streamRevision");
      const name = checkStream(stream, "streamRevision");
      try {
        const reading = client.readStream(name, {
          fromRevision: END,
          direction: BACKWARDS,
          maxCount: 1,
        });
        for await (const resolved of reading) {
          const decoded = decodeEvent(resolved as ResolvedLike);
          if (decoded) return decoded.event.revision;
        }
        return "no_stream";
      } catch (error) {
        if (isStreamNotFound(error)) return "no_stream";
        return fail(error, name);
      }
    },

    async listStreams(prefix = ""): Promise<string[]> {
      ensureOpen("listStreams");
      if (typeof prefix !== "string") {
        throw new StoreInputError(`listStreams: prefix ${String(prefix)}`, "a prefix is a string");
      }
      const names = new Set<string>();
      for await (const decoded of readAllDecoded(0, prefix)) names.add(decoded.event.stream);
      return [...names].sort();
    },

    subscribe(subscribeOptions?: SubscribeOptions): Observable<RecordedEvent> {
      return new Observable<RecordedEvent>((subscriber) => {
        if (closed) {
          subscriber.error(new StoreStateError("subscribe: the event store is closed"));
          return;
        }
        let fromPosition: number;
        try {
          fromPosition = checkWhole(subscribeOptions?.fromPosition ?? 0, "subscribe: fromPosition");
        } catch (error) {
          subscriber.error(error);
          return;
        }
        subscribers.add(subscriber);
        const mine = new Set<ClosableSubscription>();
        const events = resubscribing<DecodedEvent>({
          // After unsubscribe (e.g. during a resubscribe's backoff), open nothing new.
          source: {
            open: (after) => (subscriber.closed ? none() : openAllSubscription(after, mine)),
          },
          positionOf: (decoded) => decoded.event.position,
          fromPosition,
          isDrop: isUnavailable,
        });
        const run = async () => {
          for await (const decoded of events) {
            if (subscriber.closed) return;
            subscriber.next(decoded.event);
          }
          subscriber.complete();
        };
        run().catch((error: unknown) => subscriber.error(translateError(error, { host })));
        return () => {
          subscribers.delete(subscriber);
          // Ending the client subscription ends the pending read, so the loop above finishes.
          for (const subscription of mine) void subscription.unsubscribe().catch(() => undefined);
        };
      });
    },

    async ping(timeoutMs = 5_000): Promise<void> {
      ensureOpen("ping");
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new EsdbUnavailableError(host, `no answer within ${timeoutMs} ms`)),
          timeoutMs,
        );
      });
      const read = (async () => {
        try {
          for await (const _ of client.readAll({ maxCount: 1, deadline: timeoutMs })) break;
        } catch (error) {
          const translated = translateError(error, { host });
          if (translated instanceof EsdbUnavailableError) throw translated;
          // Any other answer (e.g. access denied on $all) means the server is there.
        }
      })();
      try {
        await Promise.race([read, timedOut]);
      } finally {
        clearTimeout(timer);
        read.catch(() => undefined);
      }
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      for (const subscriber of subscribers) subscriber.complete();
      subscribers.clear();
      await Promise.allSettled([...clientSubscriptions].map((s) => s.unsubscribe()));
      await client.dispose();
    },
  };
  return store;
}

/** Fails with a clear message when the store's server does not answer: call it at start-up. */
export async function assertReachable(store: EsdbEventStore, timeoutMs = 5_000): Promise<void> {
  await store.ping(timeoutMs);
}

async function* none(): AsyncGenerator<DecodedEvent> {}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function noResult(revision: number): never {
  throw new RangeError(`empty stream has no revision ${revision}`);
}

function isStreamNotFound(error: unknown): boolean {
  return (error as { type?: unknown } | null)?.type === "stream-not-found";
}

function checkStream(stream: unknown, operation: string): string {
  if (typeof stream !== "string" || stream.length === 0) {
    throw new StoreInputError(
      `${operation}: stream ${JSON.stringify(stream)}`,
      "a stream name is a non-empty string",
    );
  }
  return stream;
}

function checkWhole(value: unknown, input: string): number {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return value;
  throw new StoreInputError(`${input} ${String(value)}`, "must be a whole number ≥ 0");
}

async function* mapEvents(
  source: () => AsyncGenerator<DecodedEvent>,
): AsyncGenerator<RecordedEvent> {
  for await (const decoded of source()) yield decoded.event;
}
