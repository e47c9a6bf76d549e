import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEventRegistry, RUN_EVENTS } from "@trader/core";
import { type Benchmark, bestOf, perSecond } from "../../../scripts/bench-kit.js";
import { createTypedStore, type NewEvent, openFileStore } from "../src/index.js";

const registry = createEventRegistry(RUN_EVENTS);
const runId = "paper:acct-1:2026-01-02:close";

/** A RunStarted or RunCompleted envelope as the engine writes it: about 300 bytes of JSON. */
function runEvent(i: number): NewEvent {
  const eventId = randomUUID();
  const started = i % 2 === 0;
  return {
    id: eventId,
    type: started ? "RunStarted" : "RunCompleted",
    data: started
      ? { runId, mode: "paper", account: "acct-1", tradingDate: "2026-01-02", slot: "close" }
      : { runId, outcome: "traded", ordersSubmitted: i % 7 },
    metadata: {
      eventId,
      occurredAt: "2026-01-02T20:50:00.000Z",
      runId,
      mode: "paper",
      schemaVersion: started ? 2 : 1,
      causationId: null,
      correlationId: runId,
    },
  };
}

const eventBytes = (event: NewEvent) =>
  JSON.stringify({ id: event.id, type: event.type, data: event.data, metadata: event.metadata })
    .length;

async function withTempStore<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "trader-store-bench-"));
  try {
    return await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const APPEND_BATCH = 1_000;
const APPEND_BATCHES = 100;
const READ_EVENTS = 1_000_000;

const appendBenchmark: Benchmark = {
  name: "durable append (batches of 1,000, fsync per batch)",
  run: () =>
    withTempStore(async (dir) => {
      const store = await openFileStore({ dir });
      const batches = Array.from({ length: APPEND_BATCHES }, (_, b) =>
        Array.from({ length: APPEND_BATCH }, (_, i) => runEvent(b * APPEND_BATCH + i)),
      );
      let round = 0;
      const ms = await bestOf(3, async () => {
        const stream = `bench-append-${round++}`;
        for (const batch of batches) await store.append(stream, batch, { expectedRevision: "any" });
      });
      await store.close();
      const size = Math.round(eventBytes(batches[0]?.[0] as NewEvent));
      return {
        name: "durable append (batches of 1,000, fsync per batch)",
        value: perSecond(APPEND_BATCH * APPEND_BATCHES, ms),
        unit: "events/s",
        target: { value: 100_000, better: "higher" },
        note: `${APPEND_BATCHES} appends of ${APPEND_BATCH} events (~${size} bytes of JSON each) to a fresh stream, best of 3`,
      };
    }),
};

/** Writes a 1M-event stream once; both read benchmarks use it. */
let readFixture: Promise<{ dir: string; bytes: number }> | undefined;
function oneMillionEventStream(): Promise<{ dir: string; bytes: number }> {
  readFixture ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), "trader-store-bench-"));
    const store = await openFileStore({ dir });
    for (let start = 0; start < READ_EVENTS; start += 10_000) {
      const batch = Array.from({ length: 10_000 }, (_, i) => runEvent(start + i));
      await store.append("day", batch, { expectedRevision: "any" });
    }
    await store.close();
    const { bytes } = (await openFileStore({ dir, readOnly: true }).then(async (reader) => {
      const report = await reader.verify();
      await reader.close();
      return { bytes: report.streams[0]?.bytes ?? 0 };
    })) as { bytes: number };
    return { dir, bytes };
  })();
  return readFixture;
}

const readRawBenchmark: Benchmark = {
  name: "read + verify a 1M-event stream (untyped)",
  async run() {
    const { dir, bytes } = await oneMillionEventStream();
    const store = await openFileStore({ dir, readOnly: true });
    const ms = await bestOf(2, async () => {
      let count = 0;
      for await (const _event of store.readStream("day")) count++;
      if (count !== READ_EVENTS) throw new Error(`read ${count} events`);
    });
    await store.close();
    return {
      name: "read + verify a 1M-event stream (untyped)",
      value: perSecond(READ_EVENTS, ms),
      unit: "events/s",
      note: `checksums and hash chain, JSON.parse; ${Math.round(bytes / READ_EVENTS)} bytes per line; best of 2`,
    };
  },
};

const readTypedBenchmark: Benchmark = {
  name: "read + verify + decode + validate a 1M-event stream (typed)",
  async run() {
    const { dir } = await oneMillionEventStream();
    try {
      const store = createTypedStore(await openFileStore({ dir, readOnly: true }), registry);
      const ms = await bestOf(2, async () => {
        let count = 0;
        for await (const _event of store.readStream("day")) count++;
        if (count !== READ_EVENTS) throw new Error(`read ${count} events`);
      });
      await store.close();
      return {
        name: "read + verify + decode + validate a 1M-event stream (typed)",
        value: perSecond(READ_EVENTS, ms),
        unit: "events/s",
        target: { value: 300_000, better: "higher" },
        note: "through createTypedStore with the core's RUN_EVENTS registry (zod validation of data and metadata); best of 2",
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
      readFixture = undefined;
    }
  },
};

export default [appendBenchmark, readRawBenchmark, readTypedBenchmark] satisfies Benchmark[];
