import { formatCents, formatRunId, type Mode } from "@trader/core";
import {
  brokerFor,
  type CycleReport,
  historySource,
  lastIndexOnOrBefore,
  latestDay,
  readDay,
  runCycle,
  typedAccountStore,
} from "@trader/runtime";
import type { EventStore } from "@trader/store";
import {
  cliEngine,
  type GlobalOptions,
  loadMarket,
  requireIntactStore,
  resolveDate,
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

/**
 * The account's state is its day streams folded in date order, so a run may not go back in time:
 * a new run dated before the latest recorded day would be folded out of order (its fills lost
 * behind that day's snapshot, or a later operator action replayed over them). Retrying a
 * completed run is fine: it reports "already done" and writes nothing.
 */
async function requireForwardInTime(
  store: EventStore,
  account: string,
  tradingDate: string,
  runId: string,
): Promise<void> {
  const typed = typedAccountStore(store);
  const latest = await latestDay(typed, account);
  if (latest === null || tradingDate >= latest) return;
  const done = (await readDay(typed, account, tradingDate)).some(
    (event) => event.type === "RunCompleted" && event.data.runId === runId,
  );
  if (done) return;
  throw new CliError(
    `--date ${tradingDate} is before ${latest}, the latest day recorded for account "${account}": runs go forward in time, so nothing was run`,
    EXIT_CODES.usage,
  );
}

/** `trader run`: one cycle now, in any mode (SPEC §1, §10). */
export async function runCommand(options: RunOptions): Promise<number> {
  const output = createOutput(options.json ?? false);
  if (!(RUN_MODES as readonly string[]).includes(options.mode)) {
    throw new CliError(
      `--mode must be one of ${RUN_MODES.join(", ")} (backtests: trader backtest)`,
      EXIT_CODES.usage,
    );
  }
  const mode = options.mode as Mode;
  const engine = cliEngine(options);
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
  const tradingDate = resolveDate(engine, options.date);
  const history = await loadMarket(engine, tradingDate);
  const marks = (symbol: string) => {
    const bars = history[symbol];
    if (!bars) return undefined;
    return bars[lastIndexOnOrBefore(bars, tradingDate)]?.close;
  };
  const slot = options.slot ?? engine.config.execution.slot;
  if (!/^[A-Za-z0-9._-]+$/.test(slot)) {
    throw new CliError(
      `--slot "${slot}" must be letters, digits, ".", "_" or "-" (it is part of the run id)`,
      EXIT_CODES.usage,
    );
  }
  const account = engine.config.account;
  const report: CycleReport = await withStore(engine, false, async (store) => {
    await requireIntactStore(store);
    await requireForwardInTime(
      store,
      account,
      tradingDate,
      formatRunId({ mode, account, tradingDate, slot }),
    );
    const broker = await brokerFor(engine, {
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
        market: historySource(engine.config.data.kind, history),
        clock: systemClock,
        strategies: engine.strategies,
        settings: engine.settings,
        log: (line) => output.note(`${mode === "dry-run" ? "[DRY_RUN] " : ""}${line}`),
      },
      { mode, account, tradingDate, slot, endOfDay: true },
    );
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
        `  why: trader why --date ${tradingDate}${options.account ? ` --account ${options.account}` : ""}`,
      ].join("\n"),
  );
  return report.outcome === "preflight_failed" ? EXIT_CODES.preflightFailed : EXIT_CODES.ok;
}
