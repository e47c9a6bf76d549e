/**
 * The behaviour every EventStore must show, as a vitest suite: run it with a factory for a fresh
 * store. It assumes only what the port promises, so a store backed by a shared server can run it
 * too: every test writes to streams of its own (unique names) and looks only at those.
 */
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { filter, firstValueFrom, type Observable, take, timeout, toArray } from "rxjs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type AppendResult,
  ConcurrencyError,
  type EventStore,
  type ExpectedRevision,
  IdempotencyError,
  type NewEvent,
  type RecordedEvent,
  StoreInputError,
  StoreStateError,
} from "../port.js";

export type EventStoreFactory = () => EventStore | Promise<EventStore>;

export function describeEventStoreContract(name: string, factory: EventStoreFactory): void {
  describe(`${name}: EventStore contract`, () => {
    let store: EventStore;
    beforeEach(async () => {
      store = await factory();
    });
    afterEach(async () => {
      await store.close();
    });

    describe("append and expected revision", () => {
      it("no_stream creates a stream whose revisions start at 0; the result names the batch's last event", async () => {
        const stream = uniqueStream("create");
        const batch = events(3);
        const result = await store.append(stream, batch, { expectedRevision: "no_stream" });
        expect(result).toMatchObject({ nextRevision: 2, written: true });
        const read = await collect(store.readStream(stream));
        expect(read.map(withoutPosition)).toEqual(
          batch.map((event, revision) => ({ ...event, stream, revision })),
        );
        expect(read.at(-1)?.position).toBe(result.position);
        expect(await store.streamRevision(stream)).toBe(2);
      });

      it("no_stream on an existing stream is a ConcurrencyError naming stream, expected and actual", async () => {
        const stream = uniqueStream("exists");
        await store.append(stream, events(2), { expectedRevision: "no_stream" });
        const error = await rejectionOf(
          store.append(stream, events(1), { expectedRevision: "no_stream" }),
        );
        expect(error).toBeInstanceOf(ConcurrencyError);
        expect(error).toMatchObject({ stream, expected: "no_stream", actual: 1 });
        expect((error as Error).message).toContain(stream);
        expect(await store.streamRevision(stream)).toBe(1);
      });

      it("stream_exists refuses a missing stream and accepts an existing one", async () => {
        const stream = uniqueStream("must-exist");
        const error = await rejectionOf(
          store.append(stream, events(1), { expectedRevision: "stream_exists" }),
        );
        expect(error).toMatchObject({
          name: "ConcurrencyError",
          stream,
          expected: "stream_exists",
          actual: "no_stream",
        });
        expect(await store.streamRevision(stream)).toBe("no_stream");
        await store.append(stream, events(1), { expectedRevision: "no_stream" });
        const result = await store.append(stream, events(2), { expectedRevision: "stream_exists" });
        expect(result).toMatchObject({ nextRevision: 2, written: true });
      });

      it("any appends whatever the stream's state", async () => {
        const stream = uniqueStream("any");
        expect(await store.append(stream, events(1), { expectedRevision: "any" })).toMatchObject({
          nextRevision: 0,
        });
        expect(await store.append(stream, events(1), { expectedRevision: "any" })).toMatchObject({
          nextRevision: 1,
        });
      });

      it("a number must be the stream's last revision; otherwise ConcurrencyError and nothing is written", async () => {
        const stream = uniqueStream("numbered");
        const missing = await rejectionOf(store.append(stream, events(1), { expectedRevision: 0 }));
        expect(missing).toMatchObject({
          name: "ConcurrencyError",
          stream,
          expected: 0,
          actual: "no_stream",
        });
        await store.append(stream, events(2), { expectedRevision: "no_stream" });
        expect(await store.append(stream, events(1), { expectedRevision: 1 })).toMatchObject({
          nextRevision: 2,
        });
        const stale = await rejectionOf(store.append(stream, events(1), { expectedRevision: 1 }));
        expect(stale).toBeInstanceOf(ConcurrencyError);
        expect(stale).toMatchObject({ stream, expected: 1, actual: 2 });
        const ahead = await rejectionOf(store.append(stream, events(1), { expectedRevision: 7 }));
        expect(ahead).toMatchObject({ expected: 7, actual: 2 });
        expect(await collect(store.readStream(stream))).toHaveLength(3);
      });

      it("of two writers expecting the same revision, exactly one wins", async () => {
        const stream = uniqueStream("race");
        await store.append(stream, events(1), { expectedRevision: "no_stream" });
        const outcomes = await Promise.allSettled([
          store.append(stream, events(2), { expectedRevision: 0 }),
          store.append(stream, events(3), { expectedRevision: 0 }),
        ]);
        expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
        const refused = outcomes.find((outcome) => outcome.status === "rejected");
        expect((refused as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyError);
        const written = (await collect(store.readStream(stream))).length;
        expect([3, 4]).toContain(written);
      });
    });

    describe("idempotency", () => {
      it("appending the same batch twice stores it once; the retry returns the original result with written: false", async () => {
        const stream = uniqueStream("retry");
        const batch = events(3);
        const first = await store.append(stream, batch, { expectedRevision: "no_stream" });
        const retry = await store.append(stream, batch, { expectedRevision: "no_stream" });
        expect(retry).toEqual({ ...first, written: false });
        expect((await collect(store.readStream(stream))).map((event) => event.id)).toEqual(
          batch.map((e) => e.id),
        );
      });

      it("a retry after other appends, with its now stale expected revision, is still the original no-op", async () => {
        const stream = uniqueStream("late-retry");
        const batch = events(2);
        await store.append(stream, events(1), { expectedRevision: "no_stream" });
        const first = await store.append(stream, batch, { expectedRevision: 0 });
        await store.append(stream, events(2), { expectedRevision: 2 });
        await store.append(uniqueStream("elsewhere"), events(1), { expectedRevision: "any" });
        const retry = await store.append(stream, batch, { expectedRevision: 0 });
        expect(retry).toEqual({ nextRevision: 2, position: first.position, written: false });
        expect(await store.streamRevision(stream)).toBe(4);
      });

      it("a batch mixing stored and new ids is refused with IdempotencyError naming both; nothing is written", async () => {
        const stream = uniqueStream("partial");
        const [a, b, c] = events(3) as [NewEvent, NewEvent, NewEvent];
        await store.append(stream, [a, b], { expectedRevision: "no_stream" });
        const error = await rejectionOf(store.append(stream, [b, c], { expectedRevision: "any" }));
        expect(error).toBeInstanceOf(IdempotencyError);
        expect(error).toMatchObject({ stream, storedIds: [b.id], newIds: [c.id] });
        expect(await store.streamRevision(stream)).toBe(1);
      });

      it("the same id twice in one batch is refused with StoreInputError; nothing is written", async () => {
        const stream = uniqueStream("twice");
        const [a, b] = events(2) as [NewEvent, NewEvent];
        const error = await rejectionOf(
          store.append(stream, [a, b, { ...a }], { expectedRevision: "any" }),
        );
        expect(error).toBeInstanceOf(StoreInputError);
        expect((error as Error).message).toContain(a.id);
        expect(await store.streamRevision(stream)).toBe("no_stream");
      });

      it("ids are per stream: the same id may be appended to two streams", async () => {
        const [event] = events(1) as [NewEvent];
        const one = uniqueStream("id-one");
        const two = uniqueStream("id-two");
        await store.append(one, [event], { expectedRevision: "no_stream" });
        expect(await store.append(two, [event], { expectedRevision: "no_stream" })).toMatchObject({
          written: true,
        });
      });
    });

    describe("input rules", () => {
      const badAppends: [string, (stream: string) => [string, unknown, unknown]][] = [
        ["an empty stream name", () => ["", events(1), { expectedRevision: "any" }]],
        ["an empty batch", (stream) => [stream, [], { expectedRevision: "any" }]],
        [
          "NaN as expected revision",
          (stream) => [stream, events(1), { expectedRevision: Number.NaN }],
        ],
        ["a negative expected revision", (stream) => [stream, events(1), { expectedRevision: -1 }]],
        [
          "a fractional expected revision",
          (stream) => [stream, events(1), { expectedRevision: 1.5 }],
        ],
        [
          "an unknown expected revision word",
          (stream) => [stream, events(1), { expectedRevision: "latest" }],
        ],
        ["no options", (stream) => [stream, events(1), undefined]],
        [
          "an id that is not UUID-shaped",
          (stream) => [stream, [{ ...event(), id: "order-1" }], { expectedRevision: "any" }],
        ],
        [
          "an empty type",
          (stream) => [stream, [{ ...event(), type: "" }], { expectedRevision: "any" }],
        ],
        [
          "undefined data",
          (stream) => [stream, [{ ...event(), data: undefined }], { expectedRevision: "any" }],
        ],
        [
          "NaN in data",
          (stream) => [
            stream,
            [{ ...event(), data: { price: Number.NaN } }],
            { expectedRevision: "any" },
          ],
        ],
        [
          "a bigint in data",
          (stream) => [stream, [{ ...event(), data: { qty: 1n } }], { expectedRevision: "any" }],
        ],
        [
          "a Date in data",
          (stream) => [
            stream,
            [{ ...event(), data: { at: new Date(0) } }],
            { expectedRevision: "any" },
          ],
        ],
        [
          "a function in metadata",
          (stream) => [
            stream,
            [{ ...event(), metadata: { f: () => 1 } }],
            { expectedRevision: "any" },
          ],
        ],
        [
          "a cycle in data",
          (stream) => [stream, [{ ...event(), data: cyclic() }], { expectedRevision: "any" }],
        ],
        [
          "an undefined property in data",
          (stream) => [
            stream,
            [{ ...event(), data: { a: undefined } }],
            { expectedRevision: "any" },
          ],
        ],
      ];
      it.each(badAppends)(
        "refuses %s with StoreInputError and writes nothing",
        async (_case, makeArgs) => {
          const stream = uniqueStream("bad-input");
          const [target, batch, options] = makeArgs(stream);
          const append = store.append as (
            stream: string,
            events: unknown,
            options: unknown,
          ) => Promise<AppendResult>;
          const error = await rejectionOf(append.call(store, target, batch, options));
          expect(error).toBeInstanceOf(StoreInputError);
          expect((error as StoreInputError).rule.length).toBeGreaterThan(0);
          expect(await store.streamRevision(stream)).toBe("no_stream");
          expect(await store.listStreams(stream)).toEqual([]);
        },
      );

      it("names the offending field of bad data", async () => {
        const stream = uniqueStream("bad-field");
        const error = await rejectionOf(
          store.append(
            stream,
            [
              event(),
              { ...event(), data: { legs: [{ price: 1 }, { price: Number.POSITIVE_INFINITY }] } },
            ],
            {
              expectedRevision: "any",
            },
          ),
        );
        expect((error as Error).message).toContain("data.legs[1].price");
        expect((error as Error).message).toContain("event 1");
      });

      it("refuses bad read arguments with StoreInputError", async () => {
        await expect(collect(store.readStream(""))).rejects.toBeInstanceOf(StoreInputError);
        await expect(
          collect(store.readStream(uniqueStream("x"), { from: -1 })),
        ).rejects.toBeInstanceOf(StoreInputError);
        await expect(collect(store.readAll({ fromPosition: Number.NaN }))).rejects.toBeInstanceOf(
          StoreInputError,
        );
        await expect(store.streamRevision("")).rejects.toBeInstanceOf(StoreInputError);
      });
    });

    describe("reading", () => {
      it("readStream returns every event in revision order, from `from` on", async () => {
        const stream = uniqueStream("order");
        const appended = [events(2), events(1), events(3)];
        let expected: ExpectedRevision = "no_stream";
        for (const batch of appended) {
          expected = (await store.append(stream, batch, { expectedRevision: expected }))
            .nextRevision;
        }
        const all = await collect(store.readStream(stream));
        expect(all.map((e) => e.id)).toEqual(appended.flat().map((e) => e.id));
        expect(all.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4, 5]);
        expect(isIncreasing(all.map((e) => e.position))).toBe(true);
        expect(
          (await collect(store.readStream(stream, { from: 4 }))).map((e) => e.revision),
        ).toEqual([4, 5]);
        expect(await collect(store.readStream(stream, { from: 6 }))).toEqual([]);
      });

      it("a missing stream reads as empty and has no revision", async () => {
        const stream = uniqueStream("missing");
        expect(await collect(store.readStream(stream))).toEqual([]);
        expect(await store.streamRevision(stream)).toBe("no_stream");
      });

      it("data and metadata come back as they went in", async () => {
        const stream = uniqueStream("round-trip");
        const rich: NewEvent = {
          id: randomUUID(),
          type: "Filled",
          data: {
            symbol: "SPY",
            qty: 10,
            price: 450.25,
            tags: ["a", "é", "𝄞", ""],
            nested: { ok: true, none: null },
          },
          metadata: { note: 'quotes " and \\ backslashes\nand lines', n: -0.5, big: 2 ** 52 },
        };
        await store.append(stream, [rich], { expectedRevision: "no_stream" });
        const [read] = await collect(store.readStream(stream));
        expect(read).toMatchObject({ ...rich, stream, revision: 0 });
      });

      it("readAll gives every stream's events in one global order, as appended, from fromPosition on", async () => {
        const one = uniqueStream("global-a");
        const two = uniqueStream("global-b");
        const results: AppendResult[] = [];
        const appended: string[] = [];
        for (const [stream, size] of [
          [one, 2],
          [two, 1],
          [one, 1],
          [two, 3],
          [one, 1],
        ] as const) {
          const batch = events(size);
          results.push(await store.append(stream, batch, { expectedRevision: "any" }));
          appended.push(...batch.map((e) => e.id));
        }
        const firstPosition = (results[0]?.position ?? 0) - 1;
        const mine = (await collect(store.readAll({ fromPosition: firstPosition }))).filter(
          (e) => e.stream === one || e.stream === two,
        );
        expect(mine.map((e) => e.id)).toEqual(appended);
        expect(isIncreasing(mine.map((e) => e.position))).toBe(true);
        for (const result of results) {
          expect(mine.find((e) => e.position === result.position)).toBeDefined();
        }
        const from = mine[4] as RecordedEvent;
        const rest = await collect(store.readAll({ fromPosition: from.position }));
        expect(rest[0]).toEqual(from);
        expect(rest.filter((e) => e.stream === one || e.stream === two)).toEqual(mine.slice(4));
      });

      it("listStreams lists the streams with a prefix, sorted", async () => {
        const prefix = uniqueStream("list");
        const names = [`${prefix}:b`, `${prefix}:a`, `${prefix}:c/é`, `${prefix}x`];
        for (const stream of names)
          await store.append(stream, events(1), { expectedRevision: "no_stream" });
        expect(await store.listStreams(`${prefix}:`)).toEqual([
          `${prefix}:a`,
          `${prefix}:b`,
          `${prefix}:c/é`,
        ]);
        expect(await store.listStreams(prefix)).toEqual([...names].sort());
        expect(await store.listStreams(`${prefix}:zz`)).toEqual([]);
        const everything = await store.listStreams("");
        for (const stream of names) expect(everything).toContain(stream);
        expect(everything).toEqual([...everything].sort());
        expect(await store.listStreams()).toEqual(everything);
      });
    });

    describe("subscribe", () => {
      it("catches up from a position mid-way, then goes live, with no gap and no repeat", async () => {
        const one = uniqueStream("sub-a");
        const two = uniqueStream("sub-b");
        await store.append(one, events(3), { expectedRevision: "no_stream" });
        const middle = await store.append(two, events(2), { expectedRevision: "no_stream" });
        await store.append(one, events(2), { expectedRevision: 2 });
        const mine = (e: RecordedEvent) => e.stream === one || e.stream === two;
        const fromPosition = middle.position; // the second event of stream two: inclusive
        // Caught up: stream two's second event and stream one's last two; then four live ones.
        const received = collectMine(store.subscribe({ fromPosition }), mine, 3 + 4);
        await store.append(two, events(1), { expectedRevision: 1 });
        await store.append(one, events(3), { expectedRevision: 4 });
        const delivered = await received;
        const stored = (await collect(store.readAll({ fromPosition }))).filter(mine);
        expect(stored).toHaveLength(7);
        expect(delivered).toEqual(stored);
        expect(delivered[0]).toMatchObject({ stream: two, revision: 1, position: fromPosition });
      });

      it("loses and repeats nothing when appends race with the catch-up", async () => {
        const stream = uniqueStream("sub-race");
        const first = await store.append(stream, events(50), { expectedRevision: "no_stream" });
        for (let i = 0; i < 3; i++)
          await store.append(stream, events(50), { expectedRevision: "any" });
        const fromPosition = first.position - 49;
        const mine = (e: RecordedEvent) => e.stream === stream;
        const received = collectMine(store.subscribe({ fromPosition }), mine, 200 + 60);
        // Not awaited before the subscription catches up: they land during it.
        const racing = Array.from({ length: 30 }, () =>
          store.append(stream, events(2), { expectedRevision: "any" }),
        );
        await Promise.all(racing);
        const delivered = await received;
        const stored = (await collect(store.readAll({ fromPosition }))).filter(mine);
        expect(delivered.map((e) => e.revision)).toEqual(Array.from({ length: 260 }, (_, i) => i));
        expect(delivered).toEqual(stored);
      });

      it("delivers to every subscriber and stops delivering after unsubscribe", async () => {
        const stream = uniqueStream("sub-many");
        const first = await store.append(stream, events(1), { expectedRevision: "no_stream" });
        const seenByEarly: RecordedEvent[] = [];
        const early = store.subscribe({ fromPosition: first.position }).subscribe((e) => {
          if (e.stream === stream) seenByEarly.push(e);
        });
        const other = collectMine(
          store.subscribe({ fromPosition: first.position }),
          (e) => e.stream === stream,
          3,
        );
        await store.append(stream, events(1), { expectedRevision: 0 });
        await waitFor(() => seenByEarly.length === 2);
        early.unsubscribe();
        await store.append(stream, events(1), { expectedRevision: 1 });
        expect((await other).map((e) => e.revision)).toEqual([0, 1, 2]);
        expect(seenByEarly.map((e) => e.revision)).toEqual([0, 1]);
      });

      it("from a position not yet reached, delivers only what is appended from there", async () => {
        const stream = uniqueStream("sub-future");
        const now = await store.append(stream, events(1), { expectedRevision: "no_stream" });
        const received = collectMine(
          store.subscribe({ fromPosition: now.position + 1 }),
          (e) => e.stream === stream,
          2,
        );
        await store.append(stream, events(2), { expectedRevision: 0 });
        expect((await received).map((e) => e.revision)).toEqual([1, 2]);
      });
    });

    describe("close", () => {
      it("refuses appends after close; closing twice is harmless", async () => {
        const stream = uniqueStream("closed");
        await store.append(stream, events(1), { expectedRevision: "no_stream" });
        await store.close();
        await expect(
          store.append(stream, events(1), { expectedRevision: "any" }),
        ).rejects.toBeInstanceOf(StoreStateError);
        await expect(store.close()).resolves.toBeUndefined();
      });
    });

    describe("property", () => {
      it("any sequence of appends agrees with a reference model of the append rules", async () => {
        const ids = Array.from({ length: 8 }, () => randomUUID());
        const operation = fc.record({
          stream: fc.integer({ min: 0, max: 2 }),
          idIndexes: fc.uniqueArray(fc.integer({ min: 0, max: ids.length - 1 }), {
            minLength: 1,
            maxLength: 3,
          }),
          expected: fc.oneof(
            fc.constantFrom<ExpectedRevision>("any", "no_stream", "stream_exists"),
            fc.integer({ min: 0, max: 6 }),
          ),
        });
        await fc.assert(
          fc.asyncProperty(
            fc.array(operation, { minLength: 1, maxLength: 12 }),
            async (operations) => {
              const streams = [
                uniqueStream("model-0"),
                uniqueStream("model-1"),
                uniqueStream("model-2"),
              ];
              const model = new ReferenceModel();
              for (const op of operations) {
                const stream = streams[op.stream] as string;
                const batch = op.idIndexes.map((i) => ({
                  id: ids[i] as string,
                  type: "T",
                  data: { i },
                  metadata: {},
                }));
                const predicted = model.append(stream, batch, op.expected);
                const outcome = await store
                  .append(stream, batch, { expectedRevision: op.expected })
                  .then(
                    (result) => ({ result }),
                    (error: Error) => ({ error: error.name }),
                  );
                if ("result" in outcome) {
                  expect(predicted).toEqual({
                    nextRevision: outcome.result.nextRevision,
                    written: outcome.result.written,
                  });
                  if (outcome.result.written) model.recordPosition(stream, outcome.result.position);
                  else
                    expect(outcome.result.position).toBe(
                      model.positionOf(stream, outcome.result.nextRevision),
                    );
                } else {
                  expect(predicted).toBe(outcome.error);
                }
              }
              for (const stream of streams) {
                const read = await collect(store.readStream(stream));
                expect(read.map((e) => e.id)).toEqual(model.idsOf(stream));
              }
            },
          ),
          { numRuns: 25 },
        );
      });
    });
  });
}

