/**
 * Our events to the client's and back. An event keeps its id (so the server can deduplicate a
 * retried append), its type and its data; its KurrentDB metadata is an envelope holding our
 * metadata and the revision that ends its append's batch (what an idempotent retry returns).
 */
import { type EventData, type JSONType, jsonEvent } from "@kurrent/kurrentdb-client";
import type { NewEvent, RecordedEvent } from "@trader/store";
import { type NativePosition, toNativePosition, toPosition, toRevision } from "./conversions.js";

/** What we store as the KurrentDB event's metadata. */
export interface MetadataEnvelope {
  readonly metadata: unknown;
  readonly batchEnd: number;
}

export function encodeEvent(event: NewEvent, batchEnd: number): EventData {
  const envelope: MetadataEnvelope = { metadata: event.metadata, batchEnd };
  return jsonEvent({
    id: event.id,
    type: event.type,
    data: event.data as JSONType,
    metadata: envelope as unknown as JSONType,
  });
}

/** A decoded event with what the adapter needs beyond the port's fields. */
export interface DecodedEvent {
  readonly event: RecordedEvent;
  /** The revision that ends the event's append batch (its own revision when unknown). */
  readonly batchEnd: number;
  readonly nativePosition: NativePosition;
}

/** The shape of a resolved event from the client (read or subscription), as far as we use it. */
export interface ResolvedLike {
  readonly event?:
    | {
        readonly streamId: string;
        readonly id: string;
        readonly type: string;
        readonly revision: unknown;
        readonly data: unknown;
        readonly metadata?: unknown;
        readonly position?: unknown;
        readonly isJson?: boolean;
      }
    | undefined;
  readonly commitPosition?: unknown;
}

/**
 * A resolved event as our RecordedEvent, or undefined for what is not ours to read: no event
 * (a link to a deleted event) or a system stream (`$…`).
 */
export function decodeEvent(resolved: ResolvedLike): DecodedEvent | undefined {
  const recorded = resolved.event;
  if (!recorded || recorded.streamId.startsWith("$")) return undefined;
  const revision = toRevision(recorded.revision);
  const nativePosition = toNativePosition(
    recorded.position ?? { commit: resolved.commitPosition, prepare: resolved.commitPosition },
  );
  const { metadata, batchEnd } = unwrapMetadata(recorded.metadata, revision);
  const data = recorded.data instanceof Uint8Array ? parseBytes(recorded.data) : recorded.data;
  return {
    event: {
      id: recorded.id,
      type: recorded.type,
      data,
      metadata,
      stream: recorded.streamId,
      revision,
      position: toPosition(nativePosition),
    },
    batchEnd,
    nativePosition,
  };
}

function unwrapMetadata(raw: unknown, revision: number): MetadataEnvelope {
  if (
    typeof raw === "object" &&
    raw !== null &&
    !Array.isArray(raw) &&
    "batchEnd" in raw &&
    "metadata" in raw &&
    Object.keys(raw).length === 2
  ) {
    const { metadata, batchEnd } = raw as { metadata: unknown; batchEnd: unknown };
    if (typeof batchEnd === "number" && Number.isSafeInteger(batchEnd) && batchEnd >= revision) {
      return { metadata, batchEnd };
    }
  }
  // Written by another tool: its metadata as is, one event per batch.
  const metadata = raw instanceof Uint8Array ? parseBytes(raw) : (raw ?? null);
  return { metadata, batchEnd: revision };
}

function parseBytes(bytes: Uint8Array): unknown {
  const text = Buffer.from(bytes).toString("utf8");
  if (text.length === 0) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
