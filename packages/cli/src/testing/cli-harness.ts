/**
 * Test fixtures for the `trader` CLI: run `main` in-process with stdout and stderr captured, a
 * clock set to a session's decision instant, temporary store/data/config directories, and
 * hand-made CSV prices. Test-only (imports vitest); not part of the published build.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openPaperSimulator, simulatorStreamName } from "@trader/brokers";
import { nyseCalendar } from "@trader/core";
import { openFileStore } from "@trader/store";
import { vi } from "vitest";
import { main } from "../program.js";

export const calendar = nyseCalendar();

/** What one `trader …` invocation did: its exit code and everything it wrote. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Environment variables the CLI reads that must not leak in from the shell running the tests. */
const CLI_ENV = [
  "TRADER_CONFIG",
  "TRADER_ACCOUNT",
  "TRADER_STORE_DIR",
  "TRADER_LIVE_ACKNOWLEDGED",
  "DRY_RUN",
  "TRADING_DISABLED",
  "STRATEGY_DISABLED_LIST",
  "DRAWDOWN_HALT_THRESHOLD",
  "DRAWDOWN_PANIC_THRESHOLD",
  "HALT_COOLDOWN_DAYS",
  "MIN_HISTORY_DAYS",
  "ENABLE_BROKER_RECONCILIATION",
] as const;

/**
 * Runs `trader <args>` in-process through `main`, the real command over the real store, with
 * `env` laid over a clean environment for this call only.
 */
