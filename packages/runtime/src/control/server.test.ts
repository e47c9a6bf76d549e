import { request as httpRequest } from "node:http";
import { createAccountModel, manualClock } from "@trader/core";
import { createMemoryStore } from "@trader/store";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { TEST_CALENDAR } from "../testing/cycle-fixture.js";
import { signedRequest } from "./client.js";
import { CONTROL_PATHS, type ControlServer, controlServer } from "./server.js";
import { canonicalRequest, signatureOf } from "./signing.js";

const SECRET = "0123456789abcdef0123456789abcdef-test-secret";
const WRONG_SECRET = "fedcba9876543210fedcba9876543210-not-the-secret";
const NOW = "2026-03-02T15:00:00.000Z";
const NOW_SECONDS = String(Date.parse(NOW) / 1000);

const servers: ControlServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function startServer(overrides: { maxBodyBytes?: number; metricsPublic?: boolean } = {}) {
  const store = createMemoryStore();
  const clock = manualClock(NOW);
  const model = createAccountModel({ calendar: TEST_CALENDAR });
  const server = await controlServer({
    store,
    model,
    account: "acct-control",
    clock,
    secret: SECRET,
    ...overrides,
  });
  servers.push(server);
  return { server, store, clock, model };
}

/** A raw request with exactly the headers and body given (no signing). */
function rawRequest(
  url: string,
  options: { method: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const request = httpRequest(
      {
        hostname,
        port,
        path: options.path,
        method: options.method,
        headers: options.headers ?? {},
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            text: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        response.on("error", reject);
      },
    );
    // The server may answer (413) and close before the whole body is written.
    request.on("error", (error: NodeJS.ErrnoException) =>
      error.code === "ECONNRESET" || error.code === "EPIPE"
        ? resolve({ status: -1, text: "" })
        : reject(error),
    );
    request.end(options.body);
  });
}

/** Headers signed by hand, so a test can get one part wrong. */
function signedHeaders(parts: {
  method: string;
  path: string;
  body: string;
  timestamp?: string;
  nonce?: string;
  secret?: string;
}): Record<string, string> {
  const timestamp = parts.timestamp ?? NOW_SECONDS;
  const nonce = parts.nonce ?? `nonce-${Math.random().toString(36).slice(2)}-0000000000`;
  return {
    "x-trader-timestamp": timestamp,
    "x-trader-nonce": nonce,
    "x-trader-signature": signatureOf(parts.secret ?? SECRET, { ...parts, timestamp, nonce }),
    "content-type": "application/json",
  };
}

const TRIGGER = { reason: "broker outage", triggered_by: "alice" };

