import { randomUUID } from "node:crypto";
import { readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  type Bar,
  type Clock,
  epochDay,
  type NyseCalendar,
  parseIsoInstant,
  regularSessionClose,
  type TradingCalendar,
  toIsoUtc,
} from "@trader/core";
import { CSV_ADJ_CLOSE_COLUMN, formatCsvBars, parseCsvBars } from "../csv.js";
import type { MarketDataProvider } from "./port.js";

const CSV_SUFFIX = ".csv";
// A symbol becomes a file name, so it may not walk out of the directory.
const SAFE_SYMBOL = /^[A-Za-z0-9][A-Za-z0-9._^-]*$/;

export const DEFAULT_OVERLAP_SESSIONS = 5;
/** The cross-source tolerance of SPEC §8, applied to a session both the file and provider have. */
export const DEFAULT_MAX_PRICE_DIFF_PCT = 0.01;

export interface UpdateCsvDirectoryOptions {
  /** The symbols to update; each needs a `<SYMBOL>.csv` (see `startForNewFiles`). Default: every file. */
  readonly symbols?: readonly string[];
  /** The last session to add, YYYY-MM-DD: a session that has closed (see `lastClosedSession`). */
  readonly through: string;
  /** Which dates are sessions: a provider bar on another date is refused. */
  readonly calendar: TradingCalendar;
  /** Called before each symbol and once at the end: (symbols done, symbols in all, what now). */
  readonly onProgress?: (done: number, total: number, detail: string) => void;
  /**
   * With a clock, a `through` whose session has not closed yet is refused: its daily bar is still
   * moving, and appended rows are never rewritten. Closes come from the calendar when it is the
   * NYSE calendar (early closes), else 16:00 New York.
   */
  readonly clock?: Clock;
  /** First date to fetch for a symbol with no file (or a header-only one); without it, refused. */
  readonly startForNewFiles?: string;
  /**
   * How many sessions up to each file's last bar are fetched again and compared with the file,
   * so a provider on another adjustment basis (a split-adjusted series, another symbol) is caught
   * before anything is appended. Default 5; 0 compares nothing.
   */
  readonly overlapSessions?: number;
  /** An overlapping bar whose open, high, low or close differs by more than this contradicts. Default 1%. */
  readonly maxPriceDiffPct?: number;
}

export interface SymbolUpdate {
  readonly symbol: string;
  /** The file's last bar before the update, or null for a new or header-only file. */
  readonly previousLastDate: string | null;
  /** Bars appended (0: already up to date or nothing new from the provider). */
  readonly appended: number;
  /** The file's last bar after the update. */
  readonly lastDate: string | null;
  /** Sessions after the previous last bar, through `through`, that the provider had no bar for. */
  readonly missingSessions: readonly string[];
}

export interface CsvUpdateReport {
  readonly dir: string;
  readonly provider: string;
  readonly through: string;
  /** One entry per symbol, in name order. */
  readonly symbols: readonly SymbolUpdate[];
  /** Bars appended over all symbols. */
  readonly appended: number;
}

/** A provider bar that disagrees with a bar the file already has: history is never rewritten. */
export class BarConflictError extends Error {
  override readonly name = "BarConflictError";
  constructor(
    readonly symbol: string,
    readonly date: string,
    readonly field: "open" | "high" | "low" | "close",
    readonly inFile: number,
    readonly fromProvider: number,
    readonly provider: string,
    readonly maxPriceDiffPct: number,
  ) {
    const diffPct = Math.abs(fromProvider - inFile) / inFile;
    super(
      `${symbol}.csv ${date}: ${field} ${inFile} in the file, ${fromProvider} from ${provider} (${(diffPct * 100).toFixed(2)}% apart, limit ${(maxPriceDiffPct * 100).toFixed(2)}%); ` +
        "nothing appended. Existing rows are never rewritten: check the provider's adjustment (raw vs split-adjusted) and symbol, or rebuild the file",
    );
  }
}

/**
 * Appends to each `<SYMBOL>.csv` the sessions the provider has after the file's last bar, through
 * `through` (SPEC §18 `data update`). Idempotent: a file already at `through` asks the provider
 * nothing and changes nothing, so running it twice appends once. Existing rows are kept byte for
 * byte; the last `overlapSessions` are compared with the provider first and a contradiction
 * throws `BarConflictError` before that file is touched. Each file is replaced atomically (write
 * then rename), so a crash leaves the old file or the new one, never half a row.
 */
