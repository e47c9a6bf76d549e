/**
 * One event per line, fields in a fixed order:
 *
 *   {"stream":S,"revision":R,"position":P,"batchEnd":B,"id":I,"type":T,"data":D,"metadata":M,
 *    "prev":"<64 hex>","checksum":"<64 hex>"}\n
 *
 * `checksum` is the SHA-256 of every byte before `,"checksum":` (so it covers `prev`, and `prev` is
 * the previous line's checksum: a hash chain). Because the last two fields have a fixed length,
 * a reader finds them at fixed offsets from the end of the line and verifies the line on its raw
 * bytes, without decoding or parsing it; the numbers at the start are read the same way, since a
 * stream's lines all begin with the same `{"stream":S,"revision":`.
 */
import { hash } from "node:crypto";
import type { PreparedEvent } from "../append-rules.js";
import type { RecordedEvent } from "../port.js";

/** The `prev` of a stream's first line. */
export const GENESIS = "0".repeat(64);

const HEX_LENGTH = 64;
/** `,"checksum":"<64 hex>"}`: the bytes the checksum does not cover. */
const CHECKSUM_FIELD_LENGTH = 79;
/** `,"prev":"<64 hex>","checksum":"<64 hex>"}`. */
const TRAILER_LENGTH = 153;

const ascii = (text: string) => Buffer.from(text, "latin1");
const POSITION_KEY = ascii(',"position":');
const BATCH_END_KEY = ascii(',"batchEnd":');
const ID_KEY = ascii(',"id":');
const PREV_KEY = ascii(',"prev":"');
const CHECKSUM_KEY = ascii('","checksum":"');
const LINE_END = ascii('"}');
const SHORTEST_BODY = '"id":"","type":"","data":0,"metadata":0'.length;

export function linePrefix(stream: string): string {
  return `{"stream":${JSON.stringify(stream)},"revision":`;
}

/** The lines of one append, ready to write, and the checksum that the next append chains to. */
export function encodeBatch(
  stream: string,
  firstRevision: number,
  firstPosition: number,
  prev: string,
  events: readonly PreparedEvent[],
): { readonly bytes: Buffer; readonly checksum: string } {
  const prefix = linePrefix(stream);
  const batchEnd = firstRevision + events.length - 1;
  let text = "";
  let checksum = prev;
  for (let i = 0; i < events.length; i++) {
    const event = events[i] as PreparedEvent;
    const covered =
      `${prefix}${firstRevision + i},"position":${firstPosition + i},"batchEnd":${batchEnd},` +
      `"id":${JSON.stringify(event.id)},"type":${JSON.stringify(event.type)},` +
      `"data":${event.dataJson},"metadata":${event.metadataJson},"prev":"${checksum}"`;
    checksum = hash("sha256", covered, "hex");
    text += `${covered},"checksum":"${checksum}"}\n`;
  }
  return { bytes: Buffer.from(text, "utf8"), checksum };
}

/**
 * Verifies a stream's lines one after another (the bytes of one line, without its newline) and
 * remembers the facts of the last line that passed. Rules, each reported in words:
 * layout (the fixed prefix and trailer, numbers without leading zeros), checksum, and, for a line
 * checked in sequence, the chain (`prev` = the previous checksum), revision (previous + 1),
 * position (increasing; consecutive inside one append) and `batchEnd` (shared by one append's lines).
 */
export class LineChecker {
  revision = -1;
  position = -1;
  /** The revision of the last event of the append that wrote the last checked line. */
  batchEnd = -1;
  checksum = GENESIS;

  private readonly prefix: Buffer;
  /** Where the `"id":` member of the last checked line starts. */
  private bodyStart = 0;
  private cursor = 0;

  constructor(readonly stream: string) {
    this.prefix = Buffer.from(linePrefix(stream), "utf8");
  }

  /** Whether the last line that passed ended its append (so everything up to it is committed). */
  get atBatchEnd(): boolean {
    return this.batchEnd === this.revision;
  }

  /** Checks the line as the successor of the last one that passed. Returns the broken rule, if any. */
  check(buf: Buffer, start: number, end: number): string | undefined {
    return this.checkLine(buf, start, end, true);
  }

  /** Checks a line on its own (layout and checksum), e.g. the last line of a file read from its tail. */
  checkAlone(buf: Buffer, start: number, end: number): string | undefined {
    return this.checkLine(buf, start, end, false);
  }

