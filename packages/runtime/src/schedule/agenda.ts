/**
 * The agenda: every timed thing the scheduler does, in time order, lazily, from the calendar.
 * Session steps come from the core's schedule (SPEC §12), monitor ticks from the open to the
 * decision (SPEC §17), health checks every few hours on the UTC clock. Each entry carries the
 * instant it is for and the instant it stops being worth doing (`dueUntilMs`).
 */
import {
  checkMonitorInterval,
  monitorInstants,
  type NyseCalendar,
  parseIsoInstant,
  SCHEDULE_STEPS,
  type ScheduleCalendar,
  type ScheduleStepName,
  sessionSchedule,
  toIsoUtc,
} from "@trader/core";

/** What the scheduler needs from a calendar: the schedule's needs and why a day is closed. */
export type SchedulerCalendar = ScheduleCalendar & Pick<NyseCalendar, "closedReason">;

export type ScheduledActivity = ScheduleStepName | "monitor" | "health";

/** What an action is called with. */
export interface ScheduledRunRequest {
  /** `<date>:<step>` for session steps, `<date>:monitor:<at>` and `health:<at>` for the others. */
  readonly key: string;
  /** The New York date the run belongs to (the session's, for steps and monitor ticks). */
  readonly date: string;
  readonly step: ScheduledActivity;
  /** The instant the run is scheduled for, ISO-8601 UTC. */
  readonly at: string;
}

export interface AgendaEntry {
  readonly request: ScheduledRunRequest;
  readonly atMs: number;
  /** From this instant on the entry is skipped: its window closed, or a newer one is due. */
  readonly dueUntilMs: number;
  /** A trading step: skipped once an earlier step of its session failed. */
  readonly stopsAfterFailure: boolean;
}

export interface AgendaOptions {
  readonly calendar: SchedulerCalendar;
  /** Entries whose window has closed by then are left out. */
  readonly fromMs: number;
  /** Which session steps have an action. */
  readonly steps: ReadonlySet<ScheduleStepName>;
  /** Monitor ticks every this many minutes during the session; null: no monitor. */
  readonly monitorIntervalMinutes: number | null;
  /** Health checks every this many hours; null: none. */
  readonly healthIntervalHours: number | null;
  /** Keys already done (from the store, or earlier in this process). */
  readonly done: ReadonlySet<string>;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const TRADING_STEPS = new Set(
  SCHEDULE_STEPS.filter((definition) => definition.dueUntil === "close").map((d) => d.step),
);

/** Checks the health interval: more than zero hours, at most a week. */
export function checkHealthInterval(hours: number): void {
  if (!(Number.isFinite(hours) && hours > 0 && hours <= 168)) {
    throw new RangeError(`healthIntervalHours must be more than 0 and at most 168, got ${hours}`);
  }
}

/** One session's entries: monitor ticks, then the steps, in time order. */
function sessionEntries(
  calendar: SchedulerCalendar,
  date: string,
  steps: ReadonlySet<ScheduleStepName>,
  monitorIntervalMinutes: number | null,
): AgendaEntry[] {
  const schedule = sessionSchedule(calendar, date);
  const entries: AgendaEntry[] = schedule
    .filter((step) => steps.has(step.step))
    .map((step) => ({
      request: { key: step.key, date, step: step.step, at: step.at },
      atMs: parseIsoInstant(step.at),
      dueUntilMs: parseIsoInstant(step.dueUntil),
      stopsAfterFailure: TRADING_STEPS.has(step.step),
    }));
  if (monitorIntervalMinutes !== null) {
    const decision = schedule.find((step) => step.step === "decision");
    const decisionMs = decision ? parseIsoInstant(decision.at) : Number.POSITIVE_INFINITY;
    for (const at of monitorInstants(calendar, date, monitorIntervalMinutes)) {
      const atMs = parseIsoInstant(at);
      entries.push({
        request: { key: `${date}:monitor:${at}`, date, step: "monitor", at },
        atMs,
        // A tick is worth doing until the next one (or the decision) is due.
        dueUntilMs: Math.min(atMs + monitorIntervalMinutes * MINUTE_MS, decisionMs),
        stopsAfterFailure: false,
      });
    }
  }
  // Stable: at one instant (a tick every 30 s meets the 15:49:30 pre-flight) the step goes first.
  return entries.sort((a, b) => a.atMs - b.atMs);
}

function* sessionAgenda(options: AgendaOptions): Generator<AgendaEntry, void, undefined> {
  const { calendar, fromMs } = options;
  // The previous session's validation may still be due at `fromMs`.
  let date: string = calendar.previousSession(calendar.tradingDateOf(toIsoUtc(fromMs)));
  // Past the calendar's covered range (2035) the calendar throws, naming the range.
  for (; ; date = calendar.nextSession(date)) {
    yield* sessionEntries(calendar, date, options.steps, options.monitorIntervalMinutes);
  }
}

function* healthAgenda(
  calendar: SchedulerCalendar,
  fromMs: number,
  hours: number,
): Generator<AgendaEntry, void, undefined> {
  const intervalMs = hours * HOUR_MS;
  // Slots on the UTC clock (every 6 h: 00:00, 06:00, 12:00, 18:00 UTC); the current one runs at once.
  for (let atMs = Math.floor(fromMs / intervalMs) * intervalMs; ; atMs += intervalMs) {
    const at = toIsoUtc(atMs);
    yield {
      request: { key: `health:${at}`, date: calendar.tradingDateOf(at), step: "health", at },
      atMs,
      dueUntilMs: atMs + intervalMs,
      stopsAfterFailure: false,
    };
  }
}

/** Two time-ordered sequences as one; on a tie the first sequence's entry goes first. */
function* mergeByTime(
  first: Iterator<AgendaEntry>,
  second: Iterator<AgendaEntry>,
): Generator<AgendaEntry, void, undefined> {
  let a = first.next();
  let b = second.next();
  while (!a.done || !b.done) {
    if (!a.done && (b.done || a.value.atMs <= b.value.atMs)) {
      yield a.value;
      a = first.next();
    } else if (!b.done) {
      yield b.value;
      b = second.next();
    }
  }
}

/**
 * Everything still to do from `fromMs`, in time order: entries whose window has not closed and
 * whose key is not done. Lazy and unbounded (until the calendar's range ends).
 */
export function* agenda(options: AgendaOptions): Generator<AgendaEntry, void, undefined> {
  if (options.monitorIntervalMinutes !== null) checkMonitorInterval(options.monitorIntervalMinutes);
  if (options.healthIntervalHours !== null) checkHealthInterval(options.healthIntervalHours);
  const health =
    options.healthIntervalHours === null
      ? [][Symbol.iterator]()
      : healthAgenda(options.calendar, options.fromMs, options.healthIntervalHours);
  for (const entry of mergeByTime(sessionAgenda(options), health)) {
    if (entry.dueUntilMs > options.fromMs && !options.done.has(entry.request.key)) yield entry;
  }
}
