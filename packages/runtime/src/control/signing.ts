/**
 * The control API's request signature (SPEC §14): HMAC-SHA256 over the method, the path, a
 * timestamp, a nonce and the body, hex in a header. Shared by the server and the signing client
 * so the two cannot drift apart.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const TIMESTAMP_HEADER = "x-trader-timestamp";
export const NONCE_HEADER = "x-trader-nonce";
export const SIGNATURE_HEADER = "x-trader-signature";

/** Requests whose timestamp is further than this from the server's clock are refused. */
export const SIGNATURE_WINDOW_MS = 5 * 60 * 1000;
/** `KILL_SWITCH_SECRET` must be at least this many bytes (UTF-8). */
export const MIN_SECRET_BYTES = 32;

/** Unix seconds, digits only (what `date +%s` prints). */
const TIMESTAMP_PATTERN = /^\d{1,12}$/;
/** 16 to 128 URL-safe characters: a UUID or `openssl rand -hex 16` both fit. */
export const NONCE_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;
const SIGNATURE_PATTERN = /^[0-9a-f]{64}$/;

export interface SignedParts {
  /** Upper-case HTTP method, e.g. "POST". */
  readonly method: string;
  /** The request target as sent: path plus any query string, e.g. "/api/v1/safety/kill-switch/status". */
  readonly path: string;
  /** Unix seconds as a decimal string. */
  readonly timestamp: string;
  readonly nonce: string;
  /** The exact body bytes as sent (UTF-8); "" when there is none. */
  readonly body: string;
}

/** `${METHOD}\n${PATH}\n${TIMESTAMP}\n${NONCE}\n${BODY}`: the string the HMAC is computed over. */
export function canonicalRequest(parts: SignedParts): string {
  return `${parts.method.toUpperCase()}\n${parts.path}\n${parts.timestamp}\n${parts.nonce}\n${parts.body}`;
}

/** Lower-case hex HMAC-SHA256 of the canonical request under the secret. */
export function signatureOf(secret: string, parts: SignedParts): string {
  return createHmac("sha256", secret).update(canonicalRequest(parts), "utf8").digest("hex");
}

/**
 * Throws unless the secret is at least MIN_SECRET_BYTES long. The message names the environment
 * variable the operator sets, since that is where the secret comes from.
 */
export function assertControlSecret(secret: string | undefined): string {
  if (secret === undefined || secret.length === 0) {
    throw new Error(
      `KILL_SWITCH_SECRET is not set: the control API refuses to start without a secret of at least ${MIN_SECRET_BYTES} bytes (generate one with \`openssl rand -hex 32\`)`,
    );
  }
  const bytes = Buffer.byteLength(secret, "utf8");
  if (bytes < MIN_SECRET_BYTES) {
    throw new Error(
      `KILL_SWITCH_SECRET is ${bytes} bytes: the control API needs at least ${MIN_SECRET_BYTES} bytes (generate one with \`openssl rand -hex 32\`)`,
    );
  }
  return secret;
}

/** Timing-safe equality of two hex signatures; unequal lengths compare as different without a throw. */
export function signaturesMatch(expectedHex: string, presentedHex: string): boolean {
  if (!SIGNATURE_PATTERN.test(presentedHex)) return false;
  const expected = Buffer.from(expectedHex, "hex");
  const presented = Buffer.from(presentedHex, "hex");
  if (expected.length !== presented.length) return false;
  return timingSafeEqual(expected, presented);
}

export interface PresentedCredentials {
  readonly timestamp: string | undefined;
  readonly nonce: string | undefined;
  readonly signature: string | undefined;
}

/**
 * Remembers the nonces of accepted requests for the signature window (plus the same again for
 * clock skew), so a captured request cannot be replayed while its timestamp is still fresh. Only
 * requests with a valid signature reach it, so nobody without the secret can fill it.
 */
export class NonceLedger {
  private readonly seen = new Map<string, number>();

  constructor(private readonly windowMs: number = SIGNATURE_WINDOW_MS) {}

  /** True (and remembered) the first time a nonce is offered; false for a replay. */
  claim(nonce: string, nowMs: number): boolean {
    this.forgetBefore(nowMs - 2 * this.windowMs);
    if (this.seen.has(nonce)) return false;
    this.seen.set(nonce, nowMs);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  private forgetBefore(cutoffMs: number): void {
    // Insertion order is claim order, and claims come with a clock that only moves forward.
    for (const [nonce, at] of this.seen) {
      if (at >= cutoffMs) break;
      this.seen.delete(nonce);
    }
  }
}

/**
 * Whether a request's credentials are valid: all three present and well formed, the timestamp
 * within ±window of now, the signature right, and the nonce not seen before. No reason is given
 * back: the server answers every failure with the same bare 401.
 */
export function verifyRequest(options: {
  readonly secret: string;
  readonly method: string;
  readonly path: string;
  readonly body: string;
  readonly credentials: PresentedCredentials;
  readonly nowMs: number;
  readonly nonces: NonceLedger;
  readonly windowMs?: number;
}): boolean {
  const { timestamp, nonce, signature } = options.credentials;
  if (timestamp === undefined || nonce === undefined || signature === undefined) return false;
  if (!TIMESTAMP_PATTERN.test(timestamp) || !NONCE_PATTERN.test(nonce)) return false;
  const skewMs = Math.abs(options.nowMs - Number(timestamp) * 1000);
  if (skewMs > (options.windowMs ?? SIGNATURE_WINDOW_MS)) return false;
  const expected = signatureOf(options.secret, {
    method: options.method,
    path: options.path,
    timestamp,
    nonce,
    body: options.body,
  });
  if (!signaturesMatch(expected, signature.toLowerCase())) return false;
  // Claimed last: a forged request must not burn a legitimate client's nonce.
  return options.nonces.claim(nonce, options.nowMs);
}
