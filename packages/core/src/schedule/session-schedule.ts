/**
 * The daily schedule (SPEC §12), as data and pure functions of the NYSE calendar: every step is
 * an offset from the session's close, so an early close shifts the whole day, and daylight saving
 * comes from the calendar's America/New_York instants, never from the host's time zone.
 * The rules are in docs/schedule.md.
 */
import type { NyseCalendar } from "../calendar/nyse/nyse-calendar.js";
import { parseIsoInstant, toIsoUtc } from "../ports/clock.js";

export const SCHEDULE_STEP_NAMES = ["preflight", "decision", "orders", "validation"] as const;
export type ScheduleStepName = (typeof SCHEDULE_STEP_NAMES)[number];

export interface ScheduleStepDefinition {
  readonly step: ScheduleStepName;
  /** Minutes from the session's close; negative is before it. */
  readonly offsetMinutes: number;
  /**
   * How long a late step stays due: until the session's `close` (a trade or a decision after
   * the close would not be the close's), or until the `next_session`'s first step.
   */
  readonly dueUntil: "close" | "next_session";
}

/** In the order they run: 15:49:30 / 15:50 / 15:55 / 16:15 New York on a 16:00 close. */
export const SCHEDULE_STEPS: readonly ScheduleStepDefinition[] = [
  { step: "preflight", offsetMinutes: -10.5, dueUntil: "close" },
  { step: "decision", offsetMinutes: -10, dueUntil: "close" },
  { step: "orders", offsetMinutes: -5, dueUntil: "close" },
  { step: "validation", offsetMinutes: 15, dueUntil: "next_session" },
];

/** What the schedule needs from a calendar (the NYSE calendar has it all). */
export type ScheduleCalendar = Pick<
  NyseCalendar,
  "isSession" | "nextSession" | "previousSession" | "sessionOpen" | "sessionClose" | "tradingDateOf"
>;

/** One step of one session, placed in time. */
export interface ScheduledStep {
  /** `<date>:<step>`, e.g. "2026-11-27:decision": what a store remembers as done. */
  readonly key: string;
  /** The session's New York date. */
  readonly date: string;
  readonly step: ScheduleStepName;
  /** The step's instant, ISO-8601 UTC. */
  readonly at: string;
  /** The instant from which the step is no longer due (exclusive), ISO-8601 UTC. */
  readonly dueUntil: string;
}

const MINUTE_MS = 60_000;

export const stepKey = (date: string, step: ScheduleStepName): string => `${date}:${step}`;

const epochMsOf = (now: number | string): number =>
  typeof now === "number" ? now : parseIsoInstant(now);

const stepInstant = (closeMs: number, definition: ScheduleStepDefinition): number =>
  closeMs + definition.offsetMinutes * MINUTE_MS;

/** The first step's instant of a session (its pre-flight). */
function firstStepMs(calendar: ScheduleCalendar, session: string): number {
  const first = SCHEDULE_STEPS[0] as ScheduleStepDefinition;
  return stepInstant(parseIsoInstant(calendar.sessionClose(session)), first);
}

/**
 * A session's steps with their UTC instants, in order; [] when `date` is not a session (a
 * weekend, a holiday). A malformed date or one outside the calendar throws a RangeError.
 */
export function sessionSchedule(calendar: ScheduleCalendar, date: string): ScheduledStep[] {
  if (!calendar.isSession(date)) return [];
  const closeMs = parseIsoInstant(calendar.sessionClose(date));
  let nextSessionStart: number | undefined;
  const untilNextSession = (): number => {
    nextSessionStart ??= firstStepMs(calendar, calendar.nextSession(date));
    return nextSessionStart;
  };
  return SCHEDULE_STEPS.map((definition) => ({
    key: stepKey(date, definition.step),
    date,
    step: definition.step,
    at: toIsoUtc(stepInstant(closeMs, definition)),
    dueUntil: toIsoUtc(definition.dueUntil === "close" ? closeMs : untilNextSession()),
  }));
}

/** The decision step's instant of a session, in epoch milliseconds. */
function decisionMs(calendar: ScheduleCalendar, date: string): number {
  const decision = SCHEDULE_STEPS.find((definition) => definition.step === "decision");
  if (!decision) throw new Error("SCHEDULE_STEPS has no decision step");
  return stepInstant(parseIsoInstant(calendar.sessionClose(date)), decision);
}

/** Checks a monitor interval: a positive whole number of seconds, written in minutes. */
export function checkMonitorInterval(intervalMinutes: number): void {
  const seconds = intervalMinutes * 60;
  if (!(Number.isFinite(seconds) && seconds >= 1 && Number.isInteger(seconds))) {
    throw new RangeError(
      `monitor intervalMinutes must be a positive whole number of seconds (e.g. 1, 0.5, 5), got ${intervalMinutes}`,
    );
  }
}

/**
 * The intraday monitor's instants on a session (SPEC §17): from the open (included) every
 * `intervalMinutes` up to the decision (excluded: from then on the close's run decides).
 * [] when `date` is not a session.
 */
export function monitorInstants(
  calendar: ScheduleCalendar,
  date: string,
  intervalMinutes: number,
): string[] {
  checkMonitorInterval(intervalMinutes);
  if (!calendar.isSession(date)) return [];
  const openMs = parseIsoInstant(calendar.sessionOpen(date));
  const endMs = decisionMs(calendar, date);
  const stepMs = intervalMinutes * MINUTE_MS;
  const instants: string[] = [];
  for (let at = openMs; at < endMs; at += stepMs) instants.push(toIsoUtc(at));
  return instants;
}

/**
 * The session whose schedule is running at `nowMs`: the latest session whose first step has
 * come. Before that step, the previous session's schedule is still the current one.
 */
function currentSession(calendar: ScheduleCalendar, nowMs: number): string {
  const today = calendar.tradingDateOf(toIsoUtc(nowMs));
  if (calendar.isSession(today) && firstStepMs(calendar, today) <= nowMs) return today;
  return calendar.previousSession(today);
}

/**
 * What is due at `now` (epoch ms or an ISO instant), in order, leaving out the keys in `done`.
 * A step is due from its instant until its `dueUntil`: pre-flight, decision and orders until
 * the session's close; validation until the next session's pre-flight. So a late run catches up
 * the same day, and once the next session's schedule begins, an earlier day is never replayed.
 */
export function stepsDue(
  calendar: ScheduleCalendar,
  now: number | string,
  done: ReadonlySet<string>,
): ScheduledStep[] {
  const nowMs = epochMsOf(now);
  return sessionSchedule(calendar, currentSession(calendar, nowMs)).filter(
    (step) =>
      !done.has(step.key) &&
      parseIsoInstant(step.at) <= nowMs &&
      nowMs < parseIsoInstant(step.dueUntil),
  );
}

/** The first step strictly after `now`, looking past weekends and holidays. */
export function nextScheduledStep(calendar: ScheduleCalendar, now: number | string): ScheduledStep {
  const nowMs = epochMsOf(now);
  let session = currentSession(calendar, nowMs);
  for (;;) {
    const next = sessionSchedule(calendar, session).find(
      (step) => parseIsoInstant(step.at) > nowMs,
    );
    if (next) return next;
    session = calendar.nextSession(session);
  }
}
