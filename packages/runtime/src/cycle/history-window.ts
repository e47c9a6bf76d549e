import { createHash } from "node:crypto";
import type { Bar, PipelineConfig, PriceHistory, Strategy } from "@trader/core";

/**
 * How many daily bars per symbol a run decides from: enough for every strategy, the data-quality
 * gate and the risk lookbacks, plus one for today's return. Runs pass exactly this window to the
 * pipeline, so a replay can rebuild it from the recorded bars.
 */
export function decisionWindow(strategies: readonly Strategy[], config: PipelineConfig): number {
  return (
    Math.max(
      config.dataQuality.minHistoryBars,
      config.varLookbackDays,
      config.returnLookbackDays,
      config.volatilityDays,
      ...strategies.map((strategy) => strategy.historyBars),
    ) + 2
  );
}

/** The last `window` bars of each symbol dated on or before `through`. */
export function windowOf(history: PriceHistory, window: number): Record<string, Bar[]> {
  const result: Record<string, Bar[]> = {};
  for (const symbol of Object.keys(history).sort()) {
    result[symbol] = (history[symbol] ?? []).slice(-window);
  }
  return result;
}

/** Each bar's line in the digest, built once per bar object (a backtest reuses them every run). */
const barLines = new WeakMap<Bar, string>();

function barLine(symbol: string, bar: Bar): string {
  let line = barLines.get(bar);
  if (line === undefined) {
    line = `${symbol},${bar.date},${bar.open},${bar.high},${bar.low},${bar.close},${bar.volume},${bar.adjClose ?? ""}`;
    barLines.set(bar, line);
  }
  return line;
}

/**
 * SHA-256 over the window, symbol by symbol in name order: the proof a replay used the same bars.
 * (node:crypto here in the shell: every run hashes its whole window.)
 */
export function historyDigest(window: Readonly<Record<string, readonly Bar[]>>): string {
  const lines: string[] = [];
  for (const symbol of Object.keys(window).sort()) {
    for (const bar of window[symbol] ?? []) lines.push(barLine(symbol, bar));
  }
  return createHash("sha256").update(lines.join("\n")).digest("hex");
}

/** The bars of the window newer than the last recorded bar of each symbol: what a run records. */
export function newBarsOf(
  window: Readonly<Record<string, readonly Bar[]>>,
  lastRecorded: Readonly<Record<string, string>>,
): Record<string, Bar[]> {
  const result: Record<string, Bar[]> = {};
  for (const [symbol, bars] of Object.entries(window)) {
    const after = lastRecorded[symbol];
    const fresh = after === undefined ? [...bars] : bars.filter((bar) => bar.date > after);
    if (fresh.length > 0) result[symbol] = fresh;
  }
  return result;
}