export async function trader(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<CliResult> {
  for (const name of CLI_ENV) vi.stubEnv(name, undefined);
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  let stdout = "";
  let stderr = "";
  const capture = (append: (text: string) => void) => (chunk: string | Uint8Array) => {
    append(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    return true;
  };
  const out = vi.spyOn(process.stdout, "write").mockImplementation(
    capture((text) => {
      stdout += text;
    }) as typeof process.stdout.write,
  );
  const err = vi.spyOn(process.stderr, "write").mockImplementation(
    capture((text) => {
      stderr += text;
    }) as typeof process.stderr.write,
  );
  try {
    const code = await main(["node", "trader", ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    vi.unstubAllEnvs();
  }
}

/** Runs `trader <args> --json`, expects exit 0 and parses stdout. */
export async function traderJson<T = Record<string, unknown>>(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<T> {
  const result = await trader(["--json", ...args], env);
  if (result.code !== 0) {
    throw new Error(
      `trader ${args.join(" ")} exited ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`,
    );
  }
  return JSON.parse(result.stdout) as T;
}

/**
 * Sets the wall clock (Date only; timers stay real) to the session's daily decision instant,
 * close − 10 min, as if the scheduler had started the run that day. Call `useRealClock` after.
 */
export function atDecisionTime(session: string): void {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(Date.parse(calendar.sessionClose(session)) - 10 * 60_000));
}

export function useRealClock(): void {
  vi.useRealTimers();
}

/** The sessions from `from` on, `count` of them. */
export function sessionsFrom(from: string, count: number): string[] {
  const first = calendar.isSession(from) ? from : calendar.nextSession(from);
  const dates = [first];
  while (dates.length < count) dates.push(calendar.nextSession(dates.at(-1) as string));
  return dates;
}

/** Temporary directories, all removed by `removeAll`. */
export function tempDirs(label: string) {
  const created: string[] = [];
  return {
    async make(): Promise<string> {
      const dir = await mkdtemp(join(tmpdir(), `trader-cli-${label}-`));
      created.push(dir);
      return dir;
    },
    async removeAll(): Promise<void> {
      await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
}

/** One daily bar for the CSV: the close is what the tests design; the rest is derived from it. */
export interface DesignedBar {
  readonly date: string;
  readonly close: number;
}

/**
 * A close for every session from `from` to `to`: `closeOn(date, previous close)` designs it
 * (previous is undefined on the first session); rounded to cents.
 */
export function designCloses(
  from: string,
  to: string,
  closeOn: (date: string, previous: number | undefined) => number,
): DesignedBar[] {
  const bars: DesignedBar[] = [];
  for (const { date } of calendar.sessions(from, to)) {
    const close = Math.round(closeOn(date, bars.at(-1)?.close) * 100) / 100;
    bars.push({ date, close });
  }
  return bars;
}

/** The CSV text of designed closes (open = high = low = close, a fixed volume). */
export function csvOf(bars: readonly DesignedBar[]): string {
  const rows = bars.map(({ date, close }) => `${date},${close},${close},${close},${close},1000000`);
  return `date,open,high,low,close,volume\n${rows.join("\n")}\n`;
}

/** Writes `<dir>/<SYMBOL>.csv` for each symbol (creating the directory). */
export async function writePrices(
  dir: string,
  prices: Readonly<Record<string, readonly DesignedBar[]>>,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [symbol, bars] of Object.entries(prices)) {
    await writeFile(join(dir, `${symbol}.csv`), csvOf(bars), "utf8");
  }
}

/** Writes a JSON config file and returns its path. */
export async function writeConfig(
  dir: string,
  config: unknown,
  name = "trader.json",
): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `${JSON.stringify(config, null, 2)}\n`, "utf8");
  return path;
}

/**
 * A config for small, fast paper runs of the SMA crossover on hand-made prices: the simulator
 * broker, the CSV directory, short windows so a few weeks of bars are enough history, and the
 * strategy allowed to hold 90% of one symbol (its default weight).
 */
export function smaPaperConfig(options: {
  readonly account: string;
  readonly storeDir: string;
  readonly dataDir: string;
  readonly fast?: number;
  readonly slow?: number;
  readonly symbol?: string;
  readonly initialCash?: number;
  readonly tradingBreaker?: Readonly<Record<string, number>>;
}): Record<string, unknown> {
  return {
    account: options.account,
    store: { kind: "file", dir: options.storeDir },
    broker: { kind: "simulator", initialCash: options.initialCash ?? 100_000 },
    data: { kind: "csv", dir: options.dataDir },
    strategies: [
      {
        name: "sma-crossover",
        params: {
          symbol: options.symbol ?? "QQQ",
          fast: options.fast ?? 2,
          slow: options.slow ?? 4,
          weight: 0.9,
        },
      },
    ],
    ...(options.tradingBreaker ? { tradingBreaker: options.tradingBreaker } : {}),
    pipeline: {
      dataQuality: { minHistoryBars: 10 },
      varLookbackDays: 20,
      returnLookbackDays: 20,
      volatilityDays: 5,
      risk: {
        limits: { varMinObservations: 5 },
        profiles: {
          "sma-crossover": {
            maxSymbolWeight: 1,
            maxStrategyWeight: 1,
            maxPortfolioWeight: 1,
            maxPortfolioHeat: 10,
            maxValueAtRisk: 1,
          },
        },
      },
    },
  };
}

/** An order as the simulated broker took it. */
export interface BrokerOrderSeen {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: "buy" | "sell";
  readonly quantity: number;
}

/** The orders the paper simulator accepted for the account: what reached the broker. */
export async function brokerOrders(storeDir: string, account: string): Promise<BrokerOrderSeen[]> {
  const store = await openFileStore({ dir: storeDir, readOnly: true });
  try {
    const orders: BrokerOrderSeen[] = [];
    for await (const event of store.readStream(simulatorStreamName(account))) {
      if (event.type !== "SimOrderAccepted") continue;
      const { clientOrderId, symbol, side, quantity } = event.data as unknown as BrokerOrderSeen;
      orders.push({ clientOrderId, symbol, side, quantity });
    }
    return orders;
  } finally {
    await store.close();
  }
}

/**
 * Someone trades at the broker behind the engine's back (through the simulator's own API, at
 * the current fake clock): the broker and the engine's projection now disagree.
 */
export async function tradeBehindTheEnginesBack(
  storeDir: string,
  account: string,
  order: {
    readonly symbol: string;
    readonly side: "buy" | "sell";
    readonly quantity: number;
    readonly price: number;
  },
): Promise<void> {
  const store = await openFileStore({ dir: storeDir });
  try {
    const simulator = await openPaperSimulator({
      store,
      account,
      clock: { now: () => Date.now() },
      initialCashCents: 0,
      marks: () => order.price,
    });
    await simulator.submitOrder({
      clientOrderId: `manual-${order.side}-${order.symbol}-${order.quantity}`,
      symbol: order.symbol,
      side: order.side,
      quantity: order.quantity,
      decisionPrice: order.price,
    });
  } finally {
    await store.close();
  }
}

/** The day's events as recorded (`trader export --date`). */
export async function exportedDay(
  config: string,
  date: string,
): Promise<{ type: string; data: Record<string, unknown> }[]> {
  const result = await trader(["-c", config, "export", "--date", date]);
  if (result.code !== 0) throw new Error(`export ${date} exited ${result.code}: ${result.stderr}`);
  return (
    JSON.parse(result.stdout) as { events: { type: string; data: Record<string, unknown> }[] }
  ).events;
}
