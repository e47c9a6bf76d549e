/**
 * The scheduler (SPEC §12, §17): runs the day's steps, the intraday monitor and the health check
 * at instants computed from the calendar, never from the host's time zone. Two modes:
 * - long-running (`createScheduler`): an rxjs stream that sleeps on an injectable rxjs scheduler
 *   until the injected clock reaches each instant (tests drive a week in milliseconds with
 *   `virtualTime`);
 * - one-shot (`runDueSteps`, for cron or CI): does what is due now, once, in order, and returns.
 * Both run one thing at a time, in time order. The rules are in docs/schedule.md.
 */
import { type Clock, checkMonitorInterval, type ScheduleStepName, toIsoUtc } from "@trader/core";
import {
  asyncScheduler,
  concatMap,
  defer,
  EMPTY,
  expand,
  from,
  type Observable,
  of,
  type SchedulerLike,
  Subject,
  share,
  takeUntil,
  timer,
} from "rxjs";
import {
  type AgendaEntry,
  agenda,
  checkHealthInterval,
  type ScheduledActivity,
  type ScheduledRunRequest,
  type SchedulerCalendar,
} from "./agenda.js";

/** An action may answer anything (e.g. a cycle report); a throw marks the run failed. */
export type ScheduledAction = (run: ScheduledRunRequest) => unknown;

export interface ScheduleActions {
  readonly preflight?: ScheduledAction;
  readonly decision: ScheduledAction;
  readonly orders: ScheduledAction;
  readonly validation?: ScheduledAction;
  /** The intraday monitor (SPEC §17), every `monitorIntervalMinutes` from the open to the decision. */
  readonly monitor?: ScheduledAction;
  /** The health check, every `healthIntervalHours`; long-running mode only. */
  readonly health?: ScheduledAction;
}

export interface ScheduledRun extends ScheduledRunRequest {
  /**
   * `ok`: the action answered; `failed`: it threw; `skipped`: not called, because its window had
   * closed by its turn or an earlier trading step of its session failed (see `detail`).
   */
  readonly status: "ok" | "failed" | "skipped";
  /** The clock's reading when the run started (or was skipped), ISO-8601 UTC. */
  readonly startedAt: string;
  /** The action's answer, when ok. */
  readonly result?: unknown;
  /** Why it failed or was skipped. */
  readonly detail?: string;
}

export interface SchedulerOptions {
  readonly clock: Clock;
  readonly calendar: SchedulerCalendar;
  readonly actions: ScheduleActions;
  /** Default 1 (SPEC §17). */
  readonly monitorIntervalMinutes?: number;
  /** Default 6 (the plan's health monitor). */
  readonly healthIntervalHours?: number;
  /** Keys done before this process started (from the store), so they are not run again. */
  readonly done?: ReadonlySet<string>;
  /**
   * What waits between runs: rxjs's `asyncScheduler` (real time) by default; a
   * `VirtualTimeScheduler` in tests. The clock must read this scheduler's time (see `virtualTime`).
   */
  readonly scheduler?: SchedulerLike;
}

export interface Scheduler {
  /** One run per agenda entry, as each finishes. Starts on the first subscription; shared. */
  readonly events$: Observable<ScheduledRun>;
  /** Stops scheduling; resolves once the action in flight (if any) has settled. */
  stop(): Promise<void>;
}

/** Long waits are cut into pieces so the clock is read again (a host asleep, a clock stepped). */
const MAX_WAIT_MS = 3_600_000;

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

const actionOf = (actions: ScheduleActions, step: ScheduledActivity): ScheduledAction | undefined =>
  actions[step];

const stepsWithActions = (actions: ScheduleActions): Set<ScheduleStepName> =>
  new Set(
    (["preflight", "decision", "orders", "validation"] as const).filter(
      (step) => actions[step] !== undefined,
    ),
  );

function checkActions(actions: ScheduleActions): void {
  for (const step of ["decision", "orders"] as const) {
    if (typeof actions[step] !== "function") {
      throw new TypeError(`scheduler: actions.${step} must be a function (it is required)`);
    }
  }
}

/**
 * Runs agenda entries one at a time: skips an entry whose window has closed and the trading
 * steps after a failed one of the same session; records what succeeded as done.
 */
function entryRunner(clock: Clock, actions: ScheduleActions, done: Set<string>) {
  const failedStepOfSession = new Map<string, ScheduledActivity>();
  return async (entry: AgendaEntry): Promise<ScheduledRun> => {
    const { request } = entry;
    const nowMs = clock.now();
    const startedAt = toIsoUtc(nowMs);
    const skipped = (detail: string): ScheduledRun => ({
      ...request,
      status: "skipped",
      startedAt,
      detail,
    });
    if (nowMs >= entry.dueUntilMs) {
      return skipped(
        `its turn came at ${startedAt}, after its window closed at ${toIsoUtc(entry.dueUntilMs)}`,
      );
    }
    const failedEarlier = failedStepOfSession.get(request.date);
    if (entry.stopsAfterFailure && failedEarlier !== undefined) {
      return skipped(
        `the ${failedEarlier} step of ${request.date} failed: no trade after a failed step`,
      );
    }
    const action = actionOf(actions, request.step);
    if (!action) return skipped(`no ${request.step} action`);
    try {
      const result = await action(request);
      done.add(request.key);
      return { ...request, status: "ok", startedAt, result };
    } catch (error) {
      if (entry.stopsAfterFailure) failedStepOfSession.set(request.date, request.step);
      return { ...request, status: "failed", startedAt, detail: messageOf(error) };
    }
  };
}

