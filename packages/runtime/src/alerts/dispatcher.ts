import {
  type AccountStreamEvent,
  type Alert,
  type AlertSourceEvent,
  alertsFor,
  type Clock,
  CONDITION_ALERT_THRESHOLDS,
  type ConditionAlertInput,
  deterministicId,
  digestAlert,
  healthScoreAlerts,
  inactivityAlert,
  type Mode,
  nyseCalendar,
  rejectionRateAlert,
  toIsoUtc,
  uuidFromName,
} from "@trader/core";
import { createTypedStore, type EventStore, type RecordedEvent } from "@trader/store";
import type { Subscription } from "rxjs";
import { ACCOUNT_REGISTRY } from "../account/account-journal.js";
import { dayStream, dayStreamPrefix } from "../account/streams.js";
import type { AlertChannel } from "./channels.js";
import {
  ALERT_CHECKPOINT_REGISTRY,
  type AlertCheckpointEvent,
  alertCheckpointStream,
} from "./checkpoint-events.js";
import type { AlertsConfig } from "./config.js";
import { renderDailyDigest } from "./digest.js";
import {
  HEALTH_EVENT_TYPES,
  isLastSessionOfWeek,
  strategyHealthFromEvents,
  weeklyHealthSummary,
} from "./health.js";

const DAY_STREAM = /^day-(.+)-(\d{4}-\d{2}-\d{2})$/;

export interface AlertCheckpointOptions {
  /** Names the dispatcher's own stream, `alerts-<name>`. */
  readonly name: string;
  /** Where that stream lives; default the store the events come from. */
  readonly store?: EventStore;
}

export interface AlertDispatcherOptions {
  readonly store: EventStore;
  readonly channels: Readonly<Record<string, AlertChannel>>;
  readonly config: AlertsConfig;
  readonly clock: Clock;
  readonly checkpoint: AlertCheckpointOptions;
  /** Starts the retry timer; returns its cancel. Default: an unref'd setInterval. */
  readonly scheduleRetry?: (retry: () => void, everyMs: number) => () => void;
  /** Problems of the dispatcher itself (an undecodable event, the checkpoint store failing). */
  readonly onError?: (error: Error) => void;
}

export interface DispatchSummary {
  /** Deliveries made (one alert to one channel). */
  readonly sent: number;
  /** Deliveries that failed and were recorded for a retry. */
  readonly failed: number;
  /** The last store position read. */
  readonly position: number;
}

export interface AlertDispatcher {
  /** Loads the checkpoint, subscribes from it (catch-up, then live) and starts the retry timer. */
  start(): Promise<void>;
  /** Resolves once every event read so far has been handled and every delivery has settled. */
  idle(): Promise<void>;
  /** Sends again every recorded failure that has attempts left; resolves when they settle. */
  retryFailed(): Promise<void>;
  /** Unsubscribes, stops the timer, waits for deliveries in flight, closes the channels. */
  stop(): Promise<void>;
  summary(): DispatchSummary;
}

interface FailedDelivery {
  readonly alert: Alert;
  readonly channel: string;
  attempts: number;
  readonly sourcePosition: number;
  inFlight: boolean;
}

const deliveryKey = (alertId: string, channel: string) => `${alertId}\u0000${channel}`;

/** The engine shared by the live dispatcher and the one-shot `dispatchPendingAlerts`. */
class AlertEngine {
  private readonly checkpointStore;
  private readonly stream: string;
  private readonly sent = new Set<string>();
  private readonly failures = new Map<string, FailedDelivery>();
  private readonly queues = new Map<string, Promise<void>>();
  private records: Promise<void> = Promise.resolve();
  private handling: Promise<void> = Promise.resolve();
  /** The last position whose deliveries are all recorded (persisted as AlertsCheckpointed). */
  private checkpointed = -1;
  private lastRelevant = -1;
  private lastRead = -1;
  private lastMode: Mode = "live";
  /** Closed days' health events by day stream (see healthDays). */
  private readonly healthCache = new Map<string, AccountStreamEvent[]>();
  sentCount = 0;
  failedCount = 0;

  constructor(private readonly options: AlertDispatcherOptions) {
    for (const level of ["CRITICAL", "WARNING", "INFO"] as const) {
      for (const channel of options.config.routes[level]) {
        if (!options.channels[channel]) {
          throw new RangeError(
            `alerts.routes.${level} sends to "${channel}" but no "${channel}" channel was given (have: ${Object.keys(options.channels).join(", ") || "none"})`,
          );
        }
      }
    }
    this.stream = alertCheckpointStream(options.checkpoint.name);
    this.checkpointStore = createTypedStore(
      options.checkpoint.store ?? options.store,
      ALERT_CHECKPOINT_REGISTRY,
    );
  }

