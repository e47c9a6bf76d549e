import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Bar, PriceHistory } from "@trader/core";
import { formatCsvBars, parseCsvBars } from "./csv.js";

const CSV_SUFFIX = ".csv";
// A symbol becomes a file name, so it may not walk out of the directory.
const SAFE_SYMBOL = /^[A-Za-z0-9][A-Za-z0-9._^-]*$/;

export interface LoadCsvDirectoryOptions {
  /** Load only these symbols; each must have a `<SYMBOL>.csv`. Default: every CSV file. */
  readonly symbols?: readonly string[];
}

async function csvSymbols(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      code === "ENOENT"
        ? `market data directory ${dir} does not exist`
        : `market data directory ${dir} cannot be read (${code ?? String(error)})`,
    );
  }
  return names
    .filter((name) => name.endsWith(CSV_SUFFIX) && name.length > CSV_SUFFIX.length)
    .map((name) => name.slice(0, -CSV_SUFFIX.length))
    .sort();
}

/**
 * Loads daily bars from a directory holding one `<SYMBOL>.csv` per symbol (format: csv.ts).
 * Symbols come back in sorted order. Throws `CsvFormatError` for a bad file (naming file, line,
 * column and rule) and an Error for a missing directory, an empty one, or a requested symbol
 * that has no file (listing the files there are).
 */
export async function loadCsvDirectory(
  dir: string,
  options: LoadCsvDirectoryOptions = {},
): Promise<PriceHistory> {
  const available = await csvSymbols(dir);
  if (available.length === 0) throw new Error(`market data directory ${dir} has no .csv files`);
  let symbols = available;
  if (options.symbols !== undefined) {
    const unknown = options.symbols.filter((symbol) => !available.includes(symbol));
    if (unknown.length > 0) {
      throw new Error(
        `no CSV file for ${unknown.join(", ")} in ${dir}; available: ${available.join(", ")}`,
      );
    }
    symbols = [...new Set(options.symbols)].sort();
  }
  const history: Record<string, readonly Bar[]> = {};
  for (const symbol of symbols) {
    const file = `${symbol}${CSV_SUFFIX}`;
    history[symbol] = parseCsvBars(await readFile(join(dir, file), "utf8"), file);
  }
  return history;
}

/**
 * Writes each symbol's bars to `<dir>/<SYMBOL>.csv` (creating the directory), in the format
 * `loadCsvDirectory` reads back to the same bars. Overwrites existing files of those symbols.
 */
export async function writeCsv(dir: string, history: PriceHistory): Promise<void> {
  const files = Object.entries(history).map(([symbol, bars]) => {
    if (!SAFE_SYMBOL.test(symbol)) {
      throw new RangeError(
        `symbol "${symbol}" cannot be a file name: use letters, digits and . _ ^ - only`,
      );
    }
    return { file: join(dir, `${symbol}${CSV_SUFFIX}`), text: formatCsvBars(bars, symbol) };
  });
  await mkdir(dir, { recursive: true });
  for (const { file, text } of files) await writeFile(file, text, "utf8");
}
