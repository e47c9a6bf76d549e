/**
 * Selecting the store from config: `store: { kind: "file", dir } | { kind: "esdb", connectionString }`.
 * The runtime's config schema can embed `storeConfigSchema` once it exists.
 */
import { type EventStore, openFileStore } from "@trader/store";
import { z } from "zod";
import { CONNECTION_ENV } from "./errors.js";
import { assertReachable, createEsdbStore } from "./esdb-store.js";

export const storeConfigSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("file"), dir: z.string().min(1) }).strict(),
  z
    .object({
      kind: z.literal("esdb"),
      connectionString: z.string().regex(/^(kurrentdb|kdb|esdb|eventstore)(\+discover)?:\/\//, {
        message: "a KurrentDB connection string starts with kurrentdb:// (or esdb://)",
      }),
    })
    .strict(),
]);

export type StoreConfig = z.infer<typeof storeConfigSchema>;

export interface OpenStoreOptions {
  /** How long the esdb kind waits for the server at start; default 5 s. */
  readonly reachableTimeoutMs?: number;
}

/**
 * The store a config names, ready to use: the file store opened on its directory, or the
 * KurrentDB store once its server has answered (failing here, at start, with the host and a hint
 * when it does not). For `esdb`, an empty connection string falls back to `KURRENTDB_CONNECTION_STRING`.
 */
export async function openStoreFromConfig(
  config: unknown,
  options: OpenStoreOptions = {},
): Promise<EventStore> {
  const parsed = storeConfigSchema.safeParse(withEnvironment(config));
  if (!parsed.success) {
    throw new Error(`invalid store config: ${z.prettifyError(parsed.error)}`);
  }
  const store = parsed.data;
  if (store.kind === "file") return openFileStore({ dir: store.dir });
  const esdb = createEsdbStore({ connectionString: store.connectionString });
  try {
    await assertReachable(esdb, options.reachableTimeoutMs);
  } catch (error) {
    await esdb.close().catch(() => undefined);
    throw error;
  }
  return esdb;
}

function withEnvironment(config: unknown): unknown {
  if (typeof config !== "object" || config === null) return config;
  const { kind, connectionString } = config as { kind?: unknown; connectionString?: unknown };
  const fromEnv = process.env[CONNECTION_ENV];
  if (kind === "esdb" && (connectionString === undefined || connectionString === "") && fromEnv) {
    return { ...config, connectionString: fromEnv };
  }
  return config;
}
