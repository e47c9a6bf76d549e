import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Broker } from "@trader/brokers";
import { type Clock, epochDay, type Mode, type PriceHistory } from "@trader/core";
import { CsvFormatError, loadCsvDirectory } from "@trader/data";
import {
  type BrokerWiring,
  brokerFor,
  ConfigError,
  type Engine,
  engineFrom,
  type LoadedConfig,
  ledgerAccount,
  loadConfig,
  loadHistory,
  type MarketSource,
  marketSourceFor,
} from "@trader/runtime";
import {
  type EventStore,
  type FileEventStore,
  openFileStore,
  type StreamReport,
} from "@trader/store";
import { openStoreFromConfig } from "@trader/store-esdb";
import { CliError, EXIT_CODES } from "./exit-codes.js";

export interface GlobalOptions {
  readonly config?: string;
  /** Look at (and run) the dry-run ledger: `<account>.dry-run`. */
  readonly dryRun?: boolean;
  readonly account?: string;
  readonly storeDir?: string;
  readonly json?: boolean;
}

/** The ledger the command reads or writes: the account's, or its dry-run ledger. */
export function ledgerOf(engine: Engine, options: GlobalOptions): string {
  return ledgerAccount(
    engine.config.account,
    options.dryRun || engine.config.dryRun ? "dry-run" : "paper",
  );
}

/** The embedded store's directory (the config's `store.dir`). */
export function storeDirOf(engine: Engine): string {
  const { store } = engine.config;
  if (store.kind !== "file")
    throw new CliError("the store is not the embedded file store", EXIT_CODES.usage);
  return store.dir;
}

/**
 * The mode a run or schedule really has: DRY_RUN (or --dry-run) makes any mode a dry run. Live
 * needs an explicit acknowledgement and a real broker.
 */
export function runMode(
  engine: Engine,
  options: GlobalOptions & { readonly mode: string; readonly liveAcknowledged?: boolean },
): Mode {
  const mode: Mode = options.dryRun || engine.config.dryRun ? "dry-run" : (options.mode as Mode);
  if (
    mode === "live" &&
    !(options.liveAcknowledged || process.env.TRADER_LIVE_ACKNOWLEDGED === "yes")
  ) {
    throw new CliError(
      "live mode trades real money: pass --i-understand-this-is-live or set TRADER_LIVE_ACKNOWLEDGED=yes",
      EXIT_CODES.usage,
    );
  }
  if (mode === "live" && engine.config.broker.kind !== "alpaca") {
    throw new CliError(
      'live mode needs a real broker: set broker.kind to "alpaca"',
      EXIT_CODES.usage,
    );
  }
  if (mode === "live" && engine.config.broker.kind === "alpaca" && engine.config.broker.paper) {
    throw new CliError(
      "live mode with broker.paper: true would trade Alpaca's paper account: set broker.paper to false",
      EXIT_CODES.usage,
    );
  }
  return mode;
}

/** The configured broker for a mode; missing credentials are a usage error naming the variable. */
export async function cliBroker(engine: Engine, wiring: BrokerWiring): Promise<Broker> {
  try {
    return await brokerFor(engine, wiring);
  } catch (error) {
    if (error instanceof RangeError && error.message.startsWith("Alpaca credentials")) {
      throw new CliError(error.message, EXIT_CODES.usage);
    }
    throw error;
  }
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
  if (store.kind === "file") {
    // A read-only open creates nothing: say so plainly instead of the store's own error.
    if (options.readOnly && !existsSync(store.dir)) {
      throw new CliError(
        `there is no event store at ${store.dir} yet: nothing has been recorded for it (run a cycle first, or pass --store-dir / --config)`,
        EXIT_CODES.usage,
      );
    }
    return openFileStore({ dir: store.dir, readOnly: options.readOnly, onTornTail: "refuse" });
  }
  return openStoreFromConfig(store);
}

/** One line per damaged stream file: where it is and what is wrong. */
export function describeDamage(stream: StreamReport): string {
  if (stream.status === "ok") return `${stream.file}: ok`;
  return stream.status === "torn"
    ? `${stream.file} line ${stream.line}: torn tail (${stream.tornBytes} bytes, ${stream.reason}); \`trader store repair\` removes it`
    : `${stream.file} line ${stream.line}: corrupt (${stream.rule}); restore the file from a backup`;
}

/**
 * Pre-flight "store integrity" (SPEC §12): the embedded store's files are checked in full before
 * a run may trade; a damaged file refuses the run (exit 3) before anything is appended.
 */
export async function requireIntactStore(store: EventStore): Promise<void> {
  const verify = (store as Partial<FileEventStore>).verify;
  if (typeof verify !== "function") return;
  const report = await verify.call(store);
  if (report.ok) return;
  const damaged = report.streams.filter((stream) => stream.status !== "ok");
  throw new CliError(
    [
      `pre-flight failed: the event store at ${report.dir} is damaged, so nothing was run (see \`trader store verify\`):`,
      ...damaged.map((stream) => `  ${describeDamage(stream)}`),
    ].join("\n"),
    EXIT_CODES.preflightFailed,
  );
}

/** A market-data loading problem (bad CSV, missing directory) as a usage error naming the file. */
function marketDataError(dir: string, error: unknown): CliError {
  if (error instanceof CsvFormatError) {
    const where = [
      error.line === null ? null : `line ${error.line}`,
      error.column === null ? null : `column ${error.column}`,
    ]
      .filter((part) => part !== null)
      .join(", ");
    return new CliError(
      `bad market data: ${join(dir, error.file)}${where ? ` ${where}` : ""}: ${error.rule}; nothing was done`,
      EXIT_CODES.usage,
    );
  }
  return new CliError(
    `market data: ${error instanceof Error ? error.message : String(error)}; nothing was done`,
    EXIT_CODES.usage,
  );
}

/** A CSV directory's bars; a bad file is an exit-2 error naming file, line and column. */
export async function loadCsvMarket(dir: string): Promise<PriceHistory> {
  try {
    return await loadCsvDirectory(dir);
  } catch (error) {
    throw marketDataError(dir, error);
  }
}

/** The configured market history through `to`; bad CSV data is an exit-2 error (see above). */
export async function loadMarket(engine: Engine, to: string): Promise<PriceHistory> {
  const { data } = engine.config;
  if (data.kind !== "csv") return loadHistory(engine, to, process.env);
  try {
    return await loadHistory(engine, to);
  } catch (error) {
    throw marketDataError(data.dir, error);
  }
}

/** The cycle's market source for the config's data (CSV, synthetic, Alpaca with quotes). */
export async function loadMarketSource(engine: Engine, to: string): Promise<MarketSource> {
  const { data } = engine.config;
  try {
    return await marketSourceFor(engine, to, { env: process.env, clock: systemClock });
  } catch (error) {
    if (data.kind === "csv") throw marketDataError(data.dir, error);
    throw new CliError(
      `market data: ${error instanceof Error ? error.message : String(error)}`,
      EXIT_CODES.usage,
    );
  }
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
  return checkDate(engine, "--date", value);
}

/** A YYYY-MM-DD flag value that exists and lies within the calendar's range, else exit 2. */
export function checkDate(engine: Engine, flag: string, value: string): string {
  try {
    epochDay(value);
  } catch {
    throw new CliError(`${flag} "${value}" is not a date: write YYYY-MM-DD`, EXIT_CODES.usage);
  }
  const { from, to } = engine.calendar.covers;
  if (value < from || value > to) {
    throw new CliError(
      `${flag} ${value} is outside the trading calendar (${from} to ${to})`,
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
