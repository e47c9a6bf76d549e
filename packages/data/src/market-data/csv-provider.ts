import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Bar } from "@trader/core";
import { parseCsvBars } from "../csv.js";
import {
  barsBetween,
  checkDailyBarsRequest,
  checkSymbols,
  type MarketDataProvider,
} from "./port.js";

// A symbol becomes a file name, so it may not walk out of the directory.
const SAFE_SYMBOL = /^[A-Za-z0-9][A-Za-z0-9._^-]*$/;

export interface CsvMarketDataOptions {
  /** The provider's name in quotes and errors; default "csv". */
  readonly name?: string;
}

/**
 * The CSV directory (one `<SYMBOL>.csv` per symbol, format: csv.ts) as a market-data provider.
 * Files are read on every call, so a `data update` in between is seen. A symbol without a file
 * is left out; a bad file throws `CsvFormatError`. It has no live quotes: `latestQuotes` is empty.
 */
export function createCsvMarketData(
  dir: string,
  options: CsvMarketDataOptions = {},
): MarketDataProvider {
  const name = options.name ?? "csv";
  return {
    name,
    async dailyBars(symbols, from, to) {
      const wanted = checkDailyBarsRequest(name, symbols, from, to);
      await requireDirectory(dir, name);
      const history: Record<string, readonly Bar[]> = {};
      for (const symbol of wanted) {
        const bars = await readSymbol(dir, symbol, name);
        const selected = bars === null ? [] : barsBetween(bars, from, to);
        if (selected.length > 0) history[symbol] = selected;
      }
      return history;
    },
    async latestQuotes(symbols) {
      checkSymbols(name, symbols);
      return [];
    },
  };
}

/** A missing directory is a mistake, not "no data": without this every symbol would be left out. */
async function requireDirectory(dir: string, provider: string): Promise<void> {
  try {
    if ((await stat(dir)).isDirectory()) return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      code === "ENOENT"
        ? `${provider}: market data directory ${dir} does not exist`
        : `${provider}: market data directory ${dir} cannot be read (${code ?? String(error)})`,
    );
  }
  throw new Error(`${provider}: market data directory ${dir} is not a directory`);
}

/** A symbol's bars, or null when it has no file. */
async function readSymbol(dir: string, symbol: string, provider: string): Promise<Bar[] | null> {
  if (!SAFE_SYMBOL.test(symbol)) {
    throw new RangeError(
      `${provider}: symbol "${symbol}" cannot be a file name: use letters, digits and . _ ^ - only`,
    );
  }
  const file = `${symbol}.csv`;
  let text: string;
  try {
    text = await readFile(join(dir, file), "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return null;
    throw new Error(`${provider}: ${join(dir, file)} cannot be read (${code ?? String(error)})`);
  }
  return parseCsvBars(text, file);
}
