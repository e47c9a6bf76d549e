import type { z } from "zod";
import {
  type DomainEvent,
  type EventContext,
  type EventEnvelope,
  type EventMetadata,
  eventMetadataSchema,
  stamp,
} from "./envelope.js";

/** Lifts the data of one schema version to the next. `schema` validates the old shape first. */
export interface Upcaster {
  readonly schema: z.ZodType;
  readonly up: (data: never) => unknown;
}

/** One event type: its name, its current schema version and data schema, and how to lift old versions. */
export interface EventDefinition<
  Type extends string = string,
  Schema extends z.ZodType = z.ZodType,
> {
  readonly type: Type;
  readonly version: number;
  readonly schema: Schema;
  /** `upcasters[v]` lifts version v to v + 1; one for every version below `version`. */
  readonly upcasters: Readonly<Record<number, Upcaster>>;
}

export function defineEvent<const Type extends string, Schema extends z.ZodType>(definition: {
  type: Type;
  schema: Schema;
  version?: number;
  upcasters?: Record<number, Upcaster>;
}): EventDefinition<Type, Schema> {
  const version = definition.version ?? 1;
  const upcasters = definition.upcasters ?? {};
  if (!Number.isInteger(version) || version < 1) {
    throw new RangeError(
      `defineEvent(${definition.type}): version must be an integer ≥ 1, got ${version}`,
    );
  }
  for (let from = 1; from < version; from++) {
    if (!upcasters[from]) {
      throw new RangeError(
        `defineEvent(${definition.type}): version ${version} needs an upcaster from version ${from} to ${from + 1}`,
      );
    }
  }
  return { type: definition.type, version, schema: definition.schema, upcasters };
}

/** Helper to declare an upcaster whose input type is inferred from its schema. */
export function upcaster<Schema extends z.ZodType, Out>(
  schema: Schema,
  up: (data: z.infer<Schema>) => Out,
): Upcaster {
  return { schema, up: up as (data: never) => unknown };
}

/** The union of domain events a list of definitions describes. */
export type EventOf<Definitions extends readonly EventDefinition[]> = {
  [K in keyof Definitions]: Definitions[K] extends EventDefinition<infer T, infer S>
    ? DomainEvent<T, z.infer<S>>
    : never;
}[number];

/** An event as stored: type, data and metadata as plain JSON, not yet validated or upcast. */
export interface StoredEventShape {
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
}

/** A stored event that does not match its schema, or names a type or version nobody defined. */
export class EventSchemaError extends Error {
  override readonly name = "EventSchemaError";
  constructor(
    readonly eventType: string,
    readonly rule: string,
    readonly issues: readonly string[] = [],
  ) {
    super(`event ${eventType}: ${rule}${issues.length ? `\n  - ${issues.join("\n  - ")}` : ""}`);
  }
}

function describeIssues(error: z.ZodError): string[] {
  return error.issues.map(
    (issue) => `${issue.path.length ? issue.path.join(".") : "(root)"}: ${issue.message}`,
  );
}

export interface EventRegistry<E extends DomainEvent> {
  readonly types: readonly E["type"][];
  has(type: string): type is E["type"];
  /** The current schema version of a type. */
  versionOf(type: E["type"]): number;
  /** Validates an envelope against the current schema (before append). Throws EventSchemaError. */
  encode<T extends E>(
    event: EventEnvelope<T["type"], T["data"]>,
  ): EventEnvelope<T["type"], T["data"]>;
  /** Upcasts a stored event to the current version and validates it (after read). Throws EventSchemaError. */
  decode(stored: StoredEventShape): EventEnvelope<E["type"], E["data"]> & E;
  /** Stamps metadata on decided events and validates them: ready to append. */
  stamp(events: readonly E[], context: EventContext): (EventEnvelope<E["type"], E["data"]> & E)[];
}

/**
 * Validates on append and decodes on read. Each type's data is checked with its zod schema;
 * a stored event of an older version is lifted by its upcasters, one version at a time.
 */
export function createEventRegistry<const Definitions extends readonly EventDefinition[]>(
  definitions: Definitions,
): EventRegistry<EventOf<Definitions>> {
  type E = EventOf<Definitions>;
  const byType = new Map<string, EventDefinition>();
  for (const definition of definitions) {
    if (byType.has(definition.type)) {
      throw new RangeError(`createEventRegistry: event type ${definition.type} is defined twice`);
    }
    byType.set(definition.type, definition);
  }

  const definitionOf = (type: string): EventDefinition => {
    const definition = byType.get(type);
    if (!definition) {
      throw new EventSchemaError(
        type,
        `unknown event type (known: ${[...byType.keys()].join(", ")})`,
      );
    }
    return definition;
  };

  const parseMetadata = (type: string, metadata: unknown): EventMetadata => {
    const parsed = eventMetadataSchema.safeParse(metadata);
    if (!parsed.success) {
      throw new EventSchemaError(
        type,
        "metadata does not match the envelope schema",
        describeIssues(parsed.error),
      );
    }
    return parsed.data;
  };

  const parseData = (
    definition: EventDefinition,
    data: unknown,
    version: number,
    schema: z.ZodType,
  ) => {
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      throw new EventSchemaError(
        definition.type,
        `data does not match schema version ${version}`,
        describeIssues(parsed.error),
      );
    }
    return parsed.data;
  };

  const registry: EventRegistry<E> = {
    types: [...byType.keys()] as E["type"][],
    has: (type): type is E["type"] => byType.has(type),
    versionOf: (type) => definitionOf(type).version,
    encode(event) {
      const definition = definitionOf(event.type);
      const metadata = parseMetadata(event.type, event.metadata);
      if (metadata.schemaVersion !== definition.version) {
        throw new EventSchemaError(
          event.type,
          `new events must be written at the current schema version ${definition.version}, not ${metadata.schemaVersion}`,
        );
      }
      const data = parseData(definition, event.data, definition.version, definition.schema);
      return { type: event.type, data, metadata };
    },
    decode(stored) {
      const definition = definitionOf(stored.type);
      const metadata = parseMetadata(stored.type, stored.metadata);
      const writtenAt = metadata.schemaVersion;
      if (writtenAt > definition.version) {
        throw new EventSchemaError(
          stored.type,
          `stored at schema version ${writtenAt}, newer than this code knows (${definition.version}): upgrade before reading`,
        );
      }
      let data = stored.data;
      for (let version = writtenAt; version < definition.version; version++) {
        const step = definition.upcasters[version] as Upcaster;
        data = step.up(parseData(definition, data, version, step.schema) as never);
      }
      data = parseData(definition, data, definition.version, definition.schema);
      return {
        type: stored.type,
        data,
        metadata: { ...metadata, schemaVersion: definition.version },
      } as EventEnvelope<E["type"], E["data"]> & E;
    },
    stamp(events, context) {
      return stamp(events, context, (type) => definitionOf(type).version).map(
        (event) => registry.encode(event) as EventEnvelope<E["type"], E["data"]> & E,
      );
    },
  };
  return registry;
}
