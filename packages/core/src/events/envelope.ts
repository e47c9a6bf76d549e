import { z } from "zod";
import { type Clock, toIsoUtc } from "../ports/clock.js";
import type { IdGenerator } from "../ports/ids.js";

export const MODES = ["backtest", "dry-run", "paper", "live", "validate"] as const;
export const modeSchema = z.enum(MODES);
export type Mode = z.infer<typeof modeSchema>;

/** What every stored event carries besides its type and data. */
export const eventMetadataSchema = z.object({
  /** Unique per event; UUID-shaped so any store (including EventStoreDB) can use it as its id. */
  eventId: z.uuid(),
  /** ISO-8601 UTC from the injected clock, never from the wall clock inside the core. */
  occurredAt: z.iso.datetime(),
  /** `<mode>:<account>:<trading date>:<slot>` for a cycle run, or the id of the operation. */
  runId: z.string().min(1),
  mode: modeSchema,
  /** The version of the data schema the event was written with; upcasters lift old ones. */
  schemaVersion: z.number().int().positive(),
  /** The event (or command id) that directly caused this one. */
  causationId: z.string().min(1).nullable(),
  /** Groups every event of one logical operation (typically the run). */
  correlationId: z.string().min(1).nullable(),
});
export type EventMetadata = z.infer<typeof eventMetadataSchema>;

/** A domain event as deciders produce it: a type and its data, no metadata yet. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

/** A domain event with its metadata: what is appended to and read from a store. */
export interface EventEnvelope<Type extends string = string, Data = unknown>
  extends DomainEvent<Type, Data> {
  readonly metadata: EventMetadata;
}

/** Everything needed to stamp metadata on the events of one operation. */
export interface EventContext {
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly runId: string;
  readonly mode: Mode;
  readonly correlationId?: string;
  readonly causationId?: string;
}

/**
 * Turns decided domain events into envelopes. All events of one call share one `occurredAt`
 * (one clock reading: they were decided together) and the context's causation and correlation.
 * `schemaVersion` is the version the registry validates against; pass the registry's lookup.
 */
export function stamp<E extends DomainEvent>(
  events: readonly E[],
  context: EventContext,
  schemaVersionOf: (type: E["type"]) => number,
): EventEnvelope<E["type"], E["data"]>[] {
  const occurredAt = toIsoUtc(context.clock.now());
  return events.map((event) => ({
    type: event.type,
    data: event.data,
    metadata: {
      eventId: context.ids.next(),
      occurredAt,
      runId: context.runId,
      mode: context.mode,
      schemaVersion: schemaVersionOf(event.type),
      causationId: context.causationId ?? null,
      correlationId: context.correlationId ?? context.runId,
    },
  }));
}