  /** Rebuilds "already sent", the open failures and the resume position from the stream. */
  async load(): Promise<number> {
    for await (const event of this.checkpointStore.readStream(this.stream)) {
      if (event.type === "AlertSent") {
        const key = deliveryKey(event.data.alertId, event.data.channel);
        this.sent.add(key);
        this.failures.delete(key);
      } else if (event.type === "AlertDeliveryFailed") {
        const key = deliveryKey(event.data.alert.id, event.data.channel);
        if (this.sent.has(key)) continue;
        const { html, ...rest } = event.data.alert;
        this.failures.set(key, {
          alert: html === undefined ? rest : { ...rest, html },
          channel: event.data.channel,
          attempts: event.data.attempt,
          sourcePosition: event.data.sourcePosition,
          inFlight: false,
        });
      } else if (event.type === "AlertsCheckpointed") {
        this.checkpointed = Math.max(this.checkpointed, event.data.position);
      }
    }
    this.lastRead = this.checkpointed;
    this.lastRelevant = this.checkpointed;
    return this.checkpointed + 1;
  }

  /** Queues an event for handling; handling is serial so alerts keep the store's order. */
  accept(event: RecordedEvent): void {
    this.handling = this.handling.then(() =>
      this.handle(event).catch((error: unknown) =>
        this.report(error, `event at position ${event.position}`),
      ),
    );
  }

  private report(error: unknown, where: string): void {
    const wrapped = new Error(
      `alert dispatcher (${where}): ${(error as Error).message ?? String(error)}`,
    );
    this.options.onError?.(wrapped);
  }

  private async handle(raw: RecordedEvent): Promise<void> {
    this.lastRead = raw.position;
    const match = DAY_STREAM.exec(raw.stream);
    if (!match || raw.position <= this.checkpointed) return;
    const account = match[1] as string;
    const event = ACCOUNT_REGISTRY.decode(raw);
    if (!this.options.config.modes.includes(event.metadata.mode)) return;
    this.lastMode = event.metadata.mode;
    this.lastRelevant = raw.position;
    const source = { ...event, stream: raw.stream, revision: raw.revision } as AlertSourceEvent;
    const alerts = alertsFor(source, { account });
    alerts.push(...(await this.derivedAlerts(source, account, match[2] as string)));
    for (const alert of alerts) this.route(alert, raw.position);
  }

  /** Alerts over many events: the run's rejection rate and idle days, the day's digest. */
  private async derivedAlerts(
    event: AlertSourceEvent,
    account: string,
    date: string,
  ): Promise<Alert[]> {
    const input = {
      account,
      at: event.metadata.occurredAt,
      source: { stream: event.stream, revision: event.revision, eventId: event.metadata.eventId },
    };
    const { thresholds } = this.options.config;
    if (event.type === "RunCompleted" && event.data.outcome !== "market_closed") {
      const day = await this.readDay(event.stream, event.revision);
      const runEvents = day.filter(
        (e) => (e.metadata as { runId?: string }).runId === event.data.runId,
      );
      const raised = runEvents.filter((e) => e.type === "SignalRaised").length;
      const stopped = runEvents.filter((e) => e.type === "SignalStopped").length;
      return [
        ...rejectionRateAlert(
          input,
          { raised, stopped },
          {
            above: thresholds.rejectionRateAbove,
            minSignals: thresholds.minSignalsForRejectionRate,
          },
        ),
        ...inactivityAlert(
          input,
          await this.executionFacts(account, date),
          thresholds.inactiveDaysAbove,
        ),
      ];
    }
    if (event.type === "AccountSnapshotTaken") {
      const alerts: Alert[] = [];
      if (this.options.config.dailyDigest) {
        const day = await this.readDay(event.stream, event.revision);
        const digest = renderDailyDigest(account, date, day);
        alerts.push(
          digestAlert(input, {
            code: "daily_digest",
            key: date,
            title: `Daily digest ${date}`,
            text: digest.text,
            html: digest.html,
          }),
        );
      }
      try {
        alerts.push(...(await this.healthAlerts(input, account, event.data.tradingDate)));
      } catch (error) {
        // Health is advisory: a problem computing it must not cost the day's other alerts.
        this.report(error, `strategy health of ${account} on ${event.data.tradingDate}`);
      }
      return alerts;
    }
    return [];
  }