describe("controlServer: accepted calls", () => {
  it("a signed trigger pulls the kill switch, recorded with who and why; status and reset follow", async () => {
    const { server, store, clock } = await startServer();
    const triggered = await signedRequest({
      url: server.url,
      method: "POST",
      path: CONTROL_PATHS.trigger,
      body: TRIGGER,
      secret: SECRET,
      clock,
    });
    expect(triggered.status).toBe(200);
    expect(triggered.body).toMatchObject({
      ok: true,
      recorded: ["KillSwitchActivated"],
      status: "ENTRIES",
      kills: [
        {
          scope: "global",
          level: "entries",
          source: "control_api",
          operator: "alice",
          reason: "broker outage",
        },
      ],
    });
    // Recorded on today's New York trading day stream.
    const recorded = [];
    for await (const event of store.readStream("day-acct-control-2026-03-02")) recorded.push(event);
    expect(recorded.map((event) => event.type)).toEqual(["KillSwitchActivated"]);

    const status = await signedRequest({
      url: server.url,
      method: "GET",
      path: CONTROL_PATHS.status,
      secret: SECRET,
      clock,
    });
    expect(status).toMatchObject({ status: 200, body: { status: "ENTRIES" } });

    const reset = await signedRequest({
      url: server.url,
      method: "POST",
      path: CONTROL_PATHS.reset,
      body: { reason: "outage over", reset_by: "bob" },
      secret: SECRET,
      clock,
    });
    expect(reset).toMatchObject({
      status: 200,
      body: { recorded: ["KillSwitchReset"], status: "INACTIVE", kills: [] },
    });
  });

  it("level all and a per-strategy kill are passed through", async () => {
    const { server, clock } = await startServer();
    const response = await signedRequest({
      url: server.url,
      method: "POST",
      path: CONTROL_PATHS.trigger,
      body: { ...TRIGGER, level: "all", strategy: "holder" },
      secret: SECRET,
      clock,
    });
    expect(response.body).toMatchObject({
      status: "ALL",
      kills: [{ scope: "strategy holder", level: "all" }],
    });
  });

  it("a reset with nothing to reset is refused with 409 and the refusal's code", async () => {
    const { server, clock } = await startServer();
    const response = await signedRequest({
      url: server.url,
      method: "POST",
      path: CONTROL_PATHS.reset,
      body: { reason: "just in case", reset_by: "bob" },
      secret: SECRET,
      clock,
    });
    expect(response).toMatchObject({ status: 409, body: { error: "no_active_kill" } });
  });

  it("/healthz needs no signature and says only ok", async () => {
    const { server } = await startServer();
    expect(await rawRequest(server.url, { method: "GET", path: "/healthz" })).toEqual({
      status: 200,
      text: "ok\n",
    });
  });

  it("/metrics needs a signature unless metricsPublic", async () => {
    const { server, clock } = await startServer();
    expect((await rawRequest(server.url, { method: "GET", path: "/metrics" })).status).toBe(401);
    const signed = await signedRequest({
      url: server.url,
      method: "GET",
      path: "/metrics",
      secret: SECRET,
      clock,
    });
    expect(signed.status).toBe(200);
    expect(signed.text).toContain(
      'trader_kill_switch_state{state="INACTIVE",account="acct-control"} 1',
    );
    const open = await startServer({ metricsPublic: true });
    const scraped = await rawRequest(open.server.url, { method: "GET", path: "/metrics" });
    expect(scraped.status).toBe(200);
    expect(scraped.text).toContain("trader_runs_total");
  });
});

describe("controlServer: authentication", () => {
  const body = JSON.stringify(TRIGGER);
  const path = CONTROL_PATHS.trigger;

  it("a wrong signature, or one signed with another secret, is a bare 401", async () => {
    const { server } = await startServer();
    const headers = signedHeaders({ method: "POST", path, body });
    headers["x-trader-signature"] = `${"0".repeat(63)}1`;
    const response = await rawRequest(server.url, { method: "POST", path, headers, body });
    expect(response).toEqual({ status: 401, text: '{"error":"unauthorized"}\n' });
    const otherKey = signedHeaders({ method: "POST", path, body, secret: WRONG_SECRET });
    expect(
      (await rawRequest(server.url, { method: "POST", path, headers: otherKey, body })).status,
    ).toBe(401);
  });

  it("a signature over a different body or path is refused", async () => {
    const { server } = await startServer();
    const headers = signedHeaders({ method: "POST", path, body });
    const tampered = JSON.stringify({ ...TRIGGER, level: "all" });
    expect(
      (await rawRequest(server.url, { method: "POST", path, headers, body: tampered })).status,
    ).toBe(401);
    const forReset = signedHeaders({ method: "POST", path: CONTROL_PATHS.reset, body });
    expect(
      (await rawRequest(server.url, { method: "POST", path, headers: forReset, body })).status,
    ).toBe(401);
  });

  it.each(["x-trader-timestamp", "x-trader-nonce", "x-trader-signature"])(
    "a request without %s is refused",
    async (missing) => {
      const { server } = await startServer();
      const headers = signedHeaders({ method: "POST", path, body });
      delete headers[missing];
      expect((await rawRequest(server.url, { method: "POST", path, headers, body })).status).toBe(
        401,
      );
    },
  );

  it("timestamps more than 5 minutes old or ahead are refused; 4 minutes either way is accepted", async () => {
    const { server } = await startServer();
    const at = (offsetSeconds: number) => String(Number(NOW_SECONDS) + offsetSeconds);
    for (const offset of [-301, 301, -3600, 3600]) {
      const headers = signedHeaders({ method: "POST", path, body, timestamp: at(offset) });
      expect(
        (await rawRequest(server.url, { method: "POST", path, headers, body })).status,
        `offset ${offset}s`,
      ).toBe(401);
    }
    for (const offset of [-240, 240]) {
      const headers = signedHeaders({ method: "POST", path, body, timestamp: at(offset) });
      expect(
        (await rawRequest(server.url, { method: "POST", path, headers, body })).status,
        `offset ${offset}s`,
      ).toBe(200);
    }
  });

  it("a replayed request (same nonce) is refused even with a fresh signature", async () => {
    const { server, clock } = await startServer();
    const headers = signedHeaders({ method: "POST", path, body, nonce: "replayed-nonce-0001" });
    expect((await rawRequest(server.url, { method: "POST", path, headers, body })).status).toBe(
      200,
    );
    expect((await rawRequest(server.url, { method: "POST", path, headers, body })).status).toBe(
      401,
    );
    clock.advance(60_000);
    const resigned = signedHeaders({
      method: "POST",
      path,
      body,
      nonce: "replayed-nonce-0001",
      timestamp: String(Number(NOW_SECONDS) + 60),
    });
    expect(
      (await rawRequest(server.url, { method: "POST", path, headers: resigned, body })).status,
    ).toBe(401);
  });

  it("a forged request does not burn the nonce of a genuine one", async () => {
    const { server } = await startServer();
    const nonce = "shared-nonce-000001";
    const forged = signedHeaders({ method: "POST", path, body, nonce, secret: WRONG_SECRET });
    expect(
      (await rawRequest(server.url, { method: "POST", path, headers: forged, body })).status,
    ).toBe(401);
    const genuine = signedHeaders({ method: "POST", path, body, nonce });
    expect(
      (await rawRequest(server.url, { method: "POST", path, headers: genuine, body })).status,
    ).toBe(200);
  });
});