export async function updateCsvDirectory(
  dir: string,
  provider: MarketDataProvider,
  options: UpdateCsvDirectoryOptions,
): Promise<CsvUpdateReport> {
  const { through, calendar, onProgress } = options;
  checkDate("through", through);
  if (options.startForNewFiles !== undefined) {
    checkDate("startForNewFiles", options.startForNewFiles);
    if (options.startForNewFiles > through) {
      throw new RangeError(
        `data update: startForNewFiles ${options.startForNewFiles} is after through ${through}`,
      );
    }
  }
  const overlapSessions = options.overlapSessions ?? DEFAULT_OVERLAP_SESSIONS;
  if (!(Number.isInteger(overlapSessions) && overlapSessions >= 0)) {
    throw new RangeError(
      `data update: overlapSessions must be a whole number ≥ 0, got ${overlapSessions}`,
    );
  }
  const maxPriceDiffPct = options.maxPriceDiffPct ?? DEFAULT_MAX_PRICE_DIFF_PCT;
  if (!(maxPriceDiffPct >= 0 && maxPriceDiffPct < 1)) {
    throw new RangeError(
      `data update: maxPriceDiffPct must be a fraction in [0, 1), got ${maxPriceDiffPct}`,
    );
  }
  if (options.clock) requireClosed(through, calendar, options.clock);

  const symbols = await symbolsToUpdate(dir, options.symbols, options.startForNewFiles);
  const results: SymbolUpdate[] = [];
  for (const [index, symbol] of symbols.entries()) {
    onProgress?.(index, symbols.length, symbol);
    results.push(
      await updateSymbol(dir, symbol, provider, {
        through,
        calendar,
        overlapSessions,
        maxPriceDiffPct,
        startForNewFiles: options.startForNewFiles,
      }),
    );
  }
  const appended = results.reduce((sum, result) => sum + result.appended, 0);
  onProgress?.(symbols.length, symbols.length, `${appended} bars appended`);
  return { dir, provider: provider.name, through, symbols: results, appended };
}

/**
 * The latest session that has closed at `now` (epoch ms): today once the bell has rung, else
 * the session before. The default `through` of `data update`.
 */
export function lastClosedSession(calendar: NyseCalendar, now: number): string {
  const today = calendar.tradingDateOf(toIsoUtc(now));
  if (calendar.isSession(today) && parseIsoInstant(calendar.sessionClose(today)) <= now) {
    return today;
  }
  return calendar.previousSession(today);
}

function checkDate(name: string, date: string): void {
  try {
    epochDay(date);
  } catch (error) {
    throw new RangeError(`data update: ${name} ${(error as Error).message}`);
  }
}

function requireClosed(through: string, calendar: TradingCalendar, clock: Clock): void {
  if (!calendar.isSession(through)) return;
  const close =
    "sessionClose" in calendar
      ? (calendar as NyseCalendar).sessionClose(through)
      : regularSessionClose(through);
  const now = clock.now();
  if (parseIsoInstant(close) > now) {
    throw new RangeError(
      `data update: through ${through} has not closed yet (close ${close}, now ${toIsoUtc(now)}); its daily bar is not final, and appended rows are never rewritten. Use the previous session`,
    );
  }
}

async function symbolsToUpdate(
  dir: string,
  requested: readonly string[] | undefined,
  startForNewFiles: string | undefined,
): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      code === "ENOENT"
        ? `data update: market data directory ${dir} does not exist`
        : `data update: market data directory ${dir} cannot be read (${code ?? String(error)})`,
    );
  }
  const available = names
    .filter((name) => name.endsWith(CSV_SUFFIX) && name.length > CSV_SUFFIX.length)
    .map((name) => name.slice(0, -CSV_SUFFIX.length))
    .sort();
  if (requested === undefined) {
    if (available.length === 0) {
      throw new Error(
        `data update: ${dir} has no .csv files; name the symbols to start (with a start date)`,
      );
    }
    return available;
  }
  const symbols = [...new Set(requested)].sort();
  const unsafe = symbols.find((symbol) => typeof symbol !== "string" || !SAFE_SYMBOL.test(symbol));
  if (unsafe !== undefined) {
    throw new RangeError(
      `data update: symbol ${JSON.stringify(unsafe)} cannot be a file name: use letters, digits and . _ ^ - only`,
    );
  }
  const missing = symbols.filter((symbol) => !available.includes(symbol));
  if (missing.length > 0 && startForNewFiles === undefined) {
    throw new Error(
      `data update: no CSV file for ${missing.join(", ")} in ${dir} (available: ${available.join(", ") || "none"}); give a start date to create new files`,
    );
  }
  return symbols;
}

interface SymbolUpdateSettings {
  readonly through: string;
  readonly calendar: TradingCalendar;
  readonly overlapSessions: number;
  readonly maxPriceDiffPct: number;
  readonly startForNewFiles: string | undefined;
}

