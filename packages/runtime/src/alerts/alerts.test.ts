import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Bar, manualClock, type PriceHistory } from "@trader/core";
import { createMemoryStore, type EventStore } from "@trader/store";
import { SMTPServer } from "smtp-server";
import { afterEach, describe, expect, it } from "vitest";
import { openTestAccount, scheduledWeights, TEST_CALENDAR } from "../testing/cycle-fixture.js";
import { type AlertChannel, consoleChannel, createAlertChannels, fileChannel } from "./channels.js";
import { alertCheckpointStream } from "./checkpoint-events.js";
import { parseAlertsConfig } from "./config.js";
import { renderDailyDigest } from "./digest.js";
import { createAlertDispatcher, dispatchPendingAlerts } from "./dispatcher.js";

const HOLD = "2026-03-02";
const DROP = "2026-03-03";
const AFTER = "2026-03-04";
const SMTP_USER = "alerts-user";
const SMTP_PASSWORD = "s3cret-smtp-password";
const WEBHOOK_TOKEN = "tok-9f8e7d6c5b4a";

/** AAA and BBB flat at $100, then both fall 18% on DROP: holding 25% each is a 9% drawdown (HALT). */
function droppingHistory(): PriceHistory {
  const dates: string[] = [AFTER];
  while (dates.length < 300) dates.unshift(TEST_CALENDAR.previousSession(dates[0] as string));
  const bars = (): Bar[] =>
    dates.map((date) => {
      const close = date >= DROP ? 82 : 100;
      return { date, open: close, high: close, low: close, close, volume: 1_000_000 };
    });
  return { AAA: bars(), BBB: bars() };
}

