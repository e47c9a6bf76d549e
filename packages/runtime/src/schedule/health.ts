/**
 * The health check (the plan's health monitor, every 6 hours; `trader health` runs it once for
 * cron): broker connectivity, store integrity, free disk, schedule sanity. It reads, never writes.
 */
import type { Broker } from "@trader/brokers";
import {
  type Clock,
  epochDay,
  formatCents,
  nextScheduledStep,
  parseIsoInstant,
  type ScheduleCalendar,
  sessionSchedule,
  toIsoUtc,
} from "@trader/core";
import type { FileEventStore, StreamReport } from "@trader/store";
import { freeDiskCheck, type PreflightCheck } from "../cycle/preflight.js";

export interface HealthCheckOptions {
  readonly broker: Pick<Broker, "name" | "account">;
  /** The embedded store (its `verify()` reads every stream file in full). */
  readonly store: Pick<FileEventStore, "verify">;
  /** Where the store lives, for the free-disk check. */
  readonly storeDir: string;
  readonly clock: Clock;
  readonly calendar: ScheduleCalendar;
  /** Default 1 GiB (SPEC §12). */
  readonly minimumFreeBytes?: number;
  /** How long the broker may take to answer; default 30 s. */
  readonly brokerTimeoutMs?: number;
}

export interface HealthReport {
  /** The clock's reading, ISO-8601 UTC. */
  readonly at: string;
  /** True when every check passed. */
  readonly ok: boolean;
  /** broker_connectivity, store_integrity, free_disk, schedule_sanity, in that order. */
  readonly checks: readonly PreflightCheck[];
}

/**
 * The next step's date may be at most this many calendar days after today's: a long weekend
 * (Friday to Tuesday) or an early close before a Friday holiday (Thursday 2026-12-24 to Monday
 * 12-28) is 4. Counted in dates, not hours: that Thursday's 13:15 validation is more than 4 × 24 h
 * before Monday's 15:49:30 pre-flight.
 */
export const MAX_SCHEDULE_GAP_DAYS = 4;
const DEFAULT_BROKER_TIMEOUT_MS = 30_000;

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/** "2 d 3 h", "3 h 10 min", "45 min", "20 s". */
function formatDuration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return `${Math.floor(ms / 1000)} s`;
  const [days, hours, rest] = [
    Math.floor(minutes / 1440),
    Math.floor(minutes / 60) % 24,
    minutes % 60,
  ];
  if (days > 0) return `${days} d ${hours} h`;
  return hours > 0 ? `${hours} h ${rest} min` : `${rest} min`;
}

async function brokerConnectivity(
  broker: HealthCheckOptions["broker"],
  timeoutMs: number,
): Promise<PreflightCheck> {
  const name = "broker_connectivity";
  let timeout: NodeJS.Timeout | undefined;
  const tooSlow = new Promise<never>((_, reject) => {
    timeout = setTimeout(
      () => reject(new Error(`no answer within ${formatDuration(timeoutMs)}`)),
      timeoutMs,
    );
  });
  try {
    const account = await Promise.race([broker.account(), tooSlow]);
    return {
      name,
      ok: true,
      detail: `broker ${broker.name} answered (equity ${formatCents(account.equityCents)})`,
    };
  } catch (error) {
    return { name, ok: false, detail: `broker ${broker.name} did not answer: ${messageOf(error)}` };
  } finally {
    clearTimeout(timeout);
  }
}

const streamsText = (count: number) => `${count} stream${count === 1 ? "" : "s"}`;

const describeProblem = (report: StreamReport): string =>
  report.status === "torn"
    ? `${report.stream} torn at line ${report.line} (${report.reason})`
    : report.status === "corrupt"
      ? `${report.stream} corrupt at line ${report.line} (${report.rule})`
      : `${report.stream} ok`;

async function storeIntegrity(store: HealthCheckOptions["store"]): Promise<PreflightCheck> {
  const name = "store_integrity";
  try {
    const report = await store.verify();
    const problems = report.streams.filter((stream) => stream.status !== "ok");
    if (problems.length === 0) {
      return {
        name,
        ok: true,
        detail: `${streamsText(report.streams.length)} in ${report.dir} verified`,
      };
    }
    return {
      name,
      ok: false,
      detail: `${problems.length} of ${streamsText(report.streams.length)} in ${report.dir} ${problems.length === 1 ? "has a problem" : "have problems"} (trader store repair fixes torn tails): ${problems.map(describeProblem).join("; ")}`,
    };
  } catch (error) {
    return { name, ok: false, detail: `the store could not be verified: ${messageOf(error)}` };
  }
}

/** Today's steps are in order; the next one is in the future and at most four dates ahead. */
export function scheduleSanity(calendar: ScheduleCalendar, nowMs: number): PreflightCheck {
  const name = "schedule_sanity";
  try {
    const today = calendar.tradingDateOf(toIsoUtc(nowMs));
    const steps = sessionSchedule(calendar, today);
    const instants = steps.map((step) => parseIsoInstant(step.at));
    const outOfOrder = instants.findIndex((at, i) => i > 0 && at <= (instants[i - 1] as number));
    if (outOfOrder > 0) {
      return {
        name,
        ok: false,
        detail: `today's steps are out of order: ${steps.map((step) => `${step.step} ${step.at}`).join(", ")}`,
      };
    }
    const next = nextScheduledStep(calendar, nowMs);
    const wait = parseIsoInstant(next.at) - nowMs;
    const daysAhead = epochDay(next.date) - epochDay(today);
    const todayText =
      steps.length > 0 ? `${today}: ${steps.length} steps in order` : `${today} is not a session`;
    const nextText = `next: ${next.key} at ${next.at} (in ${formatDuration(wait)})`;
    if (!(wait > 0 && daysAhead <= MAX_SCHEDULE_GAP_DAYS)) {
      return {
        name,
        ok: false,
        detail: `${todayText}; ${nextText}, ${daysAhead} days ahead (at most ${MAX_SCHEDULE_GAP_DAYS})`,
      };
    }
    return { name, ok: true, detail: `${todayText}; ${nextText}` };
  } catch (error) {
    return { name, ok: false, detail: `the schedule cannot be computed: ${messageOf(error)}` };
  }
}

/** Runs the four checks (together) and reports each; never throws for a failing check. */
export async function healthCheck(options: HealthCheckOptions): Promise<HealthReport> {
  const nowMs = options.clock.now();
  const checks = await Promise.all([
    brokerConnectivity(options.broker, options.brokerTimeoutMs ?? DEFAULT_BROKER_TIMEOUT_MS),
    storeIntegrity(options.store),
    options.minimumFreeBytes === undefined
      ? freeDiskCheck(options.storeDir)
      : freeDiskCheck(options.storeDir, options.minimumFreeBytes),
    Promise.resolve(scheduleSanity(options.calendar, nowMs)),
  ]);
  return { at: toIsoUtc(nowMs), ok: checks.every((check) => check.ok), checks };
}
