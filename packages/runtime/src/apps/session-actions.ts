import type { Broker } from "@trader/brokers";
import {
  type AccountStreamEvent,
  type Clock,
  formatRunId,
  type Mode,
  type ScheduleStepName,
  stepKey,
} from "@trader/core";
import type { EventStore, TypedEventStore } from "@trader/store";
import { typedAccountStore } from "../account/account-journal.js";
import { readDay } from "../audit/audit.js";
import type { MarketSource } from "../cycle/market-source.js";
import type { PreflightProbe } from "../cycle/preflight.js";
import { runCycle } from "../cycle/run-cycle.js";
import { runMonitorTick } from "../monitor/index.js";
import type { ScheduleActions } from "../schedule/index.js";
import { validateDay } from "../validation/index.js";
import type { Engine } from "../wiring/engine.js";

export interface SessionActionsOptions {
  readonly engine: Engine;
  readonly store: EventStore;
  readonly broker: Broker;
  /** The market source for a trading date (re-read per step: `data update` may have appended). */
  readonly market: (date: string) => Promise<MarketSource>;
  readonly clock: Clock;
  readonly mode: Mode;
  /** The ledger the runs write (`ledgerAccount(account, mode)`). */
  readonly account: string;
  readonly slot: string;
  readonly preflight?: PreflightProbe;
  /** Checks before the pre-flight step lets the day's trading go on; throw to stop it. */
  readonly preflightStep?: (date: string) => Promise<void>;
  readonly log: (line: string) => void;
}

/**
 * The schedule's steps for one mode (SPEC §12), on the same cycle as every other run: the
 * decision step records the decision (close − 10 min), the orders step resumes the same run id
 * and sends them (close − 5 min), validation re-decides the day on the official close
 * (close + 15 min). Every step is idempotent by its run id, so a one-shot retry does nothing
 * twice. A failing step throws, which stops the session's later trading steps.
 */
export function sessionActions(options: SessionActionsOptions): ScheduleActions {
  const { engine, store, broker, clock, mode, account, slot, log } = options;
  const cycle = async (date: string, stopAfterDecision: boolean) => {
    const report = await runCycle(
      {
        store,
        model: engine.model,
        calendar: engine.calendar,
        broker,
        market: await options.market(date),
        clock,
        strategies: engine.strategies,
        settings: engine.settings,
        log,
        ...(options.preflight ? { preflight: options.preflight } : {}),
      },
      { mode, account, tradingDate: date, slot, endOfDay: !stopAfterDecision, stopAfterDecision },
    );
    if (report.outcome === "preflight_failed") {
      throw new Error(
        `${report.runId}: pre-flight failed; no trade today (trader why --date ${date})`,
      );
    }
    return report;
  };
  return {
    ...(options.preflightStep ? { preflight: ({ date }) => options.preflightStep?.(date) } : {}),
    ...(monitorEnabled(engine)
      ? {
          monitor: async ({ date, at }: { date: string; at: string }) =>
            runMonitorTick(
              {
                store,
                model: engine.model,
                calendar: engine.calendar,
                broker,
                market: await options.market(date),
                clock,
                strategies: engine.strategies,
                settings: engine.settings,
                log,
                monitor: engine.config.monitor,
              },
              { mode, account, tradingDate: date, at },
            ),
        }
      : {}),
    decision: ({ date }) => cycle(date, true),
    orders: ({ date }) => cycle(date, false),
    validation: async ({ date }) => {
      // A session this account did not decide on (it started later) has nothing to validate.
      const decided = (await readDay(typedAccountStore(store), account, date)).some(
        (event) => event.type === "RunDecided",
      );
      if (!decided) return { status: "nothing_to_validate", date };
      const official = await options.market(date);
      return validateDay(
        typedAccountStore(store),
        engine.model,
        engine.strategies,
        engine.settings.pipeline,
        account,
        date,
        official,
        { clock },
      );
    },
  };
}

/** The monitor runs when it is on for the account or for any strategy profile (SPEC §17). */
function monitorEnabled(engine: Engine): boolean {
  const { monitor } = engine.config;
  return (
    monitor.enabled || Object.values(monitor.profiles).some((profile) => profile.enabled === true)
  );
}

/**
 * The schedule's steps already done on these dates, read from the day streams (so a one-shot
 * run after a restart does not repeat them): a recorded decision is the pre-flight and decision
 * steps; a completed run is the orders step; a validation report is the validation step.
 */
export async function completedSteps(
  store: TypedEventStore<AccountStreamEvent>,
  options: { readonly account: string; readonly mode: Mode; readonly slot: string },
  dates: readonly string[],
): Promise<Set<string>> {
  const done = new Set<string>();
  const mark = (date: string, ...steps: ScheduleStepName[]) => {
    for (const step of steps) done.add(stepKey(date, step));
  };
  for (const date of dates) {
    const runId = formatRunId({
      mode: options.mode,
      account: options.account,
      tradingDate: date,
      slot: options.slot,
    });
    for (const event of await readDay(store, options.account, date)) {
      const data = event.data as { runId?: string };
      if (event.type === "RunDecided" && data.runId === runId) mark(date, "preflight", "decision");
      if (event.type === "RunCompleted" && data.runId === runId)
        mark(date, "preflight", "decision", "orders");
      if (event.type === "ValidationReported") mark(date, "validation");
    }
  }
  return done;
}
