import type { Observable } from "rxjs";

/** An event to append: its id (UUID-shaped, used for idempotency), type, data and metadata. */
export interface NewEvent {
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
}

/** An event as read back: what was appended plus where the store put it. */
export interface RecordedEvent extends NewEvent {
  readonly stream: string;
  /** 0-based position of the event within its stream. */
  readonly revision: number;
  /** 0-based position of the event in the store's single global order. */
  readonly position: number;
}

/**
 * What the writer expects the stream to be before its append:
 * - `no_stream`: the stream must not exist yet;
 * - `stream_exists`: it must have at least one event;
 * - `any`: no check;
 * - a number n: the stream's last event must be at revision n (optimistic concurrency).
 */
export type ExpectedRevision = "no_stream" | "any" | "stream_exists" | number;

export interface AppendOptions {
  readonly expectedRevision: ExpectedRevision;
}

export interface AppendResult {
  /** The revision of the last event of the batch in its stream. */
  readonly nextRevision: number;
  /** The global position of the last event of the batch. */
  readonly position: number;
  /** False when every event's id was already in the stream: the retry was a no-op. */
  readonly written: boolean;
}

export interface ReadStreamOptions {
  /** First revision to read (inclusive); default 0. */
  readonly from?: number;
}

export interface ReadAllOptions {
  /** First global position to read (inclusive); default 0. */
  readonly fromPosition?: number;
}

export interface SubscribeOptions {
  /** First global position to deliver (inclusive); default 0. A checkpoint c resumes with c + 1. */
  readonly fromPosition?: number;
}

/**
 * The event store port. Every store (in-memory, the embedded JSON-lines default, EventStoreDB)
 * implements it and passes the contract suite in `@trader/store/contract`.
 */
export interface EventStore {
  /**
   * Appends events to a stream atomically, after checking `expectedRevision`. Resolves only once
   * the events are durable (for the file store: after fsync). A batch whose ids are all already in
   * the stream is an idempotent no-op that resolves with the original result and `written: false`,
   * whatever `expectedRevision` says; a batch mixing stored and new ids is refused.
   * Bad input (an empty stream name or batch, an invalid `expectedRevision`, duplicate ids in the
   * batch, data or metadata that is not plain JSON) is refused with `StoreInputError` and nothing
   * is written.
   */
  append(
    stream: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult>;
  /** The stream's events in revision order, from `from`; empty when the stream does not exist. */
  readStream(stream: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  /** Every event of every stream in one global order, from `fromPosition`. */
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  /** The last revision of a stream, or `no_stream`. */
  streamRevision(stream: string): Promise<number | "no_stream">;
  /** Names of the streams that start with `prefix` (all of them for ""), sorted. */
  listStreams(prefix?: string): Promise<string[]>;
  /**
   * Every event from `fromPosition` in global order: first those already stored (catch-up), then
   * each new one as it is appended (live), with no gap and no repeat between the two.
   */
  subscribe(options?: SubscribeOptions): Observable<RecordedEvent>;
  /** Releases files, locks and connections. Appends after close are refused. */
  close(): Promise<void>;
}

/** The stream was not at the revision the writer expected: someone else wrote first. */
export class ConcurrencyError extends Error {
  override readonly name = "ConcurrencyError";
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | "no_stream",
  ) {
    super(
      `append to stream "${stream}" expected revision ${String(expected)} but the stream is at ${String(actual)}: ` +
        "another writer appended first; re-read the stream and decide again",
    );
  }
}

/** A retried batch that only partly matches what is stored: retries must resend the batch whole. */
export class IdempotencyError extends Error {
  override readonly name = "IdempotencyError";
  constructor(
    readonly stream: string,
    readonly storedIds: readonly string[],
    readonly newIds: readonly string[],
  ) {
    super(
      `append to stream "${stream}": events ${storedIds.join(", ")} are already stored but ${newIds.join(", ")} ` +
        "are new; a retried append must resend exactly the original batch",
    );
  }
}

/** A stored file failed verification (checksum, hash chain, or a line that is not an event). */
export class CorruptionError extends Error {
  override readonly name = "CorruptionError";
  constructor(
    readonly stream: string,
    readonly file: string,
    readonly line: number,
    readonly rule: string,
  ) {
    super(
      `store file ${file} (stream "${stream}"), line ${line}: ${rule}. ` +
        "The store refuses to write to this stream; inspect the file and restore it from a backup " +
        "(the file store's verify() lists every problem)",
    );
  }
}

/** Another process holds the store directory's writer lock. */
export class StoreLockedError extends Error {
  override readonly name = "StoreLockedError";
  constructor(
    readonly dir: string,
    readonly holder: string,
  ) {
    super(
      `event store ${dir} is locked by another writer (${holder}); only one writer may hold a store directory`,
    );
  }
}

/** The store was used after close, or in a way its mode forbids (e.g. appending to a read-only store). */
export class StoreStateError extends Error {
  override readonly name = "StoreStateError";
}

/**
 * An argument broke one of the port's input rules (an empty stream name or batch, an invalid
 * expected revision, duplicate ids in one batch, data that is not plain JSON…). Nothing was written.
 */
export class StoreInputError extends Error {
  override readonly name = "StoreInputError";
  constructor(
    /** What was wrong, e.g. `append to stream "day:1"`, event 2's `data.price`. */
    readonly input: string,
    readonly rule: string,
  ) {
    super(`${input}: ${rule}`);
  }
}

/**
 * A stream file ends in a torn write (a crash during an append that never resolved). Its committed
 * events still read; appends to it are refused until the torn tail is repaired.
 */
export class TornTailError extends Error {
  override readonly name = "TornTailError";
  constructor(
    readonly stream: string,
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(
      `stream "${stream}" (file ${file}) ends in a torn write from line ${line}: ${reason}. ` +
        "Appends to it are refused until it is repaired: run `store.repair()` " +
        'or open the store with onTornTail: "repair"; committed events are kept',
    );
  }
}
