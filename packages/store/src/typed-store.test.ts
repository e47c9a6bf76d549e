import { createEventRegistry, EventSchemaError, RUN_EVENTS, uuidFromName } from "@trader/core";
import { fixedClock, seededIds } from "@trader/core/testing";
import { firstValueFrom, take, toArray } from "rxjs";
import { describe, expect, it } from "vitest";
import { createMemoryStore } from "./memory-store.js";
import { collect, rejectionOf } from "./testing/events.js";
import { createTypedStore } from "./typed-store.js";

const registry = createEventRegistry(RUN_EVENTS);
const runId = "paper:acct-1:2026-01-02:close";
const context = {
  clock: fixedClock("2026-01-02T20:50:00.000Z"),
  ids: seededIds("typed"),
  runId,
  mode: "paper" as const,
};
const started = {
  type: "RunStarted" as const,
  data: {
    runId,
    mode: "paper" as const,
    account: "acct-1",
    tradingDate: "2026-01-02",
    slot: "close",
  },
};
const completed = {
  type: "RunCompleted" as const,
  data: { runId, outcome: "traded" as const, ordersSubmitted: 2 },
};

describe("typed store", () => {
  it("appends validated envelopes under their eventId and reads them back decoded", async () => {
    const store = createTypedStore(createMemoryStore(), registry);
    const envelopes = registry.stamp([started, completed], context);
    const result = await store.append("day", envelopes, { expectedRevision: "no_stream" });
    expect(result).toMatchObject({ nextRevision: 1, written: true });

    const read = await collect(store.readStream("day"));
    expect(read).toEqual(
      envelopes.map((envelope, revision) => ({
        ...envelope,
        stream: "day",
        revision,
        position: revision,
      })),
    );
    const raw = await collect(store.store.readStream("day"));
    expect(raw.map((event) => event.id)).toEqual(
      envelopes.map((envelope) => envelope.metadata.eventId),
    );

    expect(await store.append("day", envelopes, { expectedRevision: "no_stream" })).toEqual({
      ...result,
      written: false,
    });
    expect(await collect(store.readAll())).toHaveLength(2);
  });

  it("refuses a batch with an invalid event before writing any of it, naming the type and the field", async () => {
    const store = createTypedStore(createMemoryStore(), registry);
    const [valid, invalid] = registry.stamp([started, completed], context);
    const batch = [
      valid,
      { ...invalid, data: { ...completed.data, ordersSubmitted: -1 } },
    ] as Parameters<typeof store.append>[1];
    const error = await rejectionOf(store.append("day", batch, { expectedRevision: "any" }));
    expect(error).toBeInstanceOf(EventSchemaError);
    expect(error).toMatchObject({ eventType: "RunCompleted" });
    expect((error as Error).message).toContain("ordersSubmitted");
    expect((error as Error).message).toContain('stream "day", event 1');
    expect(await store.streamRevision("day")).toBe("no_stream");
  });

  it("upcasts events stored at an older schema version", async () => {
    const inner = createMemoryStore();
    const eventId = uuidFromName("v1-run-started");
    await inner.append(
      "day",
      [
        {
          id: eventId,
          type: "RunStarted",
          data: { runId, mode: "paper" },
          metadata: {
            eventId,
            occurredAt: "2026-01-02T20:50:00.000Z",
            runId,
            mode: "paper",
            schemaVersion: 1,
            causationId: null,
            correlationId: runId,
          },
        },
      ],
      { expectedRevision: "no_stream" },
    );
    const [event] = await collect(createTypedStore(inner, registry).readStream("day"));
    expect(event).toMatchObject({
      type: "RunStarted",
      data: started.data,
      metadata: { schemaVersion: 2 },
      revision: 0,
    });
  });

  it("fails a read of an event the registry does not know, naming where it is stored", async () => {
    const inner = createMemoryStore();
    const id = uuidFromName("stranger");
    await inner.append("day", [{ id, type: "Stranger", data: {}, metadata: {} }], {
      expectedRevision: "no_stream",
    });
    const error = await rejectionOf(collect(createTypedStore(inner, registry).readStream("day")));
    expect(error).toBeInstanceOf(EventSchemaError);
    expect((error as Error).message).toMatch(
      /stored in stream "day" at revision 0.*unknown event type/,
    );
  });

  it("decodes subscriptions", async () => {
    const store = createTypedStore(createMemoryStore(), registry);
    const received = firstValueFrom(store.subscribe().pipe(take(2), toArray()));
    await store.append("day", registry.stamp([started, completed], context), {
      expectedRevision: "no_stream",
    });
    expect((await received).map((event) => [event.type, event.metadata.schemaVersion])).toEqual([
      ["RunStarted", 2],
      ["RunCompleted", 1],
    ]);
    await store.close();
  });
});
