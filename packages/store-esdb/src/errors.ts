/** The client's errors as the port's, and connection failures named with the host and a hint. */
import { ConcurrencyError, type ExpectedRevision } from "@trader/store";
import { fromCurrentState, fromStreamState } from "./conversions.js";

export const CONNECTION_ENV = "KURRENTDB_CONNECTION_STRING";

/** The KurrentDB server could not be reached (or stopped answering). */
export class EsdbUnavailableError extends Error {
  override readonly name = "EsdbUnavailableError";
  constructor(
    readonly host: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      `KurrentDB at ${host} is not reachable: ${reason}. ` +
        `Check that the server runs and that ${CONNECTION_ENV} (or the store config's connectionString) points at it`,
      options,
    );
  }
}

/** The host(s) of a connection string, for messages: `kurrentdb://u:p@a:2113,b:2113?tls=false` → `a:2113,b:2113`. */
export function hostOf(connectionString: string): string {
  const match = /^[a-z+]+:\/\/(?:[^@/?]*@)?([^/?]*)/i.exec(connectionString.trim());
  return match?.[1] || connectionString;
}

const UNAVAILABLE_TYPES = new Set(["unavailable", "deadline-exceeded", "timeout", "not-leader"]);

function errorType(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const type = (error as { type?: unknown }).type;
  return typeof type === "string" ? type : undefined;
}

export function isUnavailable(error: unknown): boolean {
  if (error instanceof EsdbUnavailableError) return true;
  const type = errorType(error);
  if (type !== undefined) return UNAVAILABLE_TYPES.has(type);
  const code = (error as { code?: unknown } | null)?.code;
  return code === "ECONNREFUSED" || code === "ECONNRESET" || code === "ENOTFOUND";
}

export interface ErrorContext {
  readonly host: string;
  readonly stream?: string;
  readonly expected?: ExpectedRevision;
}

/**
 * The port's error for a client error: a wrong expected version becomes `ConcurrencyError` (with
 * the stream, expected and actual revisions), an unreachable server `EsdbUnavailableError`; the
 * port's own errors and anything else pass through unchanged.
 */
export function translateError(error: unknown, context: ErrorContext): unknown {
  const type = errorType(error);
  if (type === "wrong-expected-version") {
    const wrong = error as { streamName?: unknown; expectedState?: unknown; actualState?: unknown };
    const stream = typeof wrong.streamName === "string" ? wrong.streamName : (context.stream ?? "");
    const expected = context.expected ?? fromStreamState(wrong.expectedState);
    return new ConcurrencyError(stream, expected, fromCurrentState(wrong.actualState));
  }
  if (!(error instanceof EsdbUnavailableError) && isUnavailable(error)) {
    const reason = error instanceof Error ? error.message : String(error);
    return new EsdbUnavailableError(context.host, reason || "unavailable", { cause: error });
  }
  return error;
}
