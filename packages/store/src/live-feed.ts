import { Observable } from "rxjs";
import { type RecordedEvent, StoreStateError } from "./port.js";

interface Listener {
  readonly events: (events: readonly RecordedEvent[]) => void;
  readonly closed: () => void;
}

/**
 * Where a store announces committed events, in position order, once they are readable.
 * A store must publish a batch in the same synchronous step that makes it visible to readAll:
 * the catch-up below relies on every event being either in its read or in its buffer.
 */
export class LiveFeed {
  private readonly listeners = new Set<Listener>();
  private isClosed = false;

  get hasListeners(): boolean {
    return this.listeners.size > 0;
  }

  publish(events: readonly RecordedEvent[]): void {
    for (const listener of this.listeners) listener.events(events);
  }

  /** Completes every subscription: the store is closing. */
  close(): void {
    this.isClosed = true;
    for (const listener of this.listeners) listener.closed();
    this.listeners.clear();
  }

  /**
   * Every event from `fromPosition` in global order: first those `readAll` finds (catch-up), then
   * those published (live). Live events are buffered from the moment of subscription, before the
   * catch-up read starts, so an append racing with the catch-up is in the read, in the buffer, or
   * both; delivering only positions above the last delivered one removes the repeats.
   */
  catchUpThenLive(
    fromPosition: number,
    readAll: (fromPosition: number) => AsyncIterable<RecordedEvent>,
  ): Observable<RecordedEvent> {
    return new Observable<RecordedEvent>((subscriber) => {
      if (this.isClosed) {
        subscriber.error(new StoreStateError("subscribe: the event store is closed"));
        return;
      }
      let nextPosition = fromPosition;
      let buffered: RecordedEvent[] | undefined = [];
      const deliver = (event: RecordedEvent) => {
        if (event.position < nextPosition) return;
        nextPosition = event.position + 1;
        subscriber.next(event);
      };
      const listener: Listener = {
        events: (events) => {
          if (buffered) for (const event of events) buffered.push(event);
          else for (const event of events) deliver(event);
        },
        closed: () => subscriber.complete(),
      };
      this.listeners.add(listener);

      const catchUp = async () => {
        for await (const event of readAll(fromPosition)) {
          if (subscriber.closed) return;
          deliver(event);
        }
        const pending = buffered ?? [];
        buffered = undefined;
        for (const event of pending) deliver(event);
      };
      catchUp().catch((error: unknown) => subscriber.error(error));

      return () => {
        this.listeners.delete(listener);
        buffered = undefined;
      };
    });
  }
}