  /**
   * At the end of a day: a WARNING per strategy scoring below 60 (once per strategy per day,
   * however many snapshots the day has) and, on the last session of an ISO week, the weekly
   * health summary (INFO).
   */
  private async healthAlerts(
    input: ConditionAlertInput,
    account: string,
    tradingDate: string,
  ): Promise<Alert[]> {
    const reports = strategyHealthFromEvents(
      await this.healthDays(account, tradingDate),
      tradingDate,
    );
    const scored = reports.flatMap((report) =>
      report.score === null ? [] : [{ strategy: report.strategy, score: report.score }],
    );
    // The id names the day, not the snapshot: a second run's snapshot re-derives the same alert.
    const alerts = scored
      .filter(({ score }) => score < CONDITION_ALERT_THRESHOLDS.healthScoreBelow)
      .flatMap((low) =>
        healthScoreAlerts(input, [low]).map((alert) => ({
          ...alert,
          id: deterministicId(["alert", account, alert.code, low.strategy, tradingDate]),
        })),
      );
    if (isLastSessionOfWeek(nyseCalendar(), tradingDate)) {
      const summary = weeklyHealthSummary(account, tradingDate, reports);
      alerts.push(
        digestAlert(input, {
          code: "weekly_health",
          key: tradingDate,
          title: summary.title,
          text: summary.text,
          html: summary.html,
        }),
      );
    }
    return alerts;
  }

  /**
   * The account's day streams through `date`, keeping only what health reads. Every day is
   * needed (a position bought long ago sets the cost of today's sell); days before `date` are
   * closed, so they are read once and cached.
   */
  private async healthDays(account: string, date: string) {
    const days = new Map<string, AccountStreamEvent[]>();
    const streams = await this.options.store.listStreams(dayStreamPrefix(account));
    for (const stream of streams) {
      const match = DAY_STREAM.exec(stream);
      const day = match?.[2];
      if (match?.[1] !== account || day === undefined || day > date) continue;
      const cached = this.healthCache.get(stream);
      if (cached && day < date) {
        days.set(day, cached);
        continue;
      }
      const events: AccountStreamEvent[] = [];
      for await (const raw of this.options.store.readStream(stream)) {
        if (HEALTH_EVENT_TYPES.has(raw.type)) events.push(ACCOUNT_REGISTRY.decode(raw));
      }
      if (day < date) this.healthCache.set(stream, events);
      days.set(day, events);
    }
    return days;
  }

  private async readDay(stream: string, throughRevision: number) {
    const events: (AccountStreamEvent & AlertSourceEvent)[] = [];
    for await (const raw of this.options.store.readStream(stream)) {
      if (raw.revision > throughRevision) break;
      const decoded = ACCOUNT_REGISTRY.decode(raw);
      events.push({ ...decoded, stream: raw.stream, revision: raw.revision } as AlertSourceEvent);
    }
    return events;
  }

  /** The last day with an executed signal, reading day streams backwards from `date`. */
  private async executionFacts(account: string, date: string) {
    const days = (await this.options.store.listStreams(dayStreamPrefix(account)))
      .map((stream) => DAY_STREAM.exec(stream)?.[2])
      .filter((day): day is string => day !== undefined && day <= date)
      .sort();
    const trackedSince = days[0] ?? date;
    const horizon =
      Date.parse(`${date}T00:00:00Z`) -
      (this.options.config.thresholds.inactiveDaysAbove + 1) * 86_400_000;
    for (const day of [...days].reverse()) {
      if (Date.parse(`${day}T00:00:00Z`) < horizon)
        return { date, lastExecutedOn: null, trackedSince };
      for await (const raw of this.options.store.readStream(dayStream(account, day))) {
        if (raw.type === "SignalExecuted") return { date, lastExecutedOn: day, trackedSince };
      }
    }
    return { date, lastExecutedOn: null, trackedSince };
  }

  private route(alert: Alert, sourcePosition: number): void {
    for (const channel of this.options.config.routes[alert.level]) {
      const key = deliveryKey(alert.id, channel);
      // Sent already, or failed and waiting for its retry: a re-read never sends it again.
      if (this.sent.has(key) || this.failures.has(key)) continue;
      this.enqueue(channel, alert, 1, sourcePosition);
    }
  }

  /** Each channel has its own queue: a slow or failing channel never delays another one. */
  private enqueue(channel: string, alert: Alert, attempt: number, sourcePosition: number): void {
    const target = this.options.channels[channel] as AlertChannel;
    const previous = this.queues.get(channel) ?? Promise.resolve();
    const next = previous.then(async () => {
      const key = deliveryKey(alert.id, channel);
      try {
        await target.send(alert);
        this.sent.add(key);
        this.failures.delete(key);
        this.sentCount++;
        await this.record(
          {
            type: "AlertSent",
            data: {
              alertId: alert.id,
              channel,
              level: alert.level,
              code: alert.code,
              account: alert.account,
              at: alert.at,
              attempt,
              sourcePosition,
            },
          },
          uuidFromName(`${this.stream}|sent|${alert.id}|${channel}`),
          alert.source.eventId,
        );
      } catch (error) {
        this.failedCount++;
        this.failures.set(key, {
          alert,
          channel,
          attempts: attempt,
          sourcePosition,
          inFlight: false,
        });
        await this.record(
          {
            type: "AlertDeliveryFailed",
            data: {
              alert,
              channel,
              attempt,
              error: (error as Error).message || "unknown error",
              at: toIsoUtc(this.options.clock.now()),
              sourcePosition,
            },
          },
          uuidFromName(`${this.stream}|failed|${alert.id}|${channel}|${attempt}`),
          alert.source.eventId,
        );
      }
    });
    this.queues.set(channel, next);
  }

