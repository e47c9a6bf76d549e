import { randomUUID } from "node:crypto";
import type { NewEvent } from "@trader/store";
import { describe, expect, it } from "vitest";
import { decodeEvent, encodeEvent } from "./codec.js";

const event: NewEvent = {
  id: randomUUID(),
  type: "Filled",
  data: { symbol: "SPY", qty: 10, tags: ["é", "𝄞"], nested: { none: null } },
  metadata: { by: "runner", n: -0.5 },
};

/** What the client gives back for an event it stored from `data` (JSON through the wire). */
function recorded(data: ReturnType<typeof encodeEvent>, revision: unknown, position: unknown) {
  return {
    event: {
      streamId: "day:acct-1",
      id: data.id,
      type: data.type,
      revision,
      data: JSON.parse(JSON.stringify(data.data)),
      metadata: JSON.parse(JSON.stringify(data.metadata)),
      position,
      isJson: true,
    },
  };
}

describe("encoding and decoding", () => {
  it("keeps the id (for server dedupe), type and data; wraps metadata with the batch end", () => {
    const encoded = encodeEvent(event, 4);
    expect(encoded).toMatchObject({
      id: event.id,
      type: "Filled",
      contentType: "application/json",
      data: event.data,
      metadata: { metadata: event.metadata, batchEnd: 4 },
    });
  });

  it("decodes back to the RecordedEvent, bigint or number revisions and positions alike", () => {
    for (const [revision, commit, prepare] of [
      [3n, 900n, 500n],
      [3, 900, 500],
    ] as const) {
      const decoded = decodeEvent(recorded(encodeEvent(event, 4), revision, { commit, prepare }));
      expect(decoded?.event).toEqual({
        ...event,
        stream: "day:acct-1",
        revision: 3,
        position: 500,
      });
      expect(decoded?.batchEnd).toBe(4);
      expect(decoded?.nativePosition).toEqual({ commit: 900n, prepare: 500n });
    }
  });

  it("round-trips scalar data and null metadata", () => {
    const scalar: NewEvent = { ...event, data: 42, metadata: null };
    const decoded = decodeEvent(recorded(encodeEvent(scalar, 0), 0n, { commit: 1n, prepare: 1n }));
    expect(decoded?.event).toMatchObject({ data: 42, metadata: null });
  });

  it("reads events written by other tools: metadata as is, one event per batch", () => {
    const foreign = {
      event: {
        streamId: "legacy",
        id: randomUUID(),
        type: "Old",
        revision: 2n,
        data: { a: 1 },
        metadata: { $correlationId: "x" },
        position: { commit: 9n, prepare: 9n },
      },
    };
    expect(decodeEvent(foreign)).toMatchObject({
      event: { metadata: { $correlationId: "x" }, revision: 2 },
      batchEnd: 2,
    });
  });

  it("skips system streams and unresolved links", () => {
    const system = recorded(encodeEvent(event, 0), 0n, { commit: 1n, prepare: 1n });
    expect(
      decodeEvent({ event: { ...system.event, streamId: "$stats-127.0.0.1:2113" } }),
    ).toBeUndefined();
    expect(decodeEvent({ commitPosition: 5n })).toBeUndefined();
  });
});
