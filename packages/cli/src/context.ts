import type { Clock } from "@trader/core";
import {
  ConfigError,
  type Engine,
  engineFrom,
  type LoadedConfig,
  loadConfig,
} from "@trader/runtime";
import { type EventStore, openFileStore } from "@trader/store";
import { openStoreFromConfig } from "@trader/store-esdb";
import { CliError, EXIT_CODES } from "./exit-codes.js";

export interface GlobalOptions {
  readonly config?: string;
  readonly account?: string;
  readonly storeDir?: string;
  readonly json?: boolean;
}

/** The wall clock: the CLI is the shell, so it may read it (and passes it into the core). */
export const systemClock: Clock = { now: () => Date.now() };

/** Loads the config (file + environment + the global flags); a bad config exits 2. */
export function loadCliConfig(options: GlobalOptions): LoadedConfig {
  const env = { ...process.env };
  if (options.account) env.TRADER_ACCOUNT = options.account;
  if (options.storeDir) env.TRADER_STORE_DIR = options.storeDir;
  try {
    return loadConfig({ ...(options.config ? { file: options.config } : {}), env });
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message, EXIT_CODES.usage);
    throw error;
  }
}

export function cliEngine(options: GlobalOptions): Engine {
  return engineFrom(loadCliConfig(options).config);
}

/**
 * Opens the configured store. Readers open the embedded store read-only, so `why`, `status` and
 * `replay` work while a runner holds the writer lock.
 */
export async function openStore(
  engine: Engine,
  options: { readonly readOnly: boolean },
): Promise<EventStore> {
  const { store } = engine.config;
  if (store.kind === "file")
    return openFileStore({ dir: store.dir, readOnly: options.readOnly, onTornTail: "refuse" });
  return openStoreFromConfig(store);
}

/** Today's trading date in New York (it may not be a session). */
export function today(engine: Engine): string {
  return engine.calendar.tradingDateOf(new Date(systemClock.now()).toISOString());
}

/** `--date`: a YYYY-MM-DD, `today`, or `last-session` (the latest session on or before today). */
export function resolveDate(engine: Engine, value: string | undefined): string {
  const now = today(engine);
  if (value === undefined || value === "today") return now;
  if (value === "last-session") {
    return engine.calendar.isSession(now) ? now : engine.calendar.previousSession(now);
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    throw new CliError(
      `--date "${value}" must be YYYY-MM-DD, "today" or "last-session"`,
      EXIT_CODES.usage,
    );
  }
  return value;
}

export async function withStore<T>(
  engine: Engine,
  readOnly: boolean,
  use: (store: EventStore) => Promise<T>,
): Promise<T> {
  const store = await openStore(engine, { readOnly });
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}
