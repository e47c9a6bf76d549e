/**
 * Reading one stream file: its tail (at open), all of it with a verdict (verify, repair, and the
 * first append), and its committed events (reads). Everything is read in large chunks and split
 * on "\n" in place; each line is verified on its bytes by a LineChecker before anything is parsed.
 */
import { type FileHandle, open } from "node:fs/promises";
import { CorruptionError, type RecordedEvent } from "../port.js";
import { GENESIS, LineChecker } from "./line-format.js";

const READ_CHUNK_BYTES = 1 << 20;
/** Enough for the last line of any ordinary stream; a longer one falls back to a full scan. */
const TAIL_BYTES = 64 << 10;
const NEWLINE = 0x0a;

/** Where a stream's committed events end: what an append continues from. */
export interface StreamEnd {
  /** Bytes of whole, verified appends from the start of the file. */
  readonly committedEnd: number;
  readonly events: number;
  readonly lastPosition: number;
  readonly lastChecksum: string;
}

export const EMPTY_END: StreamEnd = {
  committedEnd: 0,
  events: 0,
  lastPosition: -1,
  lastChecksum: GENESIS,
};

export type FileProblem =
  /** The end of the file is a write that never completed; `line` is its first line. */
  | {
      readonly kind: "torn";
      readonly line: number;
      readonly bytes: number;
      readonly reason: string;
    }
  /** A committed line broke a rule. */
  | { readonly kind: "corrupt"; readonly line: number; readonly rule: string };

export interface FileScan extends StreamEnd {
  readonly size: number;
  /** The highest position in any line that parses, even past a problem: never to be handed out again. */
  readonly highestPosition: number;
  readonly problem: FileProblem | undefined;
}

/**
 * The end of a stream read from the last line alone (layout, checksum, end of an append), or
 * undefined when the tail is not that simple and the file needs a full scan.
 */
export async function readTail(
  file: string,
  stream: string,
  size: number,
): Promise<StreamEnd | undefined> {
  if (size === 0) return EMPTY_END;
  const length = Math.min(size, TAIL_BYTES);
  const buf = Buffer.allocUnsafe(length);
  const handle = await open(file, "r");
  try {
    await readFully(handle, buf, length, size - length);
  } finally {
    await handle.close();
  }
  if (buf[length - 1] !== NEWLINE) return undefined;
  const lineStart = buf.lastIndexOf(NEWLINE, length - 2) + 1;
  if (lineStart === 0 && length < size) return undefined;
  const checker = new LineChecker(stream);
  if (checker.checkAlone(buf, lineStart, length - 1) !== undefined || !checker.atBatchEnd)
    return undefined;
  return {
    committedEnd: size,
    events: checker.revision + 1,
    lastPosition: checker.position,
    lastChecksum: checker.checksum,
  };
}

/** The position of the first line (checked on its own), or 0 when it cannot be read. */
export async function readFirstPosition(file: string, stream: string): Promise<number> {
  const handle = await open(file, "r");
  try {
    for await (const { buf } of lineBlocks(handle, Number.MAX_SAFE_INTEGER, 8 << 10)) {
      const checker = new LineChecker(stream);
      return checker.checkAlone(buf, 0, buf.indexOf(NEWLINE)) === undefined ? checker.position : 0;
    }
    return 0;
  } finally {
    await handle.close();
  }
}

/**
 * Verifies a whole file, parsing every line, and says where its committed events end and what is
 * wrong with the rest. Every committed event is passed to `onCommitted` (with the revision its
 * append ended at) once its append is known to be whole.
 *
 * The verdict: a failure that can only be an interrupted write is a torn tail (a final fragment
 * without "\n"; a final line that is not JSON at all; the lines of an append that stops before
 * its `batchEnd`): it starts after the last whole append and may be truncated. Any other failure
 * (a line that parses but breaks a rule, or a broken line with lines after it) is corruption,
 * reported at its line.
 */
