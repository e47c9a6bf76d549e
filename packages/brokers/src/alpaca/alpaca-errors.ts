/**
 * What an SDK failure means for the caller, as a BrokerError kind. See docs/brokers-alpaca.md
 * for the table. Every message passes through `redact`, so a credential echoed back by a server
 * or a proxy never reaches an error message or a log line.
 */
import { ApiError, FetchError } from "@alpacahq/alpaca-trade-api/rest";
import { BrokerError, type BrokerErrorKind } from "../port.js";

export type AlpacaOperation =
  | "account"
  | "positions"
  | "submitOrder"
  | "orderByClientId"
  | "cancelOrder"
  | "ordersSince";

export interface AlpacaErrorContext {
  readonly operation: AlpacaOperation;
  readonly timeoutMs: number;
  /** Replaces every credential in a text with "[redacted]". */
  readonly redact: (text: string) => string;
}

/** Alpaca's refusal of a reused client order id (HTTP 422, code 40010001); spelled both ways. */
const DUPLICATE_CLIENT_ORDER_ID = /client[\s_-]?order[\s_-]?id must be unique/i;

export function brokerErrorFromAlpaca(error: unknown, context: AlpacaErrorContext): BrokerError {
  if (error instanceof BrokerError) {
    return new BrokerError(error.kind, context.redact(error.message), error.detail);
  }
  const { operation, redact } = context;
  if (error instanceof ApiError) {
    const kind = kindForStatus(error.status, error.message, operation);
    const detail = {
      operation,
      status: error.status,
      ...(error.code === undefined ? {} : { alpacaCode: error.code }),
      ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
    };
    return new BrokerError(
      kind,
      redact(`Alpaca ${operation} failed with HTTP ${error.status}: ${error.message}`),
      detail,
    );
  }
  if (error instanceof FetchError) {
    const causeName = error.cause?.name;
    if (causeName === "TimeoutError" || causeName === "AbortError") {
      return new BrokerError(
        "timeout",
        `Alpaca ${operation} got no answer within ${context.timeoutMs} ms; a submitted order may or may not have arrived`,
        { operation, timeoutMs: context.timeoutMs },
      );
    }
    return new BrokerError(
      "unavailable",
      redact(`Alpaca ${operation} could not reach Alpaca: ${describeNetworkFailure(error)}`),
      { operation },
    );
  }
  if (error instanceof SyntaxError) {
    return new BrokerError(
      "protocol",
      redact(`Alpaca ${operation} answered with malformed JSON: ${error.message}`),
      { operation },
    );
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new BrokerError("protocol", redact(`Alpaca ${operation} failed: ${message}`), {
    operation,
  });
}

function kindForStatus(
  status: number,
  message: string,
  operation: AlpacaOperation,
): BrokerErrorKind {
  if (status === 401) return "auth";
  // Alpaca answers an order it will not take (buying power, shares held for other orders) with
  // 403; elsewhere 403 means the keys may not do this (e.g. live keys on the paper host).
  if (status === 403) return operation === "submitOrder" ? "rejected" : "auth";
  if (status === 404) return "not_found";
  if (status === 408) return "timeout";
  if (status === 429 || status >= 500) return "unavailable";
  if (status === 422 && operation === "submitOrder") {
    return DUPLICATE_CLIENT_ORDER_ID.test(message) ? "duplicate_client_order_id" : "rejected";
  }
  return "invalid_request";
}

/** "fetch failed" says little; the cause underneath names the socket error (ECONNREFUSED ...). */
function describeNetworkFailure(error: FetchError): string {
  const cause: unknown = error.cause;
  const inner = cause instanceof Error ? (cause as Error & { cause?: unknown }).cause : undefined;
  const code =
    inner !== null && typeof inner === "object" && "code" in inner ? String(inner.code) : "";
  const causeMessage = cause instanceof Error ? cause.message : String(cause);
  return code ? `${causeMessage} (${code})` : causeMessage;
}
