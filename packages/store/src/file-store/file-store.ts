import { type FileHandle, open, stat } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import type { Observable } from "rxjs";
import {
  decideAppend,
  type PreparedAppend,
  type PreparedEvent,
  prepareAppend,
} from "../append-rules.js";
import { deferred, emptyIterator, flattenBatches } from "../async-iteration.js";
import { checkPrefix, checkStartingPoint, checkStreamName, describe } from "../input-rules.js";
import { LiveFeed } from "../live-feed.js";
import {
  type AppendOptions,
  type AppendResult,
  CorruptionError,
  type EventStore,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  StoreInputError,
  StoreStateError,
  type SubscribeOptions,
} from "../port.js";
import { StreamIndex } from "../stream-index.js";
import {
  copyTailDurably,
  createDirectoryDurably,
  fsyncDirectory,
  listStreamFiles,
  truncateDurably,
} from "./disk.js";
import { encodeBatch } from "./line-format.js";
import { acquireLock } from "./lock.js";
import { type MergeSource, mergeByPosition } from "./merge.js";
import type { RepairedTail, RepairReport, StreamReport, VerifyReport } from "./reports.js";
import {
  EMPTY_END,
  readFirstPosition,
  readStreamFile,
  readTail,
  scanStreamFile,
} from "./stream-file.js";
import { MAX_FILE_NAME_BYTES, streamFileName } from "./stream-names.js";
import {
  applyScan,
  knownCorruption,
  newStreamState,
  problemError,
  type StreamState,
  setEnd,
  streamReport,
} from "./stream-state.js";

export interface FileStoreOptions {
  /** The store directory; default `.trader` in the working directory. Created by a writer. */
  readonly dir?: string;
  /** Read without taking the writer lock (e.g. while a runner writes); appends are refused. */
  readonly readOnly?: boolean;
  /**
   * A stream file that ends in a torn write (a crash during an append): `refuse` (default) keeps
   * it readable but refuses appends to it until `repair()`; `repair` truncates the torn tail at open.
   */
  readonly onTornTail?: "refuse" | "repair";
}

/** The embedded durable store: the EventStore port plus verification and repair of its files. */
export interface FileEventStore extends EventStore {
  /** The absolute store directory. */
  readonly dir: string;
  readonly readOnly: boolean;
  /** The torn tails truncated while opening with `onTornTail: "repair"`. */
  readonly repairedAtOpen: readonly RepairedTail[];
  /** Reads every stream file in full and reports each: ok, torn tail, or corrupt (file, line, rule). */
  verify(): Promise<VerifyReport>;
  /** Truncates torn tails (saving the removed bytes under `<dir>/torn/`); never touches a committed event. */
  repair(): Promise<RepairReport>;
}

const STREAMS_DIR = "streams";
const TORN_DIR = "torn";
/** Write handles kept open (least recently used closed first): a runner writes few streams at a time. */
const MAX_OPEN_WRITE_FILES = 32;

/**
 * Opens (a writer creates) the store directory: takes the writer lock unless read-only, then
 * reads the tail of each stream file to learn where it ends. Whole files are verified lazily:
 * by the first append to a stream, and by every read as it goes.
 */
export async function openFileStore(options: FileStoreOptions = {}): Promise<FileEventStore> {
  const dir = resolve(options.dir ?? ".trader");
  const readOnly = options.readOnly ?? false;
  const onTornTail = options.onTornTail ?? "refuse";
  if (onTornTail !== "refuse" && onTornTail !== "repair") {
    throw new StoreInputError(
      `openFileStore: onTornTail ${describe(onTornTail)}`,
      'onTornTail must be "refuse" or "repair"',
    );
  }
  if (readOnly && onTornTail === "repair") {
    throw new StoreInputError(
      'openFileStore: readOnly with onTornTail "repair"',
      "a read-only store cannot repair; open it as the writer to repair torn tails",
    );
  }
  if (readOnly) {
    const info = await stat(dir).catch(() => undefined);
    if (!info?.isDirectory()) {
      throw new StoreStateError(
        `openFileStore: there is no event store at ${dir} (a read-only open creates none)`,
      );
    }
  } else {
    await createDirectoryDurably(join(dir, STREAMS_DIR));
  }
  const releaseLock = readOnly ? undefined : await acquireLock(dir);
  try {
    const streams = new Map<string, StreamState>();
    for (const { stream, file, size } of await listStreamFiles(join(dir, STREAMS_DIR))) {
      const tail = await readTail(file, stream, size);
      const state = newStreamState(stream, file);
      if (tail) setEnd(state, tail);
      else applyScan(state, await scanStreamFile(file, stream));
      streams.set(stream, state);
    }
    const store = new FileStore(dir, readOnly, streams, releaseLock);
    if (onTornTail === "repair") await store.repairAtOpen();
    return store;
  } catch (error) {
    await releaseLock?.();
    throw error;
  }
}

