/**
 * The append rules, in one place for every store: what a valid append is, when it is an
 * idempotent retry, and when the expected revision refuses it. Pure: the stores look up the
 * stream's facts, call these, and then write what was decided.
 */
import { checkStreamName, describe } from "./input-rules.js";
import { jsonProblem } from "./json-value.js";
import {
  type AppendResult,
  ConcurrencyError,
  type ExpectedRevision,
  IdempotencyError,
  StoreInputError,
} from "./port.js";

/** An event checked and serialized once, before any stream is looked at. */
export interface PreparedEvent {
  readonly id: string;
  readonly type: string;
  /** `data` and `metadata` as JSON text: what the file store writes and the memory store keeps. */
  readonly dataJson: string;
  readonly metadataJson: string;
}

export interface PreparedAppend {
  readonly stream: string;
  readonly expectedRevision: ExpectedRevision;
  readonly events: readonly PreparedEvent[];
}

/** What the rules need to know about the target stream. */
export interface StreamFacts {
  readonly revision: number | "no_stream";
  /** The revision of the stored event with this id, if the stream holds one. */
  revisionOf(id: string): number | undefined;
  /** The result of the append that stored the event at this revision. */
  resultOf(revision: number): AppendResult;
}

export type AppendDecision =
  | { readonly kind: "retry"; readonly result: AppendResult }
  | { readonly kind: "write"; readonly firstRevision: number };

/** The facts of a stream that does not exist. */
export const NO_STREAM: StreamFacts = {
  revision: "no_stream",
  revisionOf: () => undefined,
  resultOf: (revision) => {
    throw new RangeError(`empty stream has no revision ${revision}`);
  },
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Checks an append's input and serializes its events. Throws `StoreInputError` naming the input
 * and the rule: the stream name must be non-empty; `expectedRevision` one of the three words or a
 * whole number ≥ 0; the batch non-empty (an empty append would have no revision to return: use
 * `streamRevision` to check a stream); each id UUID-shaped (every store, EventStoreDB included,
 * can use it) and unique within the batch; each type a non-empty string; data and metadata plain
 * JSON.
 */
export function prepareAppend(stream: unknown, events: unknown, options: unknown): PreparedAppend {
  const name = checkStreamName(stream, "append");
  const input = `append to stream ${JSON.stringify(name)}`;
  const expectedRevision = checkExpectedRevision(options, input);
  if (!Array.isArray(events)) {
    throw new StoreInputError(`${input}: events ${describe(events)}`, "events must be an array");
  }
  if (events.length === 0) {
    throw new StoreInputError(
      `${input}: events []`,
      "an append needs at least one event (to check a stream's revision, use streamRevision)",
    );
  }
  const firstIndexById = new Map<string, number>();
  const prepared = events.map((event: unknown, index): PreparedEvent => {
    const at = `${input}: event ${index}`;
    if (typeof event !== "object" || event === null) {
      throw new StoreInputError(
        `${at} ${describe(event)}`,
        "an event must be an object { id, type, data, metadata }",
      );
    }
    const { id, type, data, metadata } = event as Record<string, unknown>;
    if (typeof id !== "string" || !UUID.test(id)) {
      throw new StoreInputError(
        `${at} id ${describe(id)}`,
        "an event id must be UUID-shaped (8-4-4-4-12 hex digits)",
      );
    }
    const earlier = firstIndexById.get(id);
    if (earlier !== undefined) {
      throw new StoreInputError(
        `${at} id ${id}`,
        `event ${earlier} of the same batch has this id too: ids must be unique within a batch`,
      );
    }
    firstIndexById.set(id, index);
    if (typeof type !== "string" || type.length === 0) {
      throw new StoreInputError(
        `${at} (${id}) type ${describe(type)}`,
        "an event type must be a non-empty string",
      );
    }
    const problem = jsonProblem(data, "data") ?? jsonProblem(metadata, "metadata");
    if (problem) throw new StoreInputError(`${at} (${type} ${id})`, problem);
    return { id, type, dataJson: JSON.stringify(data), metadataJson: JSON.stringify(metadata) };
  });
  return { stream: name, expectedRevision, events: prepared };
}

function checkExpectedRevision(options: unknown, input: string): ExpectedRevision {
  const expected =
    typeof options === "object" && options !== null
      ? (options as { expectedRevision?: unknown }).expectedRevision
      : undefined;
  if (expected === "no_stream" || expected === "any" || expected === "stream_exists")
    return expected;
  if (typeof expected === "number" && Number.isSafeInteger(expected) && expected >= 0)
    return expected;
  throw new StoreInputError(
    `${input}: expectedRevision ${describe(expected)}`,
    'expectedRevision must be "no_stream", "any", "stream_exists" or a whole number ≥ 0 (the revision of the stream\'s last event)',
  );
}

/**
 * Decides a prepared append against the stream's facts:
 * 1. every id already in the stream → a retry: nothing is written and the result of the append
 *    that stored the latest of them is returned with `written: false`, whatever the expected
 *    revision says (the retry's expectation was about the world before its first attempt);
 * 2. some ids stored, some new → `IdempotencyError` (a retry must resend the batch whole);
 * 3. otherwise the expected revision must hold (`ConcurrencyError`) and the batch is written from
 *    the next revision.
 */
export function decideAppend(append: PreparedAppend, facts: StreamFacts): AppendDecision {
  const storedIds: string[] = [];
  const newIds: string[] = [];
  let latestStored = -1;
  for (const { id } of append.events) {
    const revision = facts.revisionOf(id);
    if (revision === undefined) {
      newIds.push(id);
    } else {
      storedIds.push(id);
      latestStored = Math.max(latestStored, revision);
    }
  }
  if (newIds.length === 0)
    return { kind: "retry", result: { ...facts.resultOf(latestStored), written: false } };
  if (storedIds.length > 0) throw new IdempotencyError(append.stream, storedIds, newIds);

  const actual = facts.revision;
  const expected = append.expectedRevision;
  const holds =
    expected === "any" ||
    (expected === "no_stream" && actual === "no_stream") ||
    (expected === "stream_exists" && actual !== "no_stream") ||
    expected === actual;
  if (!holds) throw new ConcurrencyError(append.stream, expected, actual);
  return { kind: "write", firstRevision: actual === "no_stream" ? 0 : actual + 1 };
}
