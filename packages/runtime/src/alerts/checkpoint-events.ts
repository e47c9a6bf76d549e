import { ALERT_LEVELS, createEventRegistry, defineEvent, type EventOf } from "@trader/core";
import { z } from "zod";

const text = z.string().min(1);

export const alertSchema = z.object({
  id: text,
  level: z.enum(ALERT_LEVELS),
  code: text,
  title: text,
  message: text,
  account: text,
  at: z.iso.datetime(),
  source: z.object({ stream: text, revision: z.number().int().nonnegative(), eventId: text }),
  html: z.string().optional(),
});

/** Where the dispatcher had got to in the store's global order when it recorded this. */
const sourcePosition = z.number().int().nonnegative();

/** An alert reached one channel: it is never sent to that channel again. */
export const AlertSent = defineEvent({
  type: "AlertSent",
  schema: z.object({
    alertId: text,
    channel: text,
    level: z.enum(ALERT_LEVELS),
    code: text,
    account: text,
    at: z.iso.datetime(),
    attempt: z.number().int().positive(),
    sourcePosition,
  }),
});

/** A channel failed to deliver an alert; the alert is kept whole so a later retry can send it. */
export const AlertDeliveryFailed = defineEvent({
  type: "AlertDeliveryFailed",
  schema: z.object({
    alert: alertSchema,
    channel: text,
    attempt: z.number().int().positive(),
    /** The channel's error, with its secrets removed. */
    error: text,
    at: z.iso.datetime(),
    sourcePosition,
  }),
});

/** The dispatcher read the store up to here (recorded when no alert marked the progress). */
export const AlertsCheckpointed = defineEvent({
  type: "AlertsCheckpointed",
  schema: z.object({ position: sourcePosition, at: z.iso.datetime() }),
});

export const ALERT_CHECKPOINT_EVENTS = [
  AlertSent,
  AlertDeliveryFailed,
  AlertsCheckpointed,
] as const;
export type AlertCheckpointEvent = EventOf<typeof ALERT_CHECKPOINT_EVENTS>;
export const ALERT_CHECKPOINT_REGISTRY = createEventRegistry(ALERT_CHECKPOINT_EVENTS);

export const ALERT_STREAM_PREFIX = "alerts-";
const CHECKPOINT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** The dispatcher's own stream: what it sent, what failed, how far it read. */
export function alertCheckpointStream(name: string): string {
  if (!CHECKPOINT_NAME.test(name)) {
    throw new RangeError(
      `alert checkpoint name "${name}" must start with a letter or digit and use only letters, digits, "_", "." and "-"`,
    );
  }
  return `${ALERT_STREAM_PREFIX}${name}`;
}
