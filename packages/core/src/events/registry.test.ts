import { describe, expect, it } from "vitest";
import { z } from "zod";
import { fixedClock } from "../ports/clock.js";
import { seededIds } from "../ports/ids.js";
import type { EventContext } from "./envelope.js";
import { createEventRegistry, defineEvent, EventSchemaError, upcaster } from "./registry.js";
import { RUN_EVENTS, RunStarted } from "./run-events.js";

const context: EventContext = {
  clock: fixedClock("2026-11-20T20:50:00.000Z"),
  ids: seededIds("registry-test"),
  runId: "paper:acct-1:2026-11-20:close",
  mode: "paper",
};

const registry = createEventRegistry(RUN_EVENTS);

const startedData = {
  runId: "paper:acct-1:2026-11-20:close",
  mode: "paper",
  account: "acct-1",
  tradingDate: "2026-11-20",
  slot: "close",
} as const;

describe("event registry", () => {
  it("stamps metadata from the injected clock and ids, correlated by run", () => {
    const [event] = registry.stamp([{ type: "RunStarted", data: startedData }], context);
    expect(event?.metadata).toEqual({
      eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      occurredAt: "2026-11-20T20:50:00.000Z",
      runId: "paper:acct-1:2026-11-20:close",
      mode: "paper",
      schemaVersion: 2,
      causationId: null,
      correlationId: "paper:acct-1:2026-11-20:close",
    });
  });

  it("refuses to encode data that breaks the schema, naming the event type and the field", () => {
    const bad = {
      type: "RunCompleted",
      data: { runId: "x", outcome: "traded", ordersSubmitted: -1 },
    } as const;
    expect(() => registry.stamp([bad], context)).toThrow(EventSchemaError);
    expect(() => registry.stamp([bad], context)).toThrow(/RunCompleted.*\n.*ordersSubmitted/);
  });

  it("refuses an unknown event type and lists the known ones", () => {
    expect(() => registry.decode({ type: "Nope", data: {}, metadata: {} })).toThrow(
      /event Nope: unknown event type \(known: RunStarted, RunCompleted\)/,
    );
  });

  it("refuses metadata that is not an envelope", () => {
    expect(() =>
      registry.decode({ type: "RunCompleted", data: {}, metadata: { eventId: "x" } }),
    ).toThrow(/metadata does not match/);
  });

  it("upcasts a version-1 RunStarted by reading account, date and slot out of its run id", () => {
    const [current] = registry.stamp([{ type: "RunStarted", data: startedData }], context);
    const storedV1 = {
      type: "RunStarted",
      data: { runId: "paper:acct-1:2026-11-20:close", mode: "paper" },
      metadata: { ...current?.metadata, schemaVersion: 1 },
    };
    const decoded = registry.decode(storedV1);
    expect(decoded.data).toEqual(startedData);
    expect(decoded.metadata.schemaVersion).toBe(RunStarted.version);
  });

  it("refuses a version-1 event whose old shape is invalid, and one newer than the code", () => {
    const [current] = registry.stamp([{ type: "RunStarted", data: startedData }], context);
    expect(() =>
      registry.decode({
        type: "RunStarted",
        data: { mode: "paper" },
        metadata: { ...current?.metadata, schemaVersion: 1 },
      }),
    ).toThrow(/schema version 1\n.*runId/);
    expect(() =>
      registry.decode({
        type: "RunStarted",
        data: startedData,
        metadata: { ...current?.metadata, schemaVersion: 3 },
      }),
    ).toThrow(/newer than this code knows/);
  });

  it("decodes what it encoded to the same event", () => {
    const events = registry.stamp(
      [
        { type: "RunStarted", data: startedData },
        {
          type: "RunCompleted",
          data: { runId: startedData.runId, outcome: "no_trade", ordersSubmitted: 0 },
        },
      ],
      context,
    );
    const roundTripped = events.map((event) => registry.decode(JSON.parse(JSON.stringify(event))));
    expect(roundTripped).toEqual(events);
  });
});

describe("defineEvent", () => {
  it("requires an upcaster for every older version", () => {
    expect(() =>
      defineEvent({
        type: "X",
        version: 3,
        schema: z.object({}),
        upcasters: { 1: upcaster(z.object({}), (d) => d) },
      }),
    ).toThrow(/needs an upcaster from version 2 to 3/);
  });

  it("refuses a registry with a type defined twice", () => {
    const a = defineEvent({ type: "A", schema: z.object({}) });
    expect(() => createEventRegistry([a, a])).toThrow(/defined twice/);
  });
});
