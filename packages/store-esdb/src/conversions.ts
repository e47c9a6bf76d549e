/**
 * Revisions, positions and expected revisions between the port (plain numbers, word states) and
 * the client (bigint, `streamState`). The client's types say bigint, but it has returned plain
 * numbers, so every value coming from it goes through `toBigInt`.
 */
import { ANY, type AppendStreamState, NO_STREAM, STREAM_EXISTS } from "@kurrent/kurrentdb-client";
import type { ExpectedRevision } from "@trader/store";

/** A bigint from what the client returned: a bigint, a safe whole number or a decimal string. */
export function toBigInt(value: unknown, what: string): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "number" && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === "string" && /^-?\d+$/.test(value)) return BigInt(value);
  throw new TypeError(
    `${what}: expected a whole number from the KurrentDB client, got ${String(value)}`,
  );
}

/** A port number (revision or position) from a client bigint; refuses what a number cannot hold. */
export function toPortNumber(value: unknown, what: string): number {
  const big = toBigInt(value, what);
  if (big < 0n || big > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`${what}: ${big} is outside 0…2^53−1 and cannot be a port number`);
  }
  return Number(big);
}

export const toRevision = (value: unknown): number => toPortNumber(value, "stream revision");

/** A client position `{ commit, prepare }` with both parts checked as bigint. */
export interface NativePosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export function toNativePosition(value: unknown): NativePosition {
  if (typeof value !== "object" || value === null) {
    throw new TypeError(`event position: expected { commit, prepare }, got ${String(value)}`);
  }
  const { commit, prepare } = value as { commit?: unknown; prepare?: unknown };
  return {
    commit: toBigInt(commit, "commit position"),
    prepare: toBigInt(prepare, "prepare position"),
  };
}

/**
 * The port's position of an event: its prepare position, the byte offset of the event's own
 * record in the `$all` log. Every event has its own (events of one batch may share a commit
 * position), and for appends (implicit transactions) `$all` order is prepare order.
 */
export function toPosition(value: unknown): number {
  return toPortNumber(toNativePosition(value).prepare, "prepare position");
}

/** The port's expected revision as the client's `streamState`. */
export function toStreamState(expected: ExpectedRevision): AppendStreamState {
  switch (expected) {
    case "no_stream":
      return NO_STREAM;
    case "any":
      return ANY;
    case "stream_exists":
      return STREAM_EXISTS;
    default:
      return BigInt(expected);
  }
}

/** The client's `streamState` (or a current state) back as the port's expected revision. */
export function fromStreamState(state: unknown): ExpectedRevision {
  if (state === NO_STREAM || state === ANY || state === STREAM_EXISTS) return state;
  return toRevision(state);
}

/** The client's current stream state as the port's actual revision. */
export function fromCurrentState(state: unknown): number | "no_stream" {
  return state === NO_STREAM ? "no_stream" : toRevision(state);
}
