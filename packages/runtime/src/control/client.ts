/** The signing client for the control API: what `trader kill --remote <url>` sends. */
import { randomUUID } from "node:crypto";
import type { Clock } from "@trader/core";
import { NONCE_HEADER, SIGNATURE_HEADER, signatureOf, TIMESTAMP_HEADER } from "./signing.js";

export interface SignedRequestOptions {
  /** The server's base URL, e.g. "http://127.0.0.1:8787". */
  readonly url: string;
  readonly method: "GET" | "POST";
  /** e.g. "/api/v1/safety/kill-switch/trigger" */
  readonly path: string;
  /** Sent as JSON; omitted for a GET. */
  readonly body?: unknown;
  readonly secret: string;
  readonly clock: Clock;
  /** Default: a fresh random UUID. */
  readonly nonce?: string;
  /** Default 10 s. */
  readonly timeoutMs?: number;
}

export interface SignedResponse {
  readonly status: number;
  /** The parsed JSON body, or the raw text when it is not JSON. */
  readonly body: unknown;
  readonly text: string;
}

/** Signs a request with the shared secret (see signing.ts for the canonical string) and sends it. */
export async function signedRequest(options: SignedRequestOptions): Promise<SignedResponse> {
  const { method, path, secret, clock } = options;
  if (!path.startsWith("/")) {
    throw new Error(`signedRequest: path must start with "/" (got "${path}")`);
  }
  const body = options.body === undefined ? "" : JSON.stringify(options.body);
  const timestamp = String(Math.floor(clock.now() / 1000));
  const nonce = options.nonce ?? randomUUID();
  const signature = signatureOf(secret, { method, path, timestamp, nonce, body });
  const response = await fetch(new URL(path, options.url), {
    method,
    headers: {
      [TIMESTAMP_HEADER]: timestamp,
      [NONCE_HEADER]: nonce,
      [SIGNATURE_HEADER]: signature,
      ...(body ? { "content-type": "application/json" } : {}),
    },
    ...(body ? { body } : {}),
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON (e.g. /metrics or /healthz): keep the text.
  }
  return { status: response.status, body: parsed, text };
}