  /**
   * Parses the `id`, `type`, `data`, `metadata` part of the line that passed last; returns the
   * event, or the broken rule. Only this part goes through JSON.parse: the rest was read as bytes.
   */
  event(buf: Buffer, end: number): RecordedEvent | string {
    // Turn `,"id":…,"metadata":M,` into `{"id":…,"metadata":M}` in place for one decode.
    const open = this.bodyStart - 1;
    const close = end - TRAILER_LENGTH;
    buf[open] = 0x7b;
    buf[close] = 0x7d;
    const text = buf.toString("utf8", open, close + 1);
    buf[open] = 0x2c;
    buf[close] = 0x2c;
    let body: { id?: unknown; type?: unknown; data?: unknown; metadata?: unknown };
    try {
      body = JSON.parse(text);
    } catch (error) {
      return `the line is not valid JSON (${(error as Error).message})`;
    }
    const { id, type, data, metadata } = body;
    if (
      typeof id !== "string" ||
      typeof type !== "string" ||
      data === undefined ||
      metadata === undefined
    ) {
      return "the line lacks a string id or type, or data or metadata";
    }
    return {
      stream: this.stream,
      revision: this.revision,
      position: this.position,
      id,
      type,
      data,
      metadata,
    };
  }

  private checkLine(
    buf: Buffer,
    start: number,
    end: number,
    inSequence: boolean,
  ): string | undefined {
    const prefix = this.prefix;
    if (end - start < prefix.length + SHORTEST_BODY + TRAILER_LENGTH)
      return "the line is too short to be an event";
    for (let i = 0; i < prefix.length; i++) {
      if (buf[start + i] !== prefix[i]) {
        return `the line does not start with ${prefix.toString()} (not an event of this stream)`;
      }
    }
    this.cursor = start + prefix.length;
    const revision = this.readNumber(buf);
    const position = this.readKeyAndNumber(buf, POSITION_KEY);
    const batchEnd = this.readKeyAndNumber(buf, BATCH_END_KEY);
    const trailer = end - TRAILER_LENGTH;
    if (
      revision < 0 ||
      position < 0 ||
      batchEnd < 0 ||
      !matches(buf, this.cursor, ID_KEY) ||
      this.cursor + 1 + SHORTEST_BODY > trailer
    ) {
      return 'the line does not begin with "stream", "revision", "position", "batchEnd", "id" as written by the store';
    }
    if (
      !matches(buf, trailer, PREV_KEY) ||
      !matches(buf, trailer + PREV_KEY.length + HEX_LENGTH, CHECKSUM_KEY) ||
      !matches(buf, end - LINE_END.length, LINE_END)
    ) {
      return 'the line does not end with "prev" and "checksum" as written by the store';
    }
    const computed = hash("sha256", buf.subarray(start, end - CHECKSUM_FIELD_LENGTH), "hex");
    if (!equalsHex(buf, end - LINE_END.length - HEX_LENGTH, computed)) {
      return `checksum mismatch: the line was changed after it was written (its SHA-256 is ${computed})`;
    }
    if (inSequence) {
      if (!equalsHex(buf, trailer + PREV_KEY.length, this.checksum)) {
        return "broken hash chain: prev is not the checksum of the previous line (a line was removed, reordered or replaced)";
      }
      if (revision !== this.revision + 1) {
        return `revision ${revision} where ${this.revision + 1} was expected`;
      }
      if (position <= this.position) {
        return `position ${position} is not above the previous line's position ${this.position}`;
      }
      if (this.batchEnd > this.revision) {
        if (batchEnd !== this.batchEnd || position !== this.position + 1) {
          return `the append that ends at revision ${this.batchEnd} is interrupted by another (batchEnd ${batchEnd}, position ${position})`;
        }
      } else if (batchEnd < revision) {
        return `batchEnd ${batchEnd} is below the line's own revision ${revision}`;
      }
    } else if (batchEnd < revision) {
      return `batchEnd ${batchEnd} is below the line's own revision ${revision}`;
    }
    this.revision = revision;
    this.position = position;
    this.batchEnd = batchEnd;
    this.checksum = computed;
    this.bodyStart = this.cursor + 1;
    return undefined;
  }

  /** Reads a whole number (no sign, no leading zero, at most 15 digits) at the cursor; -1 if none. */
  private readNumber(buf: Buffer): number {
    const first = this.cursor;
    let value = 0;
    let at = first;
    for (let byte = buf[at]; byte !== undefined && byte >= 0x30 && byte <= 0x39; byte = buf[++at]) {
      value = value * 10 + (byte - 0x30);
    }
    const digits = at - first;
    if (digits === 0 || digits > 15 || (digits > 1 && buf[first] === 0x30)) return -1;
    this.cursor = at;
    return value;
  }

  private readKeyAndNumber(buf: Buffer, key: Buffer): number {
    if (!matches(buf, this.cursor, key)) return -1;
    this.cursor += key.length;
    return this.readNumber(buf);
  }
}

function matches(buf: Buffer, at: number, literal: Buffer): boolean {
  for (let i = 0; i < literal.length; i++) {
    if (buf[at + i] !== literal[i]) return false;
  }
  return true;
}

function equalsHex(buf: Buffer, at: number, hex: string): boolean {
  for (let i = 0; i < HEX_LENGTH; i++) {
    if (buf[at + i] !== hex.charCodeAt(i)) return false;
  }
  return true;
}