/** Emits once when the clock reaches `atMs`, waiting on `scheduler`. */
function waitUntil(clock: Clock, scheduler: SchedulerLike, atMs: number): Observable<unknown> {
  return defer(() => {
    const remaining = atMs - clock.now();
    if (remaining <= 0) return of(null);
    return timer(Math.min(remaining, MAX_WAIT_MS), scheduler).pipe(
      concatMap(() => waitUntil(clock, scheduler, atMs)),
    );
  });
}

/**
 * The long-running scheduler. On start it catches up what is still due (today's late steps,
 * the previous session's validation, the current monitor tick and health slot), then runs each
 * later entry when the clock reaches it, until `stop()` (or the calendar's range ends).
 */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const { clock, calendar, actions } = options;
  checkActions(actions);
  const scheduler = options.scheduler ?? asyncScheduler;
  const done = new Set(options.done ?? []);
  const runEntry = entryRunner(clock, actions, done);
  const stop$ = new Subject<void>();
  let inFlight: Promise<unknown> | undefined;
  const monitorIntervalMinutes = options.monitorIntervalMinutes ?? 1;
  const healthIntervalHours = options.healthIntervalHours ?? 6;
  // Bad intervals fail here, not at the first subscription.
  checkMonitorInterval(monitorIntervalMinutes);
  checkHealthInterval(healthIntervalHours);
  const agendaOptions = {
    calendar,
    steps: stepsWithActions(actions),
    monitorIntervalMinutes: actions.monitor ? monitorIntervalMinutes : null,
    healthIntervalHours: actions.health ? healthIntervalHours : null,
    done,
  };
  let stopped = false;

  const events$ = defer(() => {
    if (stopped) return EMPTY;
    const entries = agenda({ ...agendaOptions, fromMs: clock.now() });
    // Each step of the chain waits for one entry, runs it, and emits its run; `expand` then
    // asks for the next entry, so exactly one wait or action is pending at any time.
    const nextRun = (): Observable<ScheduledRun> =>
      defer(() => {
        const next = entries.next();
        if (next.done) return EMPTY;
        const entry = next.value;
        return waitUntil(clock, scheduler, entry.atMs).pipe(
          concatMap(() => {
            const running = runEntry(entry);
            inFlight = running;
            return from(running);
          }),
        );
      });
    return nextRun().pipe(expand(nextRun));
  }).pipe(takeUntil(stop$), share());

  return {
    events$,
    async stop() {
      stopped = true;
      stop$.next();
      await inFlight;
    },
  };
}

export interface RunDueStepsOptions {
  readonly clock: Clock;
  readonly calendar: SchedulerCalendar;
  /** `health` is not run here (`trader health` runs `healthCheck` on its own). */
  readonly actions: ScheduleActions;
  /** Keys already done (from the store): `<date>:<step>`, `<date>:monitor:<at>`. */
  readonly done: ReadonlySet<string>;
  /** Default 1: the monitor tick due now, if the session is between its open and its decision. */
  readonly monitorIntervalMinutes?: number;
}

export interface OneShotReport {
  /** The clock's reading, ISO-8601 UTC. */
  readonly at: string;
  /** Its New York date. */
  readonly date: string;
  /** Why that date is not a session ("weekend", "Thanksgiving Day", ...), or null on a session. */
  readonly marketClosed: string | null;
  /** What was due, in order, with how each went. */
  readonly runs: readonly ScheduledRun[];
}

/**
 * One-shot mode (`--once`, for cron or CI schedulers): runs what is due now (`stepsDue`'s
 * windows, plus the current monitor tick), once, in order, and returns. Running it again runs
 * nothing new once the store says the steps are done; the actions' deterministic run ids make a
 * repeat harmless anyway.
 */
export async function runDueSteps(options: RunDueStepsOptions): Promise<OneShotReport> {
  const { clock, calendar, actions } = options;
  checkActions(actions);
  const monitorIntervalMinutes = options.monitorIntervalMinutes ?? 1;
  checkMonitorInterval(monitorIntervalMinutes);
  const nowMs = clock.now();
  const at = toIsoUtc(nowMs);
  const date = calendar.tradingDateOf(at);
  const marketClosed = calendar.closedReason(date);
  const runEntry = entryRunner(clock, actions, new Set(options.done));
  const due = agenda({
    calendar,
    fromMs: nowMs,
    steps: stepsWithActions(actions),
    monitorIntervalMinutes: actions.monitor ? monitorIntervalMinutes : null,
    healthIntervalHours: null,
    done: options.done,
  });
  const runs: ScheduledRun[] = [];
  for (const entry of due) {
    if (entry.atMs > nowMs) break;
    runs.push(await runEntry(entry));
  }
  return { at, date, marketClosed, runs };
}