export async function scanStreamFile(
  file: string,
  stream: string,
  onCommitted?: (event: RecordedEvent, batchEnd: number) => void,
): Promise<FileScan> {
  const handle = await open(file, "r");
  try {
    const { size } = await handle.stat();
    const checker = new LineChecker(stream);
    let committed: StreamEnd = EMPTY_END;
    let unfinished: RecordedEvent[] = [];
    let failure: { line: number; rule: string; parses: boolean } | undefined;
    let linesAfterFailure = 0;
    let highestPosition = -1;
    let line = 0;
    let consumed = 0;
    for await (const { buf, end: blockEnd } of lineBlocks(handle, size)) {
      for (let start = 0; start < blockEnd; ) {
        const end = buf.indexOf(NEWLINE, start);
        line++;
        if (failure) {
          linesAfterFailure++;
          highestPosition = Math.max(highestPosition, positionIn(buf, start, end));
        } else {
          const event = checker.check(buf, start, end) ?? checker.event(buf, end);
          if (typeof event === "string") {
            failure = { line, rule: event, parses: positionIn(buf, start, end) !== -2 };
            highestPosition = Math.max(highestPosition, positionIn(buf, start, end));
          } else {
            highestPosition = Math.max(highestPosition, event.position);
            unfinished.push(event);
            if (checker.atBatchEnd) {
              for (const done of unfinished) onCommitted?.(done, checker.batchEnd);
              unfinished = [];
              committed = {
                committedEnd: consumed + end + 1,
                events: checker.revision + 1,
                lastPosition: checker.position,
                lastChecksum: checker.checksum,
              };
            }
          }
        }
        start = end + 1;
      }
      consumed += blockEnd;
    }
    const torn = (reason: string): FileProblem => ({
      kind: "torn",
      line: committed.events + 1,
      bytes: size - committed.committedEnd,
      reason,
    });
    let problem: FileProblem | undefined;
    if (failure) {
      problem =
        linesAfterFailure === 0 && !failure.parses
          ? torn(`line ${failure.line} is not a complete JSON line: an append was interrupted`)
          : { kind: "corrupt", line: failure.line, rule: failure.rule };
    } else if (consumed < size) {
      problem = torn("the file does not end with a newline: an append was interrupted");
    } else if (unfinished.length > 0) {
      problem = torn(
        `the last append stops at revision ${checker.revision} but was to end at revision ${checker.batchEnd}: it was interrupted`,
      );
    }
    return { ...committed, size, highestPosition, problem };
  } finally {
    await handle.close();
  }
}

/**
 * The committed events of a stream file (bytes [0, limit)), verified line by line, from the given
 * revision and position on, one array per block read. Lines before them are verified (the chain
 * starts at the first line) but not parsed. A broken line ends the read with a CorruptionError
 * naming it, after the events before it, and is reported to `onCorruption` first.
 */
export async function* readStreamFile(
  file: string,
  stream: string,
  limit: number,
  from: { readonly revision: number; readonly position: number },
  onCorruption: (error: CorruptionError) => void,
): AsyncGenerator<RecordedEvent[]> {
  const handle = await open(file, "r");
  try {
    const checker = new LineChecker(stream);
    let line = 0;
    let consumed = 0;
    for await (const { buf, end: blockEnd } of lineBlocks(handle, limit)) {
      const events: RecordedEvent[] = [];
      let failure: CorruptionError | undefined;
      for (let start = 0; start < blockEnd; ) {
        const end = buf.indexOf(NEWLINE, start);
        line++;
        const broken = checker.check(buf, start, end);
        let event: RecordedEvent | string | undefined = broken;
        if (
          broken === undefined &&
          checker.revision >= from.revision &&
          checker.position >= from.position
        ) {
          event = checker.event(buf, end);
        }
        if (typeof event === "string") {
          failure = new CorruptionError(stream, file, line, event);
          break;
        }
        if (event) events.push(event);
        start = end + 1;
      }
      consumed += blockEnd;
      yield events;
      if (failure) {
        onCorruption(failure);
        throw failure;
      }
    }
    if (consumed < limit) {
      const failure = new CorruptionError(
        stream,
        file,
        line + 1,
        `the file ends after ${consumed} bytes, short of the ${limit} bytes committed to it (it was truncated outside the store)`,
      );
      onCorruption(failure);
      throw failure;
    }
  } finally {
    await handle.close();
  }
}

/**
 * Blocks of whole lines from the start of a file up to `limit`: `buf[0, end)` holds complete
 * lines, each ending in "\n". The buffer is reused: a block is valid until the next is asked for.
 * Bytes after the last "\n" before `limit` are never yielded.
 */
async function* lineBlocks(
  handle: FileHandle,
  limit: number,
  chunkBytes = READ_CHUNK_BYTES,
): AsyncGenerator<{ readonly buf: Buffer; readonly end: number }> {
  let buf = Buffer.allocUnsafe(chunkBytes);
  let filled = 0;
  let readAt = 0;
  while (readAt < limit) {
    if (filled === buf.length) {
      // One line longer than the buffer: grow it.
      const bigger = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(bigger, 0, 0, filled);
      buf = bigger;
    }
    const { bytesRead } = await handle.read(
      buf,
      filled,
      Math.min(buf.length - filled, limit - readAt),
      readAt,
    );
    if (bytesRead === 0) return;
    filled += bytesRead;
    readAt += bytesRead;
    const end = buf.lastIndexOf(NEWLINE, filled - 1) + 1;
    if (end === 0) continue;
    yield { buf, end };
    buf.copy(buf, 0, end, filled);
    filled -= end;
  }
}

async function readFully(
  handle: FileHandle,
  buf: Buffer,
  length: number,
  position: number,
): Promise<void> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buf, done, length - done, position + done);
    if (bytesRead === 0) throw new Error(`unexpected end of file after ${position + done} bytes`);
    done += bytesRead;
  }
}

/** The position a broken line claims, if it parses as JSON (-1 when it has none, -2 when it does not parse). */
function positionIn(buf: Buffer, start: number, end: number): number {
  try {
    const parsed: unknown = JSON.parse(buf.toString("utf8", start, end));
    const position = (parsed as { position?: unknown } | null)?.position;
    return typeof position === "number" && Number.isSafeInteger(position) && position >= 0
      ? position
      : -1;
  } catch {
    return -2;
  }
}