  /** Appends to the checkpoint stream, one append at a time; ids are deterministic. */
  private record(
    event: AlertCheckpointEvent,
    eventId: string,
    causationId: string | null,
  ): Promise<void> {
    const append = this.records.then(async () => {
      await this.checkpointStore.append(
        this.stream,
        [
          {
            ...event,
            metadata: {
              eventId,
              occurredAt: toIsoUtc(this.options.clock.now()),
              runId: `alerts:${this.options.checkpoint.name}`,
              mode: this.lastMode,
              schemaVersion: ALERT_CHECKPOINT_REGISTRY.versionOf(event.type),
              causationId,
              correlationId: `alerts:${this.options.checkpoint.name}`,
            },
          } as never,
        ],
        { expectedRevision: "any" },
      );
    });
    this.records = append.catch((error: unknown) =>
      this.report(error, "recording to the checkpoint stream"),
    );
    return this.records;
  }

  /** Waits for handling and deliveries, then records how far everything is settled. */
  async settle(): Promise<void> {
    // New events or deliveries may be queued while we wait: loop until nothing changed.
    for (;;) {
      const handling = this.handling;
      const queues = [...this.queues.values()];
      await handling;
      await Promise.all(queues);
      await this.records;
      const unchanged =
        handling === this.handling && [...this.queues.values()].every((q, i) => q === queues[i]);
      if (unchanged) break;
    }
    // Only progress over account events is worth a record: our own appends must not loop.
    if (this.lastRelevant > this.checkpointed) {
      const position = this.lastRelevant;
      this.checkpointed = position;
      await this.record(
        { type: "AlertsCheckpointed", data: { position, at: toIsoUtc(this.options.clock.now()) } },
        uuidFromName(`${this.stream}|checkpoint|${position}`),
        null,
      );
    }
  }

  async retryFailed(): Promise<void> {
    for (const failure of this.failures.values()) {
      if (failure.inFlight || failure.attempts >= this.options.config.retry.maxAttempts) continue;
      failure.inFlight = true;
      this.enqueue(failure.channel, failure.alert, failure.attempts + 1, failure.sourcePosition);
    }
    await Promise.all([...this.queues.values()]);
    await this.records;
  }

  summary(): DispatchSummary {
    return { sent: this.sentCount, failed: this.failedCount, position: this.lastRead };
  }

  async closeChannels(): Promise<void> {
    await Promise.all(Object.values(this.options.channels).map((channel) => channel.close?.()));
  }
}

const defaultRetryTimer = (retry: () => void, everyMs: number) => {
  const timer = setInterval(retry, everyMs);
  timer.unref();
  return () => clearInterval(timer);
};

/**
 * Subscribes to the store (outside every decision: trading never waits for it), maps account
 * events to alerts and sends each alert once per channel. Progress, deliveries and failures are
 * its own stream `alerts-<name>`, so a restarted dispatcher resumes and never resends.
 */
export function createAlertDispatcher(options: AlertDispatcherOptions): AlertDispatcher {
  const engine = new AlertEngine(options);
  let subscription: Subscription | null = null;
  let cancelRetry: (() => void) | null = null;
  return {
    async start() {
      if (!options.config.enabled) return;
      const from = await engine.load();
      subscription = options.store.subscribe({ fromPosition: from }).subscribe({
        next: (event) => engine.accept(event),
        error: (error: unknown) => options.onError?.(error as Error),
      });
      cancelRetry = (options.scheduleRetry ?? defaultRetryTimer)(() => {
        void engine.retryFailed();
      }, options.config.retry.everyMs);
    },
    idle: () => engine.settle(),
    retryFailed: () => engine.retryFailed(),
    async stop() {
      subscription?.unsubscribe();
      cancelRetry?.();
      await engine.settle();
      await engine.closeChannels();
    },
    summary: () => engine.summary(),
  };
}

/**
 * One pass for cron: retries recorded failures, reads every event after the checkpoint, sends
 * what is due, records the new checkpoint, closes the channels.
 */
export async function dispatchPendingAlerts(
  options: Omit<AlertDispatcherOptions, "scheduleRetry">,
): Promise<DispatchSummary> {
  const engine = new AlertEngine(options);
  if (!options.config.enabled) return engine.summary();
  const from = await engine.load();
  await engine.retryFailed();
  for await (const event of options.store.readAll({ fromPosition: from })) engine.accept(event);
  await engine.settle();
  await engine.closeChannels();
  return engine.summary();
}
