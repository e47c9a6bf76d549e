import type { Observable } from "rxjs";
import { decideAppend, NO_STREAM, type PreparedEvent, prepareAppend } from "./append-rules.js";
import { checkPrefix, checkStartingPoint, checkStreamName } from "./input-rules.js";
import { LiveFeed } from "./live-feed.js";
import {
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  StoreStateError,
  type SubscribeOptions,
} from "./port.js";
import { StreamIndex } from "./stream-index.js";

/** An event as kept in memory: JSON text, so every read returns fresh objects, as a durable store does. */
interface StoredEvent extends PreparedEvent {
  readonly stream: string;
  readonly revision: number;
  readonly position: number;
}

interface MemoryStream {
  readonly index: StreamIndex;
  readonly events: StoredEvent[];
}

/** An event store in memory: for tests, backtests and anything that need not survive the process. */
export function createMemoryStore(): EventStore {
  return new MemoryEventStore();
}

class MemoryEventStore implements EventStore {
  private readonly streams = new Map<string, MemoryStream>();
  private readonly log: StoredEvent[] = [];
  private readonly feed = new LiveFeed();
  private closed = false;

  async append(
    stream: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    this.assertOpen("append");
    const append = prepareAppend(stream, events, options);
    const target = this.streams.get(append.stream);
    const decision = decideAppend(append, target?.index ?? NO_STREAM);
    if (decision.kind === "retry") return decision.result;

    const { index, events: streamEvents } = target ?? this.createStream(append.stream);
    const lastRevision = decision.firstRevision + append.events.length - 1;
    const stored = append.events.map((event, offset): StoredEvent => {
      const revision = decision.firstRevision + offset;
      const position = this.log.length;
      const record = { ...event, stream: append.stream, revision, position };
      this.log.push(record);
      streamEvents.push(record);
      index.record(event.id, revision, position, lastRevision);
      return record;
    });
    if (this.feed.hasListeners) this.feed.publish(stored.map(toRecordedEvent));
    return { nextRevision: lastRevision, position: this.log.length - 1, written: true };
  }

  async *readStream(stream: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent> {
    const name = checkStreamName(stream, "readStream");
    const from = checkStartingPoint(options?.from, "from", `readStream ${JSON.stringify(name)}`);
    this.assertOpen("readStream");
    const events = this.streams.get(name)?.events ?? [];
    const end = events.length; // a snapshot: appends made while reading are not part of this read
    for (let revision = from; revision < end; revision++) {
      yield toRecordedEvent(events[revision] as StoredEvent);
    }
  }

  async *readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent> {
    const from = checkStartingPoint(options?.fromPosition, "fromPosition", "readAll");
    this.assertOpen("readAll");
    const end = this.log.length;
    for (let position = from; position < end; position++) {
      yield toRecordedEvent(this.log[position] as StoredEvent);
    }
  }

  async streamRevision(stream: string): Promise<number | "no_stream"> {
    const name = checkStreamName(stream, "streamRevision");
    this.assertOpen("streamRevision");
    return this.streams.get(name)?.index.revision ?? "no_stream";
  }

  async listStreams(prefix?: string): Promise<string[]> {
    const start = checkPrefix(prefix);
    this.assertOpen("listStreams");
    return [...this.streams.keys()].filter((name) => name.startsWith(start)).sort();
  }

  subscribe(options?: SubscribeOptions): Observable<RecordedEvent> {
    const from = checkStartingPoint(options?.fromPosition, "fromPosition", "subscribe");
    return this.feed.catchUpThenLive(from, (fromPosition) => this.readAll({ fromPosition }));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.feed.close();
  }

  private createStream(name: string): MemoryStream {
    const created = { index: new StreamIndex(), events: [] };
    this.streams.set(name, created);
    return created;
  }

  private assertOpen(operation: string): void {
    if (this.closed) throw new StoreStateError(`${operation}: the event store is closed`);
  }
}

function toRecordedEvent(event: StoredEvent): RecordedEvent {
  return {
    stream: event.stream,
    revision: event.revision,
    position: event.position,
    id: event.id,
    type: event.type,
    data: JSON.parse(event.dataJson),
    metadata: JSON.parse(event.metadataJson),
  };
}
