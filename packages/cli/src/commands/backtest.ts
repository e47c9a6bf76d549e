import { syntheticMarket } from "@trader/data";
import {
  type BacktestSummary,
  numericSeed,
  renderBacktestSummary,
  runBacktest,
} from "@trader/runtime";
import { createMemoryStore } from "@trader/store";
import { strategyByName } from "@trader/strategies";
import {
  checkDate,
  cliEngine,
  type GlobalOptions,
  loadCsvMarket,
  resolveDate,
  withStore,
} from "../context.js";
import { CliError, EXIT_CODES } from "../exit-codes.js";
import { createOutput } from "../output.js";
import { progressReporter } from "../progress.js";

export interface BacktestOptions extends GlobalOptions {
  readonly strategy?: string;
  readonly data?: string;
  readonly synthetic?: boolean;
  readonly seed?: string;
  readonly from?: string;
  readonly to?: string;
  readonly initialCash?: string;
  readonly memory?: boolean;
}

/**
 * `trader backtest`: the same cycle over history (SPEC modes), one run per session at the
 * close, into the configured store (or memory with --memory), with a progress bar and a summary.
 */
export async function backtestCommand(options: BacktestOptions): Promise<number> {
  const output = createOutput(options.json ?? false);
  if (Boolean(options.data) === Boolean(options.synthetic)) {
    throw new CliError(
      "backtest needs exactly one of --data <csv dir> or --synthetic",
      EXIT_CODES.usage,
    );
  }
  const engine = cliEngine({ ...options, account: options.account ?? "backtest" });
  let strategies = engine.strategies;
  if (options.strategy) {
    try {
      strategies = [strategyByName(options.strategy)];
    } catch (error) {
      throw new CliError((error as Error).message, EXIT_CODES.usage);
    }
  }
  const to = resolveDate(engine, options.to ?? "last-session");
  const from = options.from ?? "2016-01-04";
  for (const [flag, value] of [
    ["--from", from],
    ["--to", to],
  ] as const) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value))
      throw new CliError(`${flag} "${value}" must be YYYY-MM-DD`, EXIT_CODES.usage);
    checkDate(engine, flag, value);
  }
  if (from >= to) throw new CliError(`--from ${from} must be before --to ${to}`, EXIT_CODES.usage);
  const initialCash = Number(options.initialCash ?? 100_000);
  if (!(Number.isFinite(initialCash) && initialCash > 0)) {
    throw new CliError(
      `--initial-cash "${options.initialCash}" must be a positive number of dollars`,
      EXIT_CODES.usage,
    );
  }
  // The synthetic market starts two years before --from, so the strategies have their history.
  const warmUpFrom = `${Number(from.slice(0, 4)) - 2}${from.slice(4)}`;
  const history = options.data
    ? await loadCsvMarket(options.data)
    : syntheticMarket({
        seed: numericSeed(
          options.seed ??
            (engine.config.data.kind === "synthetic" ? engine.config.data.seed : "trader"),
        ),
        from: engine.calendar.isSession(warmUpFrom)
          ? warmUpFrom
          : engine.calendar.nextSession(warmUpFrom),
        to: engine.calendar.isSession(to) ? to : engine.calendar.previousSession(to),
        calendar: engine.calendar,
      }).history;
  const progress = progressReporter("backtest", { quiet: output.json });
  const run = (store: Parameters<Parameters<typeof withStore>[2]>[0]) =>
    runBacktest({
      store,
      account: engine.config.account,
      strategies,
      model: engine.model,
      calendar: engine.calendar,
      settings: engine.settings,
      history,
      from,
      to,
      initialCashCents: Math.round(initialCash * 100),
      ...(engine.config.broker.kind === "simulator"
        ? {
            slippageBps: engine.config.broker.slippageBps,
            noiseBps: engine.config.broker.noiseBps,
            fillSeed: engine.config.broker.seed,
          }
        : {}),
      onProgress: (done, total, session) => progress.update(done, total, session),
    });
  let summary: BacktestSummary;
  try {
    summary = options.memory ? await run(createMemoryStore()) : await withStore(engine, false, run);
  } finally {
    progress.stop();
  }
  const { days, ...totals } = summary;
  output.result({ account: engine.config.account, ...totals, days: days.length }, () =>
    [
      renderBacktestSummary(summary),
      options.memory
        ? "  (in memory: nothing was stored)"
        : `  events in the store: trader replay --account ${engine.config.account} --date ${summary.to}`,
    ].join("\n"),
  );
  return EXIT_CODES.ok;
}
