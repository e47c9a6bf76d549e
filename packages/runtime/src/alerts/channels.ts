import { appendFile, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import type { Alert } from "@trader/core";
import { createTransport } from "nodemailer";
import { ALERT_SECRET_ENV, type AlertChannelKind, type AlertsConfig } from "./config.js";

/** Somewhere an alert can be sent. `send` rejects on failure with a message free of secrets. */
export interface AlertChannel {
  readonly name: string;
  send(alert: Alert): Promise<void>;
  close?(): Promise<void>;
}

/** Replaces every secret (and its URL-encoded form) in a text: errors must never leak them. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let redacted = text;
  for (const secret of secrets) {
    if (!secret || secret.length < 3) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      redacted = redacted.split(form).join("[redacted]");
    }
  }
  return redacted;
}

/** One line for a person: level, time, account, title and the message. */
export function formatAlertLine(alert: Alert): string {
  return `[${alert.level}] ${alert.at} ${alert.account} ${alert.code}: ${alert.title} — ${alert.message}`;
}

export function consoleChannel(
  write: (line: string) => void = (line) => console.error(line),
): AlertChannel {
  return {
    name: "console",
    async send(alert) {
      write(formatAlertLine(alert));
    },
  };
}

/** Appends each alert as one JSON line (the digest's HTML is left out: the text is there). */
export function fileChannel(path: string): AlertChannel {
  return {
    name: "file",
    async send(alert) {
      const { html: _html, ...record } = alert;
      await mkdir(dirname(path), { recursive: true });
      await appendFile(path, `${JSON.stringify(record)}\n`, "utf8");
    },
  };
}

export interface WebhookChannelOptions {
  readonly url: string;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly backoffMs: number;
  /** Waits between attempts; injectable so tests do not wait. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly fetch?: typeof fetch;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * POSTs the alert as JSON. Each attempt has its own timeout; a failure (network, timeout,
 * non-2xx) is retried `retries` times, waiting backoffMs, 2×, 4×… between attempts.
 */
export function webhookChannel(options: WebhookChannelOptions): AlertChannel {
  let parsed: URL;
  try {
    parsed = new URL(options.url);
  } catch {
    throw new RangeError(
      `${ALERT_SECRET_ENV.webhookUrl} must be an http(s) URL (value not shown: it is a secret)`,
    );
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new RangeError(
      `${ALERT_SECRET_ENV.webhookUrl} must be an http(s) URL, got a ${parsed.protocol} URL`,
    );
  }
  const sleep = options.sleep ?? realSleep;
  const doFetch = options.fetch ?? fetch;
  const secrets = [
    options.url,
    parsed.password,
    parsed.username,
    parsed.search.slice(1),
    parsed.pathname,
  ];
  const attemptOnce = async (body: string): Promise<void> => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), options.timeoutMs);
    try {
      const response = await doFetch(options.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
        signal: controller.signal,
      });
      await response.arrayBuffer().catch(() => undefined);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
    } catch (error) {
      if (controller.signal.aborted) throw new Error(`no answer within ${options.timeoutMs} ms`);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    name: "webhook",
    async send(alert) {
      const body = JSON.stringify(alert);
      const errors: string[] = [];
      for (let attempt = 0; attempt <= options.retries; attempt++) {
        if (attempt > 0) await sleep(options.backoffMs * 2 ** (attempt - 1));
        try {
          await attemptOnce(body);
          return;
        } catch (error) {
          const cause = (error as { cause?: { message?: string } }).cause?.message;
          errors.push(`${(error as Error).message}${cause ? ` (${cause})` : ""}`);
        }
      }
      throw new Error(
        redactSecrets(
          `webhook POST failed after ${errors.length} attempt(s): ${errors.join("; ")}`,
          secrets,
        ),
      );
    },
  };
}

export interface EmailChannelOptions {
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
  readonly from: string;
  readonly to: readonly string[];
  readonly timeoutMs: number;
  /** From the environment only (TRADER_SMTP_USER / TRADER_SMTP_PASSWORD). */
  readonly user?: string;
  readonly password?: string;
  /** Tests against a local server without a certificate. */
  readonly allowUnverifiedTls?: boolean;
}

/** Sends each alert as one e-mail over SMTP: "[LEVEL] account: title", text, and HTML when there is one. */
export function emailChannel(options: EmailChannelOptions): AlertChannel {
  const transport = createTransport({
    host: options.host,
    port: options.port,
    secure: options.secure,
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
    ...(options.user ? { auth: { user: options.user, pass: options.password ?? "" } } : {}),
    ...(options.allowUnverifiedTls ? { tls: { rejectUnauthorized: false } } : {}),
  });
  const secrets = [options.password, options.user];
  return {
    name: "email",
    async send(alert) {
      try {
        await transport.sendMail({
          from: options.from,
          to: [...options.to],
          subject: `[${alert.level}] ${alert.account}: ${alert.title}`,
          text: `${alert.message}\n\nalert ${alert.id} · ${alert.code} · ${alert.at}\nsource: ${alert.source.stream} #${alert.source.revision}\n`,
          ...(alert.html ? { html: alert.html } : {}),
          headers: { "X-Trader-Alert-Level": alert.level, "X-Trader-Alert-Id": alert.id },
        });
      } catch (error) {
        throw new Error(
          redactSecrets(`SMTP delivery failed: ${(error as Error).message}`, secrets),
        );
      }
    },
    async close() {
      transport.close();
    },
  };
}

export interface AlertChannelDeps {
  /** Environment to read secrets from (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly write?: (line: string) => void;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * The channels the config's routes name, built from the config and the environment. A routed
 * webhook without TRADER_WEBHOOK_URL is refused here, before anything runs.
 */
export function createAlertChannels(
  config: AlertsConfig,
  deps: AlertChannelDeps = {},
): Record<string, AlertChannel> {
  const env = deps.env ?? process.env;
  const used = new Set<AlertChannelKind>([
    ...config.routes.CRITICAL,
    ...config.routes.WARNING,
    ...config.routes.INFO,
  ]);
  const channels: Record<string, AlertChannel> = {};
  if (used.has("console")) channels.console = consoleChannel(deps.write);
  if (used.has("file")) channels.file = fileChannel(config.file.path);
  if (used.has("webhook")) {
    const url = env[ALERT_SECRET_ENV.webhookUrl];
    if (!url) {
      throw new RangeError(
        `alerts.routes sends to "webhook" but ${ALERT_SECRET_ENV.webhookUrl} is not set (the URL is a secret: environment only)`,
      );
    }
    channels.webhook = webhookChannel({
      url,
      ...config.webhook,
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
    });
  }
  if (used.has("email") && config.email) {
    const user = env[ALERT_SECRET_ENV.smtpUser];
    const password = env[ALERT_SECRET_ENV.smtpPassword];
    if (password && !user) {
      throw new RangeError(
        `${ALERT_SECRET_ENV.smtpPassword} is set but ${ALERT_SECRET_ENV.smtpUser} is not`,
      );
    }
    channels.email = emailChannel({
      ...config.email,
      ...(user ? { user } : {}),
      ...(password ? { password } : {}),
    });
  }
  return channels;
}