async function updateSymbol(
  dir: string,
  symbol: string,
  provider: MarketDataProvider,
  settings: SymbolUpdateSettings,
): Promise<SymbolUpdate> {
  const { through, calendar } = settings;
  const file = `${symbol}${CSV_SUFFIX}`;
  const path = join(dir, file);
  const existingText = await readIfExists(path);
  const existing = existingText === null ? [] : parseCsvBars(existingText, file);
  const previousLastDate = existing.at(-1)?.date ?? null;
  const unchanged = (missingSessions: readonly string[] = []): SymbolUpdate => ({
    symbol,
    previousLastDate,
    appended: 0,
    lastDate: previousLastDate,
    missingSessions,
  });
  if (previousLastDate !== null && previousLastDate >= through) return unchanged();

  let from: string;
  if (previousLastDate === null) {
    if (settings.startForNewFiles === undefined) {
      throw new Error(
        `data update: ${file} has no bars yet; give a start date to fill it from ${provider.name}`,
      );
    }
    from = settings.startForNewFiles;
  } else {
    from = sessionsBefore(calendar, previousLastDate, settings.overlapSessions);
  }
  if (existingText !== null && headerOf(existingText).includes(CSV_ADJ_CLOSE_COLUMN)) {
    throw new Error(
      `data update: ${file} has an ${CSV_ADJ_CLOSE_COLUMN} column, and ${provider.name} gives no adjusted close; appended rows would leave it partial`,
    );
  }

  const fetched = (await provider.dailyBars([symbol], from, through))[symbol] ?? [];
  for (const bar of fetched) {
    if (bar.date < from || bar.date > through) {
      throw new Error(
        `data update: ${provider.name} gave ${symbol} a bar dated ${bar.date}, outside the requested ${from} to ${through}`,
      );
    }
    if (!calendar.isSession(bar.date)) {
      throw new Error(
        `data update: ${provider.name} gave ${symbol} a bar dated ${bar.date}, which is not a session; nothing appended`,
      );
    }
  }
  checkOverlap(symbol, existing, fetched, provider.name, settings.maxPriceDiffPct);

  const added = fetched.filter((bar) => previousLastDate === null || bar.date > previousLastDate);
  const missingAfter =
    previousLastDate ?? (added[0] ? calendar.previousSession(added[0].date) : null);
  const missingSessions =
    missingAfter === null ? [] : sessionsWithout(calendar, missingAfter, through, added);
  if (added.length === 0) return unchanged(missingSessions);

  const text = appendedText(existingText, added, symbol);
  // The file must read back as the old rows plus the new ones, or nothing is written.
  const readBack = parseCsvBars(text, file);
  if (readBack.length !== existing.length + added.length) {
    throw new Error(
      `data update: ${file} would read back as ${readBack.length} bars, not ${existing.length + added.length}; nothing written`,
    );
  }
  await replaceFile(path, text);
  return {
    symbol,
    previousLastDate,
    appended: added.length,
    lastDate: (added.at(-1) as Bar).date,
    missingSessions,
  };
}

async function readIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new Error(
      `data update: ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
}

function headerOf(text: string): string {
  return text.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? "";
}

/** The session `count - 1` sessions before `date` (date itself when count is 1), or the next session for 0. */
function sessionsBefore(calendar: TradingCalendar, date: string, count: number): string {
  if (count === 0) return calendar.nextSession(date);
  let from = date;
  for (let step = 1; step < count; step++) from = calendar.previousSession(from);
  return from;
}

function checkOverlap(
  symbol: string,
  existing: readonly Bar[],
  fetched: readonly Bar[],
  provider: string,
  maxPriceDiffPct: number,
): void {
  const byDate = new Map(existing.map((bar) => [bar.date, bar]));
  for (const bar of fetched) {
    const held = byDate.get(bar.date);
    if (!held) continue;
    for (const field of ["open", "high", "low", "close"] as const) {
      const diffPct = Math.abs(bar[field] - held[field]) / held[field];
      // Floating-point slack so that "exactly at the limit" passes.
      if (diffPct > maxPriceDiffPct + 1e-12) {
        throw new BarConflictError(
          symbol,
          bar.date,
          field,
          held[field],
          bar[field],
          provider,
          maxPriceDiffPct,
        );
      }
    }
  }
}

/** Sessions after `after` through `through` that have no bar in `bars`. */
function sessionsWithout(
  calendar: TradingCalendar,
  after: string,
  through: string,
  bars: readonly Bar[],
): string[] {
  const have = new Set(bars.map((bar) => bar.date));
  const missing: string[] = [];
  for (let date = calendar.nextSession(after); date <= through; date = calendar.nextSession(date)) {
    if (!have.has(date)) missing.push(date);
  }
  return missing;
}

/** The old text unchanged, then the new rows, in the file's own line ending. */
function appendedText(existingText: string | null, added: readonly Bar[], symbol: string): string {
  const formatted = formatCsvBars(added, symbol).split("\n");
  const [header, ...rows] = formatted.filter((line) => line !== "");
  if (existingText === null || existingText.trim() === "") {
    return `${[header, ...rows].join("\n")}\n`;
  }
  const newline = existingText.includes("\r\n") ? "\r\n" : "\n";
  const base = /\r?\n$/.test(existingText) ? existingText : `${existingText}${newline}`;
  return `${base}${rows.join(newline)}${newline}`;
}

async function replaceFile(path: string, text: string): Promise<void> {
  const temporary = `${path}.${randomUUID()}.tmp`;
  try {
    await writeFile(temporary, text, "utf8");
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
