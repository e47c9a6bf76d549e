import {
  type AccountStreamEvent,
  type Alert,
  type AlertSourceEvent,
  alertsFor,
  dayActivity,
  explainDay,
  formatCents,
  formatPercent,
  project,
} from "@trader/core";

export interface DailyDigest {
  readonly text: string;
  readonly html: string;
}

interface DigestSection {
  readonly heading: string;
  readonly lines: readonly string[];
}

/** Text made safe to put in the digests' HTML. */
export const escapeHtml = (text: string) =>
  text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");

/** A recorded event, or a bare domain event (then alerts of the day cannot be derived). */
type DigestEvent = AccountStreamEvent | AlertSourceEvent;

const isRecorded = (event: DigestEvent): event is AlertSourceEvent =>
  "metadata" in event && "stream" in event && "revision" in event;

/**
 * The daily digest (SPEC §14, the runbook's daily checklist): runs, orders and fills, the funnel,
 * governor and kill-switch state, validation status and the alerts of the day, as text and HTML.
 */
export function renderDailyDigest(
  account: string,
  date: string,
  events: readonly DigestEvent[],
): DailyDigest {
  const sections: DigestSection[] = [];

  const runs = new Map<string, string>();
  for (const event of events) {
    if (event.type === "RunStarted") runs.set(event.data.runId, "started, not finished");
    if (event.type === "RunCompleted")
      runs.set(
        event.data.runId,
        `${event.data.outcome}, ${event.data.ordersSubmitted} order(s) submitted`,
      );
  }
  sections.push({
    heading: "Runs",
    lines: runs.size ? [...runs].map(([runId, what]) => `${runId}: ${what}`) : ["no run recorded"],
  });

  const orders = new Map<
    string,
    {
      symbol: string;
      side: string;
      quantity: number;
      status: string;
      filled: number;
      cents: number;
    }
  >();
  for (const event of events) {
    if (event.type === "IntentCreated")
      orders.set(event.data.intentId, {
        symbol: event.data.symbol,
        side: event.data.side,
        quantity: event.data.targetQuantity,
        status: "created",
        filled: 0,
        cents: 0,
      });
    const order =
      "data" in event && typeof (event.data as { intentId?: unknown }).intentId === "string"
        ? orders.get((event.data as { intentId: string }).intentId)
        : undefined;
    if (!order) continue;
    if (event.type === "IntentFillRecorded") {
      order.filled += event.data.quantity;
      order.cents += event.data.quantity * event.data.priceCents;
      order.status = order.filled >= order.quantity ? "filled" : "partially filled";
    }
    if (event.type === "IntentRejected") order.status = `rejected (${event.data.reason})`;
    if (event.type === "IntentCanceled") order.status = `canceled (${event.data.reason})`;
    if (event.type === "IntentExpired") order.status = `expired (${event.data.reason})`;
  }
  sections.push({
    heading: "Orders and fills",
    lines: orders.size
      ? [...orders.values()].map(
          (o) =>
            `${o.side} ${o.quantity} ${o.symbol}: ${o.status}` +
            (o.filled
              ? `, ${o.filled} filled for ${formatCents(o.cents)} (avg ${formatCents(Math.round(o.cents / o.filled))})`
              : ""),
        )
      : ["no orders"],
  });

  const activity = project(
    dayActivity,
    events.filter((event) =>
      [
        "RunStarted",
        "RunCompleted",
        "RunAborted",
        "StrategyDecided",
        "StrategyFailed",
        "SignalRaised",
        "SignalStopped",
        "SignalExecuted",
      ].includes(event.type),
    ) as never,
  );
  const stops = [...activity.stops.values()].map(
    (stop) => `stopped at ${stop.stage} (${stop.code}): ${stop.count}`,
  );
  sections.push({
    heading: "Signal funnel",
    lines: [
      `raised ${activity.raised}, executed ${activity.executed}, stopped ${activity.raised - activity.executed}`,
      ...stops,
      `why: ${explainDay(activity).summary}`,
    ],
  });

  const governor: string[] = [];
  for (const event of events) {
    if (event.type === "GovernorEquityObserved")
      governor[0] = `equity ${formatCents(event.data.equity)}, peak ${formatCents(event.data.peak)}, drawdown ${formatPercent(event.data.drawdown)}`;
    if (event.type === "GovernorHalted")
      governor.push(`HALT at drawdown ${formatPercent(event.data.drawdown)}`);
    if (event.type === "GovernorPanicked")
      governor.push(`PANIC at drawdown ${formatPercent(event.data.drawdown)}`);
    if (event.type === "GovernorRampUpStarted")
      governor.push(`ramp-up at ${formatPercent(event.data.sizing)} sizing`);
    if (event.type === "GovernorNormalResumed") governor.push("NORMAL resumed");
    if (event.type === "GovernorOverridden")
      governor.push(
        `overridden (${event.data.action}) by ${event.data.operator}: ${event.data.reason}`,
      );
  }
  sections.push({
    heading: "Drawdown governor",
    lines: governor.filter(Boolean).length ? governor.filter(Boolean) : ["no change recorded"],
  });

  const kills: string[] = [];
  for (const event of events) {
    if (event.type === "KillSwitchActivated")
      kills.push(
        `activated (${event.data.cause}, level ${event.data.level}): ${event.data.reason}`,
      );
    if (event.type === "KillSwitchReset")
      kills.push(`reset by ${event.data.operator}: ${event.data.reason}`);
    if (event.type === "KillSwitchCleared") kills.push("cleared: reconciliation passed");
  }
  for (const event of events) {
    if (event.type === "ReconciliationRecorded")
      kills.push(`reconciliation ${event.data.status}: ${event.data.message}`);
  }
  sections.push({
    heading: "Kill switch and reconciliation",
    lines: kills.length ? kills : ["no change recorded"],
  });

  const validations = events.flatMap((event) =>
    event.type === "ValidationReported"
      ? [
          `${event.data.status}: ${event.data.reason} (logic ${event.data.logicMatch ? "matches" : "differs"}, max drift ${formatPercent(event.data.maxDrift)})`,
        ]
      : [],
  );
  sections.push({
    heading: "Validation",
    lines: validations.length ? validations : ["not validated yet"],
  });

  const alerts: Alert[] = events
    .filter(isRecorded)
    .flatMap((event) => alertsFor(event, { account }));
  sections.push({
    heading: "Alerts of the day",
    lines: alerts.length ? alerts.map((alert) => `[${alert.level}] ${alert.title}`) : ["none"],
  });

  const title = `trader daily digest: ${account}, ${date}`;
  const text = [
    title,
    "",
    ...sections.flatMap((s) => [s.heading, ...s.lines.map((l) => `  - ${l}`), ""]),
  ].join("\n");
  const html = [
    `<h1>${escapeHtml(title)}</h1>`,
    ...sections.map(
      (s) =>
        `<h2>${escapeHtml(s.heading)}</h2>\n<ul>\n${s.lines.map((l) => `  <li>${escapeHtml(l)}</li>`).join("\n")}\n</ul>`,
    ),
  ].join("\n");
  return { text, html };
}