describe("controlServer: requests it refuses before acting", () => {
  const path = CONTROL_PATHS.trigger;

  it("a body over the limit gets 413, declared or not", async () => {
    const { server } = await startServer({ maxBodyBytes: 1024 });
    const body = JSON.stringify({ ...TRIGGER, reason: "x".repeat(2000) });
    const headers = signedHeaders({ method: "POST", path, body });
    const declared = await rawRequest(server.url, { method: "POST", path, headers, body });
    expect(declared.status).toBe(413);
    // Chunked: no content-length, so the limit is enforced while reading.
    const chunked = await rawRequest(server.url, {
      method: "POST",
      path,
      headers: { ...headers, "transfer-encoding": "chunked" },
      body,
    });
    expect(chunked.status).toBe(413);
  });

  it("the default limit is 16 KiB", async () => {
    const { server } = await startServer();
    const body = JSON.stringify({ ...TRIGGER, reason: "x".repeat(17 * 1024) });
    const headers = signedHeaders({ method: "POST", path, body });
    const response = await rawRequest(server.url, { method: "POST", path, headers, body });
    expect(response.status).toBe(413);
  });

  it("malformed JSON is a 400", async () => {
    const { server } = await startServer();
    const body = '{"reason": "oops",';
    const headers = signedHeaders({ method: "POST", path, body });
    const response = await rawRequest(server.url, { method: "POST", path, headers, body });
    expect(response.status).toBe(400);
    expect(response.text).toContain("JSON");
  });

  it.each([
    [{ triggered_by: "alice" }, "reason"],
    [{ reason: "outage" }, "triggered_by"],
    [{ reason: "   ", triggered_by: "alice" }, "reason"],
    [{ ...TRIGGER, level: "everything" }, "level"],
    [{ ...TRIGGER, triggeredBy: "alice" }, "triggeredBy"],
  ])("trigger body %j is a 400 naming %s", async (payload, field) => {
    const { server, clock } = await startServer();
    const response = await signedRequest({
      url: server.url,
      method: "POST",
      path,
      body: payload,
      secret: SECRET,
      clock,
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toContain(field);
  });

  it("a reset without reset_by is a 400 naming it", async () => {
    const { server, clock } = await startServer();
    const response = await signedRequest({
      url: server.url,
      method: "POST",
      path: CONTROL_PATHS.reset,
      body: { reason: "done" },
      secret: SECRET,
      clock,
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toContain("reset_by");
  });

  it("wrong method is 405 with Allow; an unknown path is 404", async () => {
    const { server } = await startServer();
    expect((await rawRequest(server.url, { method: "GET", path })).status).toBe(405);
    expect(
      (await rawRequest(server.url, { method: "DELETE", path: CONTROL_PATHS.status })).status,
    ).toBe(405);
    expect((await rawRequest(server.url, { method: "GET", path: "/api/v1/nope" })).status).toBe(
      404,
    );
  });
});

describe("controlServer: start-up", () => {
  const base = () => ({
    store: createMemoryStore(),
    model: createAccountModel({ calendar: TEST_CALENDAR }),
    account: "acct-control",
    clock: manualClock(NOW),
  });

  it("refuses to start without KILL_SWITCH_SECRET", async () => {
    await expect(controlServer({ ...base(), secret: undefined })).rejects.toThrow(
      /KILL_SWITCH_SECRET is not set.*at least 32 bytes/,
    );
    await expect(controlServer({ ...base(), secret: "" })).rejects.toThrow(/KILL_SWITCH_SECRET/);
  });

  it("refuses a secret shorter than 32 bytes, naming its length", async () => {
    await expect(controlServer({ ...base(), secret: "x".repeat(31) })).rejects.toThrow(
      /KILL_SWITCH_SECRET is 31 bytes.*at least 32 bytes/,
    );
  });

  it("binds to 127.0.0.1 by default", async () => {
    const server = await controlServer({ ...base(), secret: SECRET });
    servers.push(server);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});

describe("the canonical string", () => {
  it("is METHOD, path, timestamp, nonce and body joined by newlines", () => {
    expect(
      canonicalRequest({
        method: "post",
        path: "/api/v1/safety/kill-switch/trigger",
        timestamp: "1772463600",
        nonce: "0123456789abcdef",
        body: '{"reason":"r","triggered_by":"me"}',
      }),
    ).toBe(
      'POST\n/api/v1/safety/kill-switch/trigger\n1772463600\n0123456789abcdef\n{"reason":"r","triggered_by":"me"}',
    );
  });
});

describe("fuzz: no 2xx without a valid signature", () => {
  it("random methods, paths, headers, bodies and timestamps, unsigned or signed with the wrong key", async () => {
    const { server } = await startServer();
    const paths = [
      CONTROL_PATHS.trigger,
      CONTROL_PATHS.status,
      CONTROL_PATHS.reset,
      CONTROL_PATHS.metrics,
      "/api/v1/safety/kill-switch",
      "/api/v1/safety/kill-switch/trigger/",
      "/API/V1/SAFETY/KILL-SWITCH/TRIGGER",
      "/api/v1/safety/kill-switch/trigger?x=1",
      "//api/v1/safety/kill-switch/status",
      "/",
    ];
    const request = fc.record({
      method: fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH"),
      path: fc.constantFrom(...paths),
      body: fc.oneof(
        fc.constant(JSON.stringify(TRIGGER)),
        fc.json(),
        fc.string({ maxLength: 200 }),
      ),
      timestampOffset: fc.integer({ min: -7200, max: 7200 }),
      timestampText: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
      nonce: fc.option(fc.stringMatching(/^[A-Za-z0-9_-]{0,40}$/), { nil: undefined }),
      signing: fc.constantFrom("none", "wrong-key", "garbage", "wrong-key-upper"),
    });
    await fc.assert(
      fc.asyncProperty(request, async (input) => {
        const timestamp =
          input.timestampText ?? String(Number(NOW_SECONDS) + input.timestampOffset);
        const headers: Record<string, string> = {};
        const safe = (value: string) => value.replace(/[^\x20-\x7e]/g, "");
        headers["x-trader-timestamp"] = safe(timestamp);
        if (input.nonce !== undefined) headers["x-trader-nonce"] = input.nonce;
        if (input.signing !== "none") {
          const signature =
            input.signing === "garbage"
              ? "zz".repeat(32)
              : signatureOf(WRONG_SECRET, {
                  method: input.method,
                  path: input.path,
                  timestamp: headers["x-trader-timestamp"] as string,
                  nonce: input.nonce ?? "",
                  body: input.body,
                });
          headers["x-trader-signature"] =
            input.signing === "wrong-key-upper" ? signature.toUpperCase() : signature;
        }
        const withBody = input.method !== "GET";
        const response = await rawRequest(server.url, {
          method: input.method,
          path: input.path,
          headers,
          ...(withBody ? { body: input.body } : {}),
        });
        expect(response.status < 200 || response.status >= 300, JSON.stringify(input)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});
