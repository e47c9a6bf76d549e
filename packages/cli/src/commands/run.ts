import { formatCents } from "@trader/core";
import {
  CycleAbortedError,
  type CycleReport,
  closesOn,
  freeDiskCheck,
  runCycle,
} from "@trader/runtime";
import {
  cliBroker,
  cliEngine,
  type GlobalOptions,
  ledgerOf,
  loadMarketSource,
  requireIntactStore,
  resolveDate,
  runMode,
  storeDirOf,
  systemClock,
  withStore,
} from "../context.js";
import { CliError, EXIT_CODES } from "../exit-codes.js";
import { createOutput } from "../output.js";

export interface RunOptions extends GlobalOptions {
  readonly mode: string;
  readonly date?: string;
  readonly slot?: string;
  readonly liveAcknowledged?: boolean;
}

const RUN_MODES = ["paper", "dry-run", "live"] as const;

/** `trader run`: one cycle now, in any mode (SPEC §1, §10). */
export async function runCommand(options: RunOptions): Promise<number> {
  const output = createOutput(options.json ?? false);
  if (!(RUN_MODES as readonly string[]).includes(options.mode)) {
    throw new CliError(
      `--mode must be one of ${RUN_MODES.join(", ")} (backtests: trader backtest)`,
      EXIT_CODES.usage,
    );
  }
  const engine = cliEngine(options);
  const mode = runMode(engine, options);
  const tradingDate = resolveDate(engine, options.date);
  const market = await loadMarketSource(engine, tradingDate);
  const universe = [...new Set(engine.strategies.flatMap((strategy) => strategy.universe))];
  const history = await market.history(universe, tradingDate);
  const marks = closesOn(history, tradingDate);
  const slot = options.slot ?? engine.config.execution.slot;
  if (!/^[A-Za-z0-9._-]+$/.test(slot)) {
    throw new CliError(
      `--slot "${slot}" must be letters, digits, ".", "_" or "-" (it is part of the run id)`,
      EXIT_CODES.usage,
    );
  }
  const account = ledgerOf(engine, { ...options, dryRun: mode === "dry-run" });
  const report: CycleReport = await withStore(engine, false, async (store) => {
    await requireIntactStore(store);
    const broker = await cliBroker(engine, {
      store,
      mode,
      clock: systemClock,
      env: process.env,
      marks,
      logger: { info: (line) => output.note(line), warn: (line) => output.note(line) },
    });
    return runCycle(
      {
        store,
        model: engine.model,
        calendar: engine.calendar,
        broker,
        market,
        clock: systemClock,
        strategies: engine.strategies,
        settings: engine.settings,
        log: (line) => output.note(`${mode === "dry-run" ? "[DRY_RUN] " : ""}${line}`),
        ...(engine.config.store.kind === "file"
          ? { preflight: async () => [await freeDiskCheck(storeDirOf(engine))] }
          : {}),
      },
      { mode, account, tradingDate, slot, endOfDay: true },
    ).catch((error: unknown) => {
      if (error instanceof CycleAbortedError) throw new CliError(error.message, EXIT_CODES.usage);
      throw error;
    });
  });
  const { state } = report;
  output.result(
    {
      runId: report.runId,
      status: report.status,
      outcome: report.outcome,
      ordersSubmitted: report.ordersSubmitted,
      fills: report.fills,
      resumed: report.resumed,
      governor: state.governor.status,
      cashCents: state.cashCents,
      positions: Object.values(state.positions),
    },
    () =>
      [
        `${report.runId}: ${report.status === "already_done" ? `already done (${report.outcome})` : report.outcome}${report.resumed ? " (resumed after an interrupted attempt)" : ""}`,
        `  orders submitted ${report.ordersSubmitted}, fills ${report.fills}`,
        `  governor ${state.governor.status}, cash ${formatCents(state.cashCents)}, positions ${
          Object.values(state.positions)
            .map((position) => `${position.symbol} ${position.quantity}`)
            .join(", ") || "none"
        }`,
        `  why: trader why --date ${tradingDate}${options.account ? ` --account ${options.account}` : ""}${mode === "dry-run" ? " --dry-run" : ""}`,
      ].join("\n"),
  );
  // A failed pre-flight or reconciliation: the run could not trade safely.
  const refusedToTrade =
    report.outcome === "preflight_failed" ||
    (report.status === "completed" && state.lastReconciliation?.status === "FAIL");
  return refusedToTrade ? EXIT_CODES.preflightFailed : EXIT_CODES.ok;
}
