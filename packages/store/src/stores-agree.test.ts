import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { uuidFromName } from "@trader/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type FileEventStore, openFileStore } from "./file-store/file-store.js";
import { createMemoryStore } from "./memory-store.js";
import type { EventStore, ExpectedRevision } from "./port.js";
import { collect } from "./testing/events.js";

const STREAMS = ["day", "day/2", "night:é"];
const IDS = Array.from({ length: 6 }, (_, i) => uuidFromName(`stores-agree-${i}`));

type Operation =
  | { kind: "append"; stream: number; ids: number[]; expected: ExpectedRevision; data: unknown }
  | { kind: "readStream"; stream: number; from: number }
  | { kind: "readAll"; from: number }
  | { kind: "listStreams"; prefix: string }
  | { kind: "streamRevision"; stream: number }
  | { kind: "reopen" };

const stream = fc.integer({ min: 0, max: STREAMS.length - 1 });
const operation: fc.Arbitrary<Operation> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("append" as const),
      stream,
      // Not unique: a batch repeating an id must be refused alike.
      ids: fc.array(fc.integer({ min: 0, max: IDS.length - 1 }), { minLength: 1, maxLength: 3 }),
      expected: fc.oneof(
        fc.constantFrom<ExpectedRevision>("any", "no_stream", "stream_exists"),
        fc.integer({ min: -1, max: 5 }),
      ),
      data: fc.jsonValue({ maxDepth: 2 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("readStream" as const), stream, from: fc.nat(4) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("readAll" as const), from: fc.nat(8) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("listStreams" as const),
      prefix: fc.constantFrom("", "d", "day/", "n", "z"),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("streamRevision" as const), stream }) },
  { weight: 1, arbitrary: fc.constant({ kind: "reopen" as const }) },
);

/** What a caller observes: the value, or the error's class and message. */
async function observe(store: EventStore, op: Operation): Promise<unknown> {
  try {
    switch (op.kind) {
      case "append": {
        const events = op.ids.map((i) => ({
          id: IDS[i] as string,
          type: "T",
          data: op.data,
          metadata: { i },
        }));
        return await store.append(STREAMS[op.stream] as string, events, {
          expectedRevision: op.expected,
        });
      }
      case "readStream":
        return await collect(store.readStream(STREAMS[op.stream] as string, { from: op.from }));
      case "readAll":
        return await collect(store.readAll({ fromPosition: op.from }));
      case "listStreams":
        return await store.listStreams(op.prefix);
      case "streamRevision":
        return await store.streamRevision(STREAMS[op.stream] as string);
      case "reopen":
        return "reopened";
    }
  } catch (error) {
    return { error: (error as Error).name, message: (error as Error).message };
  }
}

describe("the durable store and the in-memory store", () => {
  it("give the same observable results for any sequence of operations, across reopens", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 25 }), async (operations) => {
        const dir = await mkdtemp(join(tmpdir(), "trader-store-agree-"));
        const memory = createMemoryStore();
        let durable: FileEventStore = await openFileStore({ dir });
        try {
          for (const op of operations) {
            if (op.kind === "reopen") {
              await durable.close();
              durable = await openFileStore({ dir });
            }
            expect(await observe(durable, op)).toEqual(await observe(memory, op));
          }
          expect(await collect(durable.readAll())).toEqual(await collect(memory.readAll()));
          expect((await durable.verify()).ok).toBe(true);
        } finally {
          await durable.close();
          await memory.close();
          await rm(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 60 },
    );
  });
});
