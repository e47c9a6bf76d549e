import {
  type DomainEvent,
  type EventEnvelope,
  type EventMetadata,
  type EventRegistry,
  EventSchemaError,
} from "@trader/core";
import { map, type Observable } from "rxjs";
import { mapAsync } from "./async-iteration.js";
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
} from "./port.js";

/** A domain event of the registry's union with its metadata: what the typed store appends. */
export type TypedEnvelope<E extends DomainEvent> = E & { readonly metadata: EventMetadata };

/**
 * A decoded event (upcast to its current schema version) and where the store put it. Distributed
 * over the union, so checking `type` narrows `data` however many event types the registry has.
 */
export type TypedRecordedEvent<E extends DomainEvent> = E extends DomainEvent
  ? EventEnvelope<E["type"], E["data"]> &
      E & {
        readonly stream: string;
        readonly revision: number;
        readonly position: number;
      }
  : never;

/** The store seen through an event registry: validated envelopes in, decoded envelopes out. */
export interface TypedEventStore<E extends DomainEvent> {
  /** The untyped store underneath. */
  readonly store: EventStore;
  readonly registry: EventRegistry<E>;
  /**
   * Validates every envelope with `registry.encode` before anything is written (an invalid one
   * throws EventSchemaError naming its type and fields, and nothing is appended), then appends
   * them with `metadata.eventId` as the store's event id, so a retried append is a no-op.
   */
  append(
    stream: string,
    events: readonly TypedEnvelope<E>[],
    options: AppendOptions,
  ): Promise<AppendResult>;
  /** Reads decode with `registry.decode`: old schema versions are upcast, everything is validated. */
  readStream(stream: string, options?: ReadStreamOptions): AsyncIterable<TypedRecordedEvent<E>>;
  readAll(options?: ReadAllOptions): AsyncIterable<TypedRecordedEvent<E>>;
  subscribe(options?: SubscribeOptions): Observable<TypedRecordedEvent<E>>;
  streamRevision(stream: string): Promise<number | "no_stream">;
  listStreams(prefix?: string): Promise<string[]>;
  close(): Promise<void>;
}

export function createTypedStore<E extends DomainEvent>(
  store: EventStore,
  registry: EventRegistry<E>,
): TypedEventStore<E> {
  const where = (event: RecordedEvent) =>
    `stored in stream ${JSON.stringify(event.stream)} at revision ${event.revision} (position ${event.position})`;
  const decode = (event: RecordedEvent): TypedRecordedEvent<E> => {
    let decoded: EventEnvelope<E["type"], E["data"]> & E;
    try {
      decoded = registry.decode(event);
    } catch (error) {
      if (error instanceof EventSchemaError) {
        throw new EventSchemaError(error.eventType, `${where(event)}: ${error.rule}`, error.issues);
      }
      throw error;
    }
    if (decoded.metadata.eventId !== event.id) {
      throw new EventSchemaError(
        event.type,
        `${where(event)}: metadata.eventId ${decoded.metadata.eventId} differs from the store's event id ${event.id}`,
      );
    }
    return {
      type: decoded.type,
      data: decoded.data,
      metadata: decoded.metadata,
      stream: event.stream,
      revision: event.revision,
      position: event.position,
    } as TypedRecordedEvent<E>;
  };

  return {
    store,
    registry,
    async append(stream, events, options) {
      // All of them first: one invalid event means none is written.
      const encoded: NewEvent[] = events.map((event, index) => {
        try {
          const valid = registry.encode(event);
          return {
            id: valid.metadata.eventId,
            type: valid.type,
            data: valid.data,
            metadata: valid.metadata,
          };
        } catch (error) {
          if (error instanceof EventSchemaError) {
            throw new EventSchemaError(
              error.eventType,
              `append to stream ${JSON.stringify(stream)}, event ${index}: ${error.rule}`,
              error.issues,
            );
          }
          throw error;
        }
      });
      return store.append(stream, encoded, options);
    },
    readStream: (stream, options) => mapAsync(store.readStream(stream, options), decode),
    readAll: (options) => mapAsync(store.readAll(options), decode),
    subscribe: (options) => store.subscribe(options).pipe(map(decode)),
    streamRevision: (stream) => store.streamRevision(stream),
    listStreams: (prefix) => store.listStreams(prefix),
    close: () => store.close(),
  };
}