async function haltedStore(): Promise<{ store: EventStore; runAfter: () => Promise<void> }> {
  const store = createMemoryStore();
  const account = await openTestAccount({
    store,
    history: droppingHistory(),
    strategies: [scheduledWeights("holder", { [HOLD]: { AAA: 0.25, BBB: 0.25 } })],
  });
  await account.run(HOLD);
  await account.run(DROP);
  return { store, runAfter: async () => void (await account.run(AFTER)) };
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A local HTTP server answering the webhook with `statuses` in turn (then 200). */
async function webhookPeer(statuses: number[]) {
  const bodies: unknown[] = [];
  let calls = 0;
  const server: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      calls++;
      const status = statuses.shift() ?? 200;
      if (status === 200) bodies.push(JSON.parse(body));
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook?token=${WEBHOOK_TOKEN}`,
    bodies,
    calls: () => calls,
  };
}

/** A local SMTP server that requires the login and keeps each message's raw text. */
async function smtpPeer() {
  const messages: string[] = [];
  const logins: string[] = [];
  const server = new SMTPServer({
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onAuth(auth, _session, callback) {
      logins.push(`${auth.username}:${auth.password}`);
      if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD)
        callback(null, { user: auth.username });
      else callback(new Error("bad login"));
    },
    onData(stream, _session, callback) {
      let raw = "";
      stream.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
      stream.on("end", () => {
        messages.push(raw.replace(/=\r\n/g, ""));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.server.address() as AddressInfo;
  return { port, messages, logins };
}

async function tempFile() {
  const dir = await mkdtemp(join(tmpdir(), "alerts-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return join(dir, "alerts.jsonl");
}

async function checkpointText(store: EventStore, name: string): Promise<string> {
  const lines: string[] = [];
  for await (const event of store.readStream(alertCheckpointStream(name)))
    lines.push(JSON.stringify(event));
  return lines.join("\n");
}

describe("alerts over real local peers (SPEC §14)", () => {
  it("a HALT reaches console, file, webhook (after two failures) and e-mail, once; secrets stay out", async () => {
    const { store } = await haltedStore();
    const webhook = await webhookPeer([500, 503]);
    const smtp = await smtpPeer();
    const path = await tempFile();
    const lines: string[] = [];
    const waits: number[] = [];
    const config = parseAlertsConfig({
      routes: {
        CRITICAL: ["console", "file", "webhook", "email"],
        WARNING: ["file"],
        INFO: ["file"],
      },
      file: { path },
      webhook: { retries: 3, backoffMs: 100 },
      email: {
        host: "127.0.0.1",
        port: smtp.port,
        from: "trader@example.test",
        to: ["ops@example.test"],
      },
    });
    const env = {
      TRADER_WEBHOOK_URL: webhook.url,
      TRADER_SMTP_USER: SMTP_USER,
      TRADER_SMTP_PASSWORD: SMTP_PASSWORD,
    };
    const channels = () =>
      createAlertChannels(config, {
        env,
        write: (line) => lines.push(line),
        sleep: async (ms) => void waits.push(ms),
      });
    const options = {
      store,
      config,
      clock: manualClock("2026-03-03T21:00:00.000Z"),
      checkpoint: { name: "ops" },
    };

    const first = await dispatchPendingAlerts({ ...options, channels: channels() });
    expect(first.failed).toBe(0);

    // Console: one line for the HALT.
    expect(lines.filter((line) => line.includes("governor_halt"))).toHaveLength(1);
    expect(lines.find((line) => line.includes("governor_halt"))).toMatch(
      /^\[CRITICAL\] .* acct-test governor_halt: Drawdown HALT/,
    );
    // Webhook: two failures, then the JSON; backoff 100 then 200 ms.
    const halts = webhook.bodies.filter(
      (body) => (body as { code: string }).code === "governor_halt",
    );
    expect(halts).toHaveLength(1);
    expect(halts[0]).toMatchObject({
      level: "CRITICAL",
      account: "acct-test",
      source: { stream: `day-acct-test-${DROP}` },
    });
    expect(waits.slice(0, 2)).toEqual([100, 200]);
    // E-mail: logged in with the environment's credentials; subject and body name the level and the runbook.
    const mail = smtp.messages.find((message) => message.includes("Drawdown HALT"));
    expect(mail).toMatch(/Subject: \[CRITICAL\] acct-test: Drawdown HALT/);
    expect(mail).toContain("docs/runbook.md#the-drawdown-governor");
    expect(mail).toMatch(/X-Trader-Alert-Level: CRITICAL/);
    expect(smtp.logins[0]).toBe(`${SMTP_USER}:${SMTP_PASSWORD}`);
    // File: JSON lines, the HALT once, the daily digest as INFO.
    const records = (await readFile(path, "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(records.filter((r) => r.code === "governor_halt")).toHaveLength(1);
    expect(records.filter((r) => r.code === "daily_digest").map((r) => r.level)).toEqual([
      "INFO",
      "INFO",
    ]);

    // Again over the same store: nothing is sent twice.
    const before = { lines: lines.length, webhook: webhook.calls(), mail: smtp.messages.length };
    const second = await dispatchPendingAlerts({ ...options, channels: channels() });
    expect(second.sent).toBe(0);
    expect({ lines: lines.length, webhook: webhook.calls(), mail: smtp.messages.length }).toEqual(
      before,
    );

    // Secrets: not in the alert file, the checkpoint stream or the console.
    const everything = [
      await readFile(path, "utf8"),
      await checkpointText(store, "ops"),
      lines.join("\n"),
    ].join("\n");
    for (const secret of [SMTP_PASSWORD, WEBHOOK_TOKEN]) expect(everything).not.toContain(secret);
  });

  it("a failing webhook does not stop the console; its failure is recorded without the token and retried", async () => {
    const { store } = await haltedStore();
    const webhook = await webhookPeer([500]);
    const lines: string[] = [];
    const config = parseAlertsConfig({
      routes: { CRITICAL: ["webhook", "console"], WARNING: [], INFO: [] },
      webhook: { retries: 0 },
    });
    const channels = () =>
      createAlertChannels(config, {
        env: { TRADER_WEBHOOK_URL: webhook.url },
        write: (line) => lines.push(line),
      });
    const options = {
      store,
      config,
      clock: manualClock("2026-03-03T21:00:00.000Z"),
      checkpoint: { name: "ops" },
    };

    const first = await dispatchPendingAlerts({ ...options, channels: channels() });
    expect(first.failed).toBe(1);
    expect(lines.some((line) => line.includes("governor_halt"))).toBe(true);
    const recorded = await checkpointText(store, "ops");
    expect(recorded).toContain("AlertDeliveryFailed");
    expect(recorded).toContain("HTTP 500");
    expect(recorded).not.toContain(WEBHOOK_TOKEN);

    // The next dispatch retries the failure (the peer now answers 200); the console is not repeated.
    const consoleLines = lines.length;
    const second = await dispatchPendingAlerts({ ...options, channels: channels() });
    expect(second).toMatchObject({ sent: 1, failed: 0 });
    expect(webhook.bodies.map((body) => (body as { code: string }).code)).toEqual([
      "governor_halt",
    ]);
    expect(lines.length).toBe(consoleLines);
  });

  it("a live dispatcher resumes from its checkpoint after a restart and sends only what is new", async () => {
    const { store, runAfter } = await haltedStore();
    const sent: string[] = [];
    const recording: AlertChannel = {
      name: "spy",
      send: async (alert) => void sent.push(`${alert.level}:${alert.code}:${alert.id}`),
    };
    const config = parseAlertsConfig({
      routes: { CRITICAL: ["console"], WARNING: ["console"], INFO: ["console"] },
    });
    const open = () =>
      createAlertDispatcher({
        store,
        channels: { console: recording },
        config,
        clock: manualClock("2026-03-03T21:00:00.000Z"),
        checkpoint: { name: "live" },
        scheduleRetry: () => () => {},
      });

    const first = open();
    await first.start();
    await first.idle();
    await first.stop();
    const afterFirst = [...sent];
    expect(afterFirst.filter((entry) => entry.startsWith("CRITICAL:governor_halt"))).toHaveLength(
      1,
    );
    expect(new Set(afterFirst).size).toBe(afterFirst.length);

    const second = open();
    await second.start();
    await second.idle();
    expect(sent).toEqual(afterFirst);
    await runAfter();
    await second.idle();
    await second.stop();
    const fresh = sent.slice(afterFirst.length);
    expect(fresh.length).toBeGreaterThan(0);
    expect(fresh.some((entry) => entry.includes("daily_digest"))).toBe(true);
    expect(new Set(sent).size).toBe(sent.length);
  });

  it("a route to a channel that does not exist is refused, naming the level and the channel", () => {
    expect(() =>
      createAlertDispatcher({
        store: createMemoryStore(),
        channels: { console: consoleChannel(() => {}), file: fileChannel("/dev/null") },
        config: parseAlertsConfig({ routes: { CRITICAL: ["webhook"] } }),
        clock: manualClock(0),
        checkpoint: { name: "x" },
      }),
    ).toThrow(/routes\.CRITICAL sends to "webhook"/);
    expect(() => parseAlertsConfig({ routes: { CRITICAL: ["email"] } })).toThrow(/alerts\.email/);
    expect(() =>
      createAlertChannels(parseAlertsConfig({ routes: { CRITICAL: ["webhook"] } }), { env: {} }),
    ).toThrow(/TRADER_WEBHOOK_URL is not set/);
  });
});

describe("renderDailyDigest", () => {
  it("shows the day's runs, orders, funnel, governor HALT and alerts, in text and HTML", async () => {
    const { store } = await haltedStore();
    const events = [];
    const { typedAccountStore } = await import("../account/account-journal.js");
    for await (const event of typedAccountStore(store).readStream(`day-acct-test-${DROP}`))
      events.push(event);
    const digest = renderDailyDigest("acct-test", DROP, events);
    expect(digest.text).toContain("trader daily digest: acct-test, 2026-03-03");
    expect(digest.text).toMatch(/HALT at drawdown 9%/);
    expect(digest.text).toContain("[CRITICAL] Drawdown HALT");
    expect(digest.text).toMatch(/Runs\n {2}- paper:acct-test:2026-03-03:\S+: /);
    expect(digest.html).toContain("<h2>Signal funnel</h2>");
    expect(digest.html).not.toContain("<script");
  });
});
