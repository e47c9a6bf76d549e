import { ALERT_LEVELS, CONDITION_ALERT_THRESHOLDS, modeSchema, parseConfig } from "@trader/core";
import { z } from "zod";

export const ALERT_CHANNEL_KINDS = ["console", "file", "webhook", "email"] as const;
export type AlertChannelKind = (typeof ALERT_CHANNEL_KINDS)[number];

/** Secrets are read from these environment variables only, never from the config file. */
export const ALERT_SECRET_ENV = {
  webhookUrl: "TRADER_WEBHOOK_URL",
  smtpUser: "TRADER_SMTP_USER",
  smtpPassword: "TRADER_SMTP_PASSWORD",
} as const;

const channelList = z.array(z.enum(ALERT_CHANNEL_KINDS));

/**
 * Alerts (SPEC §14): which channels receive each level, and how each channel behaves. The webhook
 * URL (it may carry a token) and the SMTP user and password come from the environment only.
 */
export const alertsConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Events of these modes raise alerts; a backtest's thousand HALTs would drown the real ones. */
    modes: z.array(modeSchema).default(["live", "paper", "dry-run"]),
    routes: z
      .object({
        CRITICAL: channelList.default(["console", "file"]),
        WARNING: channelList.default(["console", "file"]),
        INFO: channelList.default(["file"]),
      })
      .prefault({}),
    file: z.object({ path: z.string().min(1).default(".trader/alerts.jsonl") }).prefault({}),
    webhook: z
      .object({
        timeoutMs: z.number().int().positive().default(5_000),
        /** Attempts after the first one, each after twice the previous wait. */
        retries: z.number().int().nonnegative().max(10).default(3),
        backoffMs: z.number().int().nonnegative().default(500),
      })
      .prefault({}),
    email: z
      .object({
        host: z.string().min(1),
        port: z.number().int().min(1).max(65_535).default(587),
        /** true: TLS from the start (port 465); false: STARTTLS when the server offers it. */
        secure: z.boolean().default(false),
        from: z.string().min(3),
        to: z.array(z.string().min(3)).min(1),
        timeoutMs: z.number().int().positive().default(10_000),
      })
      .optional(),
    /** A failed delivery is retried on the next dispatch or retry tick, up to this many attempts. */
    retry: z
      .object({
        maxAttempts: z.number().int().positive().default(10),
        everyMs: z.number().int().positive().default(60_000),
      })
      .prefault({}),
    thresholds: z
      .object({
        rejectionRateAbove: z
          .number()
          .min(0)
          .max(1)
          .default(CONDITION_ALERT_THRESHOLDS.rejectionRateAbove),
        minSignalsForRejectionRate: z
          .number()
          .int()
          .positive()
          .default(CONDITION_ALERT_THRESHOLDS.minSignalsForRejectionRate),
        inactiveDaysAbove: z
          .number()
          .int()
          .positive()
          .default(CONDITION_ALERT_THRESHOLDS.inactiveDaysAbove),
      })
      .prefault({}),
    /** Send the daily digest (INFO) when a day's end-of-day snapshot is written. */
    dailyDigest: z.boolean().default(true),
  })
  .superRefine((config, context) => {
    for (const level of ALERT_LEVELS) {
      if (config.routes[level].includes("email") && !config.email) {
        context.addIssue({
          code: "custom",
          path: ["routes", level],
          message: `routes ${level} sends to "email" but alerts.email (host, from, to) is not configured`,
        });
      }
    }
  });

export type AlertsConfig = z.output<typeof alertsConfigSchema>;
export type AlertsConfigInput = z.input<typeof alertsConfigSchema>;

/** Parses a (partial) alerts config, filling defaults; throws a RangeError naming each bad field. */
export function parseAlertsConfig(input: AlertsConfigInput = {}): AlertsConfig {
  return parseConfig("alerts", alertsConfigSchema, input);
}
