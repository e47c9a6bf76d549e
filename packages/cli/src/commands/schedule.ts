import { type Clock, fixedClock, parseIsoInstant } from "@trader/core";
import {
  closesOn,
  completedSteps,
  createScheduler,
  freeDiskCheck,
  healthCheck,
  runCycle,
  runDueSteps,
  type ScheduledRun,
  sessionActions,
  typedAccountStore,
} from "@trader/runtime";
import type { EventStore, FileEventStore } from "@trader/store";
import {
  cliBroker,
  cliEngine,
  type GlobalOptions,
  ledgerOf,
  loadMarketSource,
  requireIntactStore,
  runMode,
  storeDirOf,
  systemClock,
  withStore,
} from "../context.js";
import { CliError, EXIT_CODES } from "../exit-codes.js";
import { createOutput } from "../output.js";

export interface ScheduleOptions extends GlobalOptions {
  readonly mode: string;
  readonly once?: boolean;
  /** One-shot at this instant instead of now (a catch-up, or a test). */
  readonly at?: string;
  readonly liveAcknowledged?: boolean;
}

function clockOf(options: ScheduleOptions): Clock {
  if (!options.at) return systemClock;
  if (!options.once) throw new CliError("--at only works with --once", EXIT_CODES.usage);
  try {
    return fixedClock(parseIsoInstant(options.at));
  } catch (error) {
    throw new CliError(`--at: ${(error as Error).message}`, EXIT_CODES.usage);
  }
}

const describeRun = (run: ScheduledRun) =>
  `${run.at}  ${run.date} ${run.step.padEnd(10)} ${run.status}${run.detail ? `: ${run.detail}` : ""}`;

/**
 * `trader schedule [--once]` (SPEC §12): the day's steps relative to each NYSE close. Long-running
 * by default (an rxjs timer stream on the wall clock; Ctrl-C stops it after the running step);
 * `--once` does what is due now, idempotently, and exits (for cron). A non-session day records
 * "market closed" and exits 0.
 */
export async function scheduleCommand(options: ScheduleOptions): Promise<number> {
  const output = createOutput(options.json ?? false);
  const engine = cliEngine(options);
  const mode = runMode(engine, options);
  const clock = clockOf(options);
  const account = ledgerOf(engine, { ...options, dryRun: mode === "dry-run" });
  const slot = engine.config.execution.slot;
  return withStore(engine, false, async (store) => {
    await requireIntactStore(store);
    const today = engine.calendar.tradingDateOf(new Date(clock.now()).toISOString());
    const market = (date: string) => loadMarketSource(engine, date);
    const history = await (await market(today)).history(
      [...new Set(engine.strategies.flatMap((strategy) => strategy.universe))],
      today,
    );
    const marks = closesOn(history, today);
    const broker = await cliBroker(engine, {
      store,
      mode,
      clock,
      env: process.env,
      marks,
      logger: { info: output.note, warn: output.note },
    });
    const fileStore = engine.config.store.kind === "file" ? (store as FileEventStore) : null;
    const actions = sessionActions({
      engine,
      store,
      broker,
      market,
      clock,
      mode,
      account,
      slot,
      log: (line) => output.note(`${mode === "dry-run" ? "[DRY_RUN] " : ""}${line}`),
      ...(fileStore ? { preflight: async () => [await freeDiskCheck(fileStore.dir)] } : {}),
      preflightStep: async () => {
        await requireIntactStore(store);
        await broker.account();
      },
    });
    const typed = typedAccountStore(store);
    const recentDays = engine.calendar.isSession(today)
      ? [engine.calendar.previousSession(today), today]
      : [engine.calendar.previousSession(today)];
    const done = await completedSteps(typed, { account, mode, slot }, recentDays);

    if (options.once) {
      const report = await runDueSteps({ clock, calendar: engine.calendar, actions, done });
      if (report.marketClosed !== null) {
        // Recorded, so `why` can say the market was closed (an idempotent run id).
        await runCycle(
          {
            store,
            model: engine.model,
            calendar: engine.calendar,
            broker,
            market: await market(today),
            clock,
            strategies: engine.strategies,
            settings: engine.settings,
          },
          { mode, account, tradingDate: today, slot },
        ).catch(() => undefined);
      }
      output.result(report, () =>
        [
          report.marketClosed !== null
            ? `${report.date}: market closed (${report.marketClosed}); recorded`
            : `${report.at}: ${report.runs.length === 0 ? "nothing due" : `${report.runs.length} step(s)`}`,
          ...report.runs.map(describeRun),
        ].join("\n"),
      );
      const failed = report.runs.some((run) => run.status === "failed");
      return failed ? EXIT_CODES.preflightFailed : EXIT_CODES.ok;
    }

    const scheduler = createScheduler({
      clock,
      calendar: engine.calendar,
      actions: {
        ...actions,
        ...(fileStore
          ? {
              health: async () => {
                const health = await healthCheck({
                  broker,
                  store: fileStore,
                  storeDir: storeDirOf(engine),
                  clock,
                  calendar: engine.calendar,
                });
                if (!health.ok) {
                  output.note(
                    `CRITICAL health check failed: ${health.checks
                      .filter((check) => !check.ok)
                      .map((check) => `${check.name}: ${check.detail}`)
                      .join("; ")}`,
                  );
                }
                return health;
              },
            }
          : {}),
      },
      done,
    });
    output.note(`trader schedule: ${mode} for ${account}; Ctrl-C stops after the running step`);
    await new Promise<void>((resolve, reject) => {
      const subscription = scheduler.events$.subscribe({
        next: (run) => output.note(describeRun(run)),
        error: reject,
        complete: resolve,
      });
      const stop = () => {
        subscription.unsubscribe();
        void scheduler.stop().then(resolve, reject);
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    return EXIT_CODES.ok;
  });
}

/** `trader health`: broker connectivity, store integrity, free disk, schedule sanity, once (for cron). */
export async function healthCommand(
  options: GlobalOptions & { readonly mode?: string },
): Promise<number> {
  const output = createOutput(options.json ?? false);
  const engine = cliEngine(options);
  const mode = runMode(engine, { ...options, mode: options.mode ?? "paper" });
  const storeDir = storeDirOf(engine);
  const report = await withStore(engine, true, async (store: EventStore) => {
    const broker = await cliBroker(engine, {
      store,
      mode,
      clock: systemClock,
      env: process.env,
      marks: () => undefined,
    });
    return healthCheck({
      broker,
      store: store as FileEventStore,
      storeDir,
      clock: systemClock,
      calendar: engine.calendar,
    });
  });
  output.result(report, () =>
    [
      `health at ${report.at}: ${report.ok ? "OK" : "CRITICAL"}`,
      ...report.checks.map(
        (check) => `  ${check.ok ? "ok  " : "FAIL"} ${check.name}: ${check.detail}`,
      ),
    ].join("\n"),
  );
  return report.ok ? EXIT_CODES.ok : EXIT_CODES.preflightFailed;
}
