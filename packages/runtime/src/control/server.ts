/**
 * The kill-switch control API (SPEC §14, the emergency-safety-controls seed, hardened): HMAC
 * signed requests to trigger, read and reset the kill switch, plus /healthz and /metrics.
 * Every accepted trigger or reset is an operator action recorded as an event (who, why).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type AccountModel,
  type Clock,
  KILL_LEVELS,
  killSwitchStatus,
  type Mode,
  newYorkDate,
  toIsoUtc,
} from "@trader/core";
import type { EventStore } from "@trader/store";
import { z } from "zod";
import { loadAccount, typedAccountStore } from "../account/account-journal.js";
import { collectMetrics, METRICS_CONTENT_TYPE } from "../metrics/metrics.js";
import {
  OperatorActionRefused,
  type OperatorContext,
  pullKill,
  resetKill,
} from "../operator/operator-actions.js";
import {
  assertControlSecret,
  NONCE_HEADER,
  NonceLedger,
  SIGNATURE_HEADER,
  SIGNATURE_WINDOW_MS,
  TIMESTAMP_HEADER,
  verifyRequest,
} from "./signing.js";

export const CONTROL_PATHS = {
  trigger: "/api/v1/safety/kill-switch/trigger",
  status: "/api/v1/safety/kill-switch/status",
  reset: "/api/v1/safety/kill-switch/reset",
  health: "/healthz",
  metrics: "/metrics",
} as const;

export const DEFAULT_MAX_BODY_BYTES = 16 * 1024;

const attribution = (field: string) =>
  z
    .string({ error: `${field} must be a string` })
    .trim()
    .min(1, { error: `${field} is required and must not be blank` })
    .max(500, { error: `${field} must be at most 500 characters` });

const strategyField = z
  .string({ error: "strategy must be a string" })
  .trim()
  .min(1, { error: "strategy must not be blank when given" })
  .max(200, { error: "strategy must be at most 200 characters" });

export const triggerBodySchema = z.strictObject({
  reason: attribution("reason"),
  triggered_by: attribution("triggered_by"),
  level: z
    .enum(KILL_LEVELS, { error: `level must be one of ${KILL_LEVELS.join(", ")}` })
    .optional(),
  strategy: strategyField.optional(),
});
export type TriggerBody = z.infer<typeof triggerBodySchema>;

export const resetBodySchema = z.strictObject({
  reason: attribution("reason"),
  reset_by: attribution("reset_by"),
  strategy: strategyField.optional(),
});
export type ResetBody = z.infer<typeof resetBodySchema>;

export interface ControlServerOptions {
  readonly store: EventStore;
  readonly model: AccountModel;
  readonly account: string;
  readonly clock: Clock;
  /** `KILL_SWITCH_SECRET`: at least 32 bytes, or the server refuses to start. */
  readonly secret: string | undefined;
  /** The mode recorded on the operator events (run ids); default "paper". */
  readonly mode?: Mode;
  /** Default 127.0.0.1: expose it further only behind something that terminates TLS. */
  readonly host?: string;
  /** Default 0: any free port (read it back from `url`). */
  readonly port?: number;
  /** Default 16 KiB; larger bodies get 413. */
  readonly maxBodyBytes?: number;
  /** Serve GET /metrics (default true). */
  readonly metrics?: boolean;
  /** Serve /metrics without a signature, for a Prometheus scraper (default false: signed like the rest). */
  readonly metricsPublic?: boolean;
  /** Told about unexpected errors (answered 500 without detail). */
  readonly onError?: (error: unknown) => void;
}

export interface ControlServer {
  /** e.g. "http://127.0.0.1:41234" */
  readonly url: string;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
  }
}

const unauthorized = () => new HttpError(401, { error: "unauthorized" });

function send(
  response: ServerResponse,
  status: number,
  body: string,
  contentType: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    "content-type": contentType,
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-store",
    ...headers,
  });
  response.end(body);
}

const sendJson = (
  response: ServerResponse,
  status: number,
  body: unknown,
  headers?: Record<string, string>,
) =>
  send(response, status, `${JSON.stringify(body)}\n`, "application/json; charset=utf-8", headers);

/** The body as a UTF-8 string, or a 413 as soon as it passes the limit (declared or actual). */
async function readBody(request: IncomingMessage, maxBytes: number): Promise<string> {
  const declared = Number(request.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new HttpError(413, { error: `body larger than ${maxBytes} bytes` });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBytes) throw new HttpError(413, { error: `body larger than ${maxBytes} bytes` });
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseJsonBody<T>(raw: string, schema: z.ZodType<T>): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new HttpError(400, { error: "the body must be a JSON object" });
  }
  const result = schema.safeParse(parsed);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => {
      const field = issue.path.join(".") || "body";
      const unknown = issue.code === "unrecognized_keys" ? issue.keys.join(", ") : null;
      return {
        field: unknown ?? field,
        message: unknown ? `unknown field(s): ${unknown}` : issue.message,
      };
    });
    throw new HttpError(400, {
      error: issues.map((issue) => `${issue.field}: ${issue.message}`).join("; "),
      issues,
    });
  }
  return result.data;
}

const header = (request: IncomingMessage, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? undefined : value;
};

