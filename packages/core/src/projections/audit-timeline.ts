import type { EventEnvelope } from "../events/envelope.js";

type Describer = (data: Record<string, unknown>) => string;

const str = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));

/** Sentences for the events people read most; any other event falls back to its fields. */
const DESCRIBERS: Readonly<Record<string, Describer>> = {
  RunStarted: (d) => `run ${str(d.runId)} started`,
  RunCompleted: (d) =>
    `run ${str(d.runId)} finished: ${str(d.outcome)}, ${str(d.ordersSubmitted)} order(s)`,
  RunAborted: (d) => `run aborted (${str(d.code)}): ${str(d.message)}`,
  StrategyDecided: (d) =>
    `${str(d.strategy)} decided ${str(d.signals)} signal(s) in regime ${str(d.regime)}`,
  StrategyFailed: (d) => `${str(d.strategy)} failed (${str(d.kind)}): ${str(d.message)}`,
  SignalRaised: (d) =>
    `${str(d.strategy)} signal ${str(d.signalId)} on ${str(d.symbol)}: ${JSON.stringify(d.intent)}`,
  SignalStopped: (d) =>
    `${str(d.symbol)} stopped at ${str(d.stage)} (${str(d.code)}${d.pending ? ", pending" : ""}): ${str(d.message)}`,
  SignalExecuted: (d) =>
    `${str(d.symbol)} → order intent ${str(d.intentId)}: ${str(d.side)} ${str(d.quantity)} @ ~${str(d.expectedPrice)}`,
};

function fallback(type: string, data: unknown): string {
  if (data === null || typeof data !== "object") return type;
  const fields = Object.entries(data as Record<string, unknown>)
    .filter(([, value]) => value !== null && typeof value !== "object")
    .map(([key, value]) => `${key}=${String(value)}`);
  return fields.length ? `${type}: ${fields.join(" ")}` : type;
}

/** One human line for one event: "20:50:00Z  RunStarted  run live:acct:2026-11-20:close started". */
export function auditLine(event: EventEnvelope): string {
  const time = event.metadata.occurredAt.slice(11, 19);
  const describe = DESCRIBERS[event.type];
  const text =
    describe && event.data !== null && typeof event.data === "object"
      ? describe(event.data as Record<string, unknown>)
      : fallback(event.type, event.data);
  return `${time}Z  ${event.type.padEnd(22)}  ${text}`;
}

/** The audit timeline of a day: one line per event, in the order they were recorded. */
export function auditTimeline(events: Iterable<EventEnvelope>): string[] {
  const lines: string[] = [];
  for (const event of events) lines.push(auditLine(event));
  return lines;
}