class FileStore implements FileEventStore {
  repairedAtOpen: readonly RepairedTail[] = [];
  private readonly streamsDir: string;
  private readonly feed = new LiveFeed();
  private readonly writeHandles = new Map<string, FileHandle>();
  /** Positions are handed out by this single writer: one above the highest in any file. */
  private nextPosition: number;
  /** Appends, verify and repair run one at a time, in call order. */
  private queue: Promise<unknown> = Promise.resolve();
  private closing: Promise<void> | undefined;

  constructor(
    readonly dir: string,
    readonly readOnly: boolean,
    private readonly streams: Map<string, StreamState>,
    private readonly releaseLock: (() => Promise<void>) | undefined,
  ) {
    this.streamsDir = join(dir, STREAMS_DIR);
    let highest = -1;
    for (const state of streams.values()) highest = Math.max(highest, state.highestPosition);
    this.nextPosition = highest + 1;
  }

  async append(
    stream: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    this.assertOpen("append");
    if (this.readOnly) {
      throw new StoreStateError(`append: the store at ${this.dir} is open read-only`);
    }
    const append = prepareAppend(stream, events, options);
    const fileName = streamFileName(append.stream);
    if (Buffer.byteLength(fileName) > MAX_FILE_NAME_BYTES) {
      throw new StoreInputError(
        `append to stream ${JSON.stringify(append.stream)}`,
        `its file name would be ${Buffer.byteLength(fileName)} bytes, over the ${MAX_FILE_NAME_BYTES} a file system allows ` +
          "(characters other than A-Z a-z 0-9 . _ - take 3 bytes per UTF-8 byte): use a shorter stream name",
      );
    }
    return this.exclusive(() => this.appendNow(append, fileName));
  }

  readStream(stream: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent> {
    return deferred(() => {
      const name = checkStreamName(stream, "readStream");
      const from = checkStartingPoint(options?.from, "from", `readStream ${JSON.stringify(name)}`);
      this.assertOpen("readStream");
      const state = this.streams.get(name);
      return state ? this.committedEvents(state, { revision: from, position: 0 }) : emptyIterator();
    });
  }

  async *readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent> {
    const fromPosition = checkStartingPoint(options?.fromPosition, "fromPosition", "readAll");
    this.assertOpen("readAll");
    // One synchronous snapshot of every stream's end, so the read is a consistent prefix of the
    // global order (the live subscription relies on it); later appends are not part of it. A
    // stream known to be corrupt takes part so that the read fails rather than skip it.
    const snapshots = [...this.streams.values()]
      .filter(
        (state) =>
          (state.end.events > 0 && state.end.lastPosition >= fromPosition) ||
          knownCorruption(state),
      )
      .map((state) => ({ state, end: state.end, corruption: knownCorruption(state) }));
    const sources: MergeSource[] = [];
    for (const snapshot of snapshots) {
      sources.push({
        first: await this.firstPosition(snapshot.state),
        open: () =>
          this.committedEvents(snapshot.state, { revision: 0, position: fromPosition }, snapshot),
      });
    }
    yield* mergeByPosition(sources, (earlier, later) =>
      duplicatePosition(earlier, later, this.streams),
    );
  }

  async streamRevision(stream: string): Promise<number | "no_stream"> {
    const name = checkStreamName(stream, "streamRevision");
    this.assertOpen("streamRevision");
    const events = this.streams.get(name)?.end.events ?? 0;
    return events > 0 ? events - 1 : "no_stream";
  }

  async listStreams(prefix?: string): Promise<string[]> {
    const start = checkPrefix(prefix);
    this.assertOpen("listStreams");
    // A corrupt stream is listed even if nothing before its broken line is readable: reading it says why.
    return [...this.streams.values()]
      .filter(
        (state) =>
          (state.end.events > 0 || knownCorruption(state)) && state.stream.startsWith(start),
      )
      .map((state) => state.stream)
      .sort();
  }

  subscribe(options?: SubscribeOptions): Observable<RecordedEvent> {
    const from = checkStartingPoint(options?.fromPosition, "fromPosition", "subscribe");
    return this.feed.catchUpThenLive(from, (fromPosition) => this.readAll({ fromPosition }));
  }

  async verify(): Promise<VerifyReport> {
    this.assertOpen("verify");
    return this.exclusive(() => this.verifyNow());
  }

  async repair(): Promise<RepairReport> {
    this.assertOpen("repair");
    if (this.readOnly) {
      throw new StoreStateError(
        `repair: the store at ${this.dir} is open read-only; open it as the writer to repair it`,
      );
    }
    return this.exclusive(() => this.repairNow());
  }

  /** Used by openFileStore for `onTornTail: "repair"`. */
  async repairAtOpen(): Promise<void> {
    this.repairedAtOpen = (await this.repair()).repaired;
  }

  async close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    await this.queue; // appends made before close still complete (and reach subscribers)
    const handles = [...this.writeHandles.values()];
    this.writeHandles.clear();
    await Promise.all(handles.map((handle) => handle.close()));
    this.feed.close();
    await this.releaseLock?.();
  }