/**
 * Starts the control API. Refuses (rejects) without a KILL_SWITCH_SECRET of at least 32 bytes.
 * Unknown paths answer 404 and wrong methods 405 before authentication (the routes are public
 * knowledge; nothing about the account is revealed); everything else past /healthz needs a
 * valid signature, and any authentication failure is a bare 401.
 */
export async function controlServer(options: ControlServerOptions): Promise<ControlServer> {
  const secret = assertControlSecret(options.secret);
  const {
    store,
    model,
    account,
    clock,
    mode = "paper",
    host = "127.0.0.1",
    port = 0,
    maxBodyBytes = DEFAULT_MAX_BODY_BYTES,
    metrics = true,
    metricsPublic = false,
  } = options;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes <= 0) {
    throw new Error(`controlServer: maxBodyBytes must be a positive integer (got ${maxBodyBytes})`);
  }
  const typed = typedAccountStore(store);
  const nonces = new NonceLedger(SIGNATURE_WINDOW_MS);
  // Operator actions read the account and append to today's stream: one at a time, or two
  // concurrent triggers would race for the same stream revision.
  let writes: Promise<unknown> = Promise.resolve();
  const serialised = <T>(action: () => Promise<T>): Promise<T> => {
    const next = writes.then(action, action);
    writes = next.catch(() => undefined);
    return next;
  };

  const operatorContext = (operator: string, reason: string): OperatorContext => ({
    store: typed,
    model,
    account,
    mode,
    clock,
    tradingDate: newYorkDate(toIsoUtc(clock.now())),
    operator,
    reason,
  });

  const killSwitchView = async () => {
    const { state } = await loadAccount(typed, model, account);
    return {
      account,
      status: killSwitchStatus(state.killSwitch),
      kills: Object.values(state.killSwitch.active).map((kill) => ({
        scope: kill.scope.kind === "global" ? "global" : `strategy ${kill.scope.strategy}`,
        level: kill.level,
        cause: kill.cause,
        source: kill.source,
        operator: kill.operator,
        reason: kill.reason,
        since: kill.since,
      })),
    };
  };

  const routes: Record<string, { method: "GET" | "POST"; signed: boolean }> = {
    [CONTROL_PATHS.trigger]: { method: "POST", signed: true },
    [CONTROL_PATHS.status]: { method: "GET", signed: true },
    [CONTROL_PATHS.reset]: { method: "POST", signed: true },
    [CONTROL_PATHS.health]: { method: "GET", signed: false },
    ...(metrics ? { [CONTROL_PATHS.metrics]: { method: "GET", signed: !metricsPublic } } : {}),
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const target = request.url ?? "/";
    const path = target.split("?", 1)[0] ?? "/";
    const method = request.method ?? "GET";
    const route = Object.hasOwn(routes, path) ? routes[path] : undefined;
    if (!route) throw new HttpError(404, { error: "not found" });
    if (method !== route.method) {
      throw new HttpError(405, { error: "method not allowed" }, { allow: route.method });
    }
    const body = await readBody(request, maxBodyBytes);
    if (route.signed) {
      const verified = verifyRequest({
        secret,
        method,
        path: target,
        body,
        credentials: {
          timestamp: header(request, TIMESTAMP_HEADER),
          nonce: header(request, NONCE_HEADER),
          signature: header(request, SIGNATURE_HEADER),
        },
        nowMs: clock.now(),
        nonces,
      });
      if (!verified) throw unauthorized();
    }
    switch (path) {
      case CONTROL_PATHS.health:
        return send(response, 200, "ok\n", "text/plain; charset=utf-8");
      case CONTROL_PATHS.metrics:
        return send(
          response,
          200,
          await collectMetrics({ store, model, account }),
          METRICS_CONTENT_TYPE,
        );
      case CONTROL_PATHS.status:
        return sendJson(response, 200, await killSwitchView());
      case CONTROL_PATHS.trigger: {
        const input = parseJsonBody(body, triggerBodySchema);
        const events = await serialised(() =>
          pullKill(operatorContext(input.triggered_by, input.reason), {
            source: "control_api",
            ...(input.level ? { level: input.level } : {}),
            ...(input.strategy ? { strategy: input.strategy } : {}),
          }),
        );
        return sendJson(response, 200, {
          ok: true,
          recorded: events.map((event) => event.type),
          ...(await killSwitchView()),
        });
      }
      case CONTROL_PATHS.reset: {
        const input = parseJsonBody(body, resetBodySchema);
        const events = await serialised(() =>
          resetKill(operatorContext(input.reset_by, input.reason), {
            ...(input.strategy ? { strategy: input.strategy } : {}),
          }),
        );
        return sendJson(response, 200, {
          ok: true,
          recorded: events.map((event) => event.type),
          ...(await killSwitchView()),
        });
      }
    }
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (error instanceof HttpError) {
        // An unread (oversized) body is not drained: the connection closes after the answer.
        const close: Record<string, string> = request.complete ? {} : { connection: "close" };
        sendJson(response, error.status, error.body, { ...error.headers, ...close });
      } else if (error instanceof OperatorActionRefused) {
        sendJson(response, 409, { error: error.code, message: error.message });
      } else {
        options.onError?.(error);
        sendJson(response, 500, { error: "internal error" });
      }
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