/** The append rules written out naively, as the test's oracle. */
interface ModelStream {
  readonly ids: string[];
  readonly batchEnds: number[];
  readonly positions: Map<number, number>;
}

class ReferenceModel {
  private readonly streams = new Map<string, ModelStream>();

  append(
    stream: string,
    batch: readonly NewEvent[],
    expected: ExpectedRevision,
  ): { nextRevision: number; written: boolean } | string {
    const state: ModelStream = this.streams.get(stream) ?? {
      ids: [],
      batchEnds: [],
      positions: new Map(),
    };
    const stored = batch.filter((event) => state.ids.includes(event.id));
    if (stored.length === batch.length) {
      const latest = Math.max(...stored.map((event) => state.ids.indexOf(event.id)));
      return {
        nextRevision: state.batchEnds.find((end) => end >= latest) as number,
        written: false,
      };
    }
    if (stored.length > 0) return "IdempotencyError";
    const revision = state.ids.length - 1;
    const ok =
      expected === "any" ||
      (expected === "no_stream" && revision === -1) ||
      (expected === "stream_exists" && revision >= 0) ||
      expected === revision;
    if (!ok) return "ConcurrencyError";
    state.ids.push(...batch.map((event) => event.id));
    state.batchEnds.push(state.ids.length - 1);
    this.streams.set(stream, state);
    return { nextRevision: state.ids.length - 1, written: true };
  }