  private async appendNow(append: PreparedAppend, fileName: string): Promise<AppendResult> {
    let state = this.streams.get(append.stream);
    if (!state) {
      state = newStreamState(append.stream, join(this.streamsDir, fileName));
      state.index = new StreamIndex();
      this.streams.set(append.stream, state);
    }
    if (state.problem) throw state.problem;
    const index = state.index ?? (await this.verifyBeforeFirstAppend(state));
    const decision = decideAppend(append, index);
    if (decision.kind === "retry") return decision.result;

    const count = append.events.length;
    const firstPosition = this.nextPosition;
    const lastRevision = decision.firstRevision + count - 1;
    const { bytes, checksum } = encodeBatch(
      append.stream,
      decision.firstRevision,
      firstPosition,
      state.end.lastChecksum,
      append.events,
    );
    const creating = state.end.committedEnd === 0;
    try {
      const handle = await this.writeHandle(state);
      for (let written = 0; written < bytes.length; ) {
        written += (await handle.write(bytes, written, bytes.length - written)).bytesWritten;
      }
      await handle.sync();
      if (creating) await fsyncDirectory(this.streamsDir); // the new file's name must survive a crash too
    } catch (error) {
      // The file may now hold part of the batch: hand its positions out never again and write no
      // more to this stream until the store is reopened (or repaired) and knows what is on disk.
      this.nextPosition += count;
      await this.closeWriteHandle(state.stream);
      state.problem = new StoreStateError(
        `append to stream ${JSON.stringify(append.stream)}: writing ${state.file} failed ` +
          `(${(error as Error).message}); appends to this stream are refused until repair() or a reopen`,
        { cause: error },
      );
      throw state.problem;
    }

    // Commit: visible to reads and announced to subscribers in one synchronous step.
    this.nextPosition += count;
    state.end = {
      committedEnd: state.end.committedEnd + bytes.length,
      events: lastRevision + 1,
      lastPosition: firstPosition + count - 1,
      lastChecksum: checksum,
    };
    state.highestPosition = state.end.lastPosition;
    if (creating) state.firstPosition = firstPosition;
    append.events.forEach((event, i) => {
      index.record(event.id, decision.firstRevision + i, firstPosition + i, lastRevision);
    });
    if (this.feed.hasListeners) {
      this.feed.publish(
        append.events.map((event, i) =>
          recorded(append.stream, decision.firstRevision + i, firstPosition + i, event),
        ),
      );
    }
    return { nextRevision: lastRevision, position: state.end.lastPosition, written: true };
  }

  /** The first append to a stream verifies its whole file and indexes its ids. */
  private async verifyBeforeFirstAppend(state: StreamState): Promise<StreamIndex> {
    const index = new StreamIndex();
    const scan = await scanStreamFile(state.file, state.stream, (event, batchEnd) =>
      index.record(event.id, event.revision, event.position, batchEnd),
    );
    applyScan(state, scan);
    this.nextPosition = Math.max(this.nextPosition, state.highestPosition + 1);
    if (state.problem) throw state.problem;
    state.index = index;
    return index;
  }

  /** The stream's committed events from a starting point; a corruption known beforehand ends the read. */
  private committedEvents(
    state: StreamState,
    from: { readonly revision: number; readonly position: number },
    snapshot = { end: state.end, corruption: knownCorruption(state) },
  ): AsyncIterableIterator<RecordedEvent> {
    const markCorrupt = (error: CorruptionError) => {
      if (!(state.problem instanceof CorruptionError)) state.problem = error;
    };
    async function* batches(): AsyncGenerator<RecordedEvent[]> {
      if (from.revision < snapshot.end.events && from.position <= snapshot.end.lastPosition) {
        yield* readStreamFile(
          state.file,
          state.stream,
          snapshot.end.committedEnd,
          from,
          markCorrupt,
        );
      }
      if (snapshot.corruption) throw snapshot.corruption;
    }
    return flattenBatches(batches());
  }