  recordPosition(stream: string, position: number): void {
    const state = this.streams.get(stream);
    state?.positions.set(state.ids.length - 1, position);
  }

  positionOf(stream: string, revision: number): number | undefined {
    return this.streams.get(stream)?.positions.get(revision);
  }

  idsOf(stream: string): string[] {
    return this.streams.get(stream)?.ids ?? [];
  }
}

function uniqueStream(label: string): string {
  return `contract-${label}-${randomUUID().slice(0, 8)}`;
}

function event(): NewEvent {
  return {
    id: randomUUID(),
    type: "ContractEvent",
    data: { n: Math.random() },
    metadata: { by: "contract" },
  };
}

function events(count: number): NewEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    ...event(),
    data: { n: i, text: `event ${i}` },
  }));
}

function cyclic(): unknown {
  const value: { self?: unknown } = {};
  value.self = value;
  return value;
}

function withoutPosition({
  position: _position,
  ...rest
}: RecordedEvent): Omit<RecordedEvent, "position"> {
  return rest;
}

function isIncreasing(numbers: readonly number[]): boolean {
  return numbers.every((n, i) => i === 0 || n > (numbers[i - 1] as number));
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject, but it resolved");
}

/** The first `count` events the predicate accepts; subscribes at once. */
function collectMine(
  events: Observable<RecordedEvent>,
  mine: (event: RecordedEvent) => boolean,
  count: number,
): Promise<RecordedEvent[]> {
  return firstValueFrom(events.pipe(filter(mine), take(count), toArray(), timeout(10_000)));
}

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting for a condition");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