  private async firstPosition(state: StreamState): Promise<number> {
    state.firstPosition ??= await readFirstPosition(state.file, state.stream);
    return state.firstPosition;
  }

  private async verifyNow(): Promise<VerifyReport> {
    const reports: StreamReport[] = [];
    for (const { stream, file } of await listStreamFiles(this.streamsDir)) {
      const scan = await scanStreamFile(file, stream);
      const state = this.streams.get(stream);
      if (state && !state.problem && scan.problem)
        state.problem = problemError(stream, file, scan.problem);
      reports.push(streamReport(stream, file, scan));
    }
    return {
      dir: this.dir,
      ok: reports.every((report) => report.status === "ok"),
      streams: reports,
    };
  }

  private async repairNow(): Promise<RepairReport> {
    const repaired: RepairedTail[] = [];
    const onDisk = new Set<string>();
    for (const { stream, file } of await listStreamFiles(this.streamsDir)) {
      onDisk.add(stream);
      let scan = await scanStreamFile(file, stream);
      if (scan.problem?.kind === "torn") {
        // Keep the removed bytes, in case someone wants to look at them.
        const stamp = new Date().toISOString().replace(/[:.]/g, "-");
        const savedTo = join(this.dir, TORN_DIR, `${basename(file)}.${stamp}.torn`);
        await copyTailDurably(file, scan.committedEnd, savedTo);
        await this.closeWriteHandle(stream);
        await truncateDurably(file, scan.committedEnd);
        const { line, bytes, reason } = scan.problem;
        repaired.push({ stream, file, line, bytes, reason, savedTo });
        scan = {
          ...scan,
          size: scan.committedEnd,
          highestPosition: scan.lastPosition,
          problem: undefined,
        };
      }
      // What is on disk is now the truth (this also clears a failed write whose batch is whole).
      const state = this.streams.get(stream) ?? newStreamState(stream, file);
      this.streams.set(stream, state);
      state.index = scan.size === 0 ? new StreamIndex() : undefined; // an emptied file was removed
      state.firstPosition = undefined;
      state.problem = undefined;
      applyScan(state, scan);
      this.nextPosition = Math.max(this.nextPosition, state.highestPosition + 1);
    }
    for (const state of this.streams.values()) {
      if (onDisk.has(state.stream)) continue;
      setEnd(state, EMPTY_END); // a failed first write that left no file
      state.problem = undefined;
      state.index = new StreamIndex();
    }
    return { repaired, after: await this.verifyNow() };
  }

  private async writeHandle(state: StreamState): Promise<FileHandle> {
    const cached = this.writeHandles.get(state.stream);
    if (cached) {
      this.writeHandles.delete(state.stream);
      this.writeHandles.set(state.stream, cached);
      return cached;
    }
    const handle = await open(state.file, "a");
    this.writeHandles.set(state.stream, handle);
    if (this.writeHandles.size > MAX_OPEN_WRITE_FILES) {
      const [oldest] = this.writeHandles.keys();
      if (oldest !== undefined) await this.closeWriteHandle(oldest);
    }
    return handle;
  }

  private async closeWriteHandle(stream: string): Promise<void> {
    const handle = this.writeHandles.get(stream);
    this.writeHandles.delete(stream);
    await handle?.close().catch(() => undefined);
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private assertOpen(operation: string): void {
    if (this.closing)
      throw new StoreStateError(`${operation}: the event store at ${this.dir} is closed`);
  }
}

function duplicatePosition(
  earlier: RecordedEvent,
  later: RecordedEvent,
  streams: Map<string, StreamState>,
): CorruptionError {
  return new CorruptionError(
    later.stream,
    streams.get(later.stream)?.file ?? later.stream,
    later.revision + 1,
    `position ${later.position} is also used by stream ${JSON.stringify(earlier.stream)} (revision ${earlier.revision}): ` +
      "every position must be unique across the store",
  );
}

function recorded(
  stream: string,
  revision: number,
  position: number,
  event: PreparedEvent,
): RecordedEvent {
  return {
    stream,
    revision,
    position,
    id: event.id,
    type: event.type,
    data: JSON.parse(event.dataJson),
    metadata: JSON.parse(event.metadataJson),
  };
}
