/**
 * Alpaca credentials come only from the environment, under the SDK's own variable names. Errors
 * name the variable, never its value, and the returned object prints the secret as redacted.
 */

export const ALPACA_KEY_ID_VARIABLE = "APCA_API_KEY_ID";
export const ALPACA_SECRET_VARIABLE = "APCA_API_SECRET_KEY";
/** "true" for the paper account, "false" for live; unset means paper. */
export const ALPACA_PAPER_VARIABLE = "APCA_PAPER";

export const REDACTED = "[redacted]";

export interface AlpacaCredentials {
  readonly keyId: string;
  readonly secret: string;
  /** true: paper-api.alpaca.markets; false: api.alpaca.markets (real money). */
  readonly paper: boolean;
}

export interface AlpacaCredentialsOptions {
  /** Paper or live, chosen by the caller; wins over APCA_PAPER. */
  readonly paper?: boolean;
}

/**
 * Reads APCA_API_KEY_ID and APCA_API_SECRET_KEY. Paper or live: the explicit `paper` option,
 * else APCA_PAPER ("true"/"false"), else paper, so trading real money is always a stated choice.
 */
export function alpacaCredentialsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  options: AlpacaCredentialsOptions = {},
): AlpacaCredentials {
  const keyId = requiredVariable(env, ALPACA_KEY_ID_VARIABLE);
  const secret = requiredVariable(env, ALPACA_SECRET_VARIABLE);
  const paper = options.paper ?? paperFromEnv(env[ALPACA_PAPER_VARIABLE]);
  return withRedactedPrinting({ keyId, secret, paper });
}

function requiredVariable(env: Readonly<Record<string, string | undefined>>, name: string) {
  const value = env[name]?.trim();
  if (!value) {
    throw new RangeError(
      `Alpaca credentials: environment variable ${name} is missing or empty; set it to your Alpaca API ${name === ALPACA_SECRET_VARIABLE ? "secret key" : "key id"}`,
    );
  }
  return value;
}

function paperFromEnv(raw: string | undefined): boolean {
  if (raw === undefined || raw.trim() === "") return true;
  const normalized = raw.trim().toLowerCase();
  if (normalized === "true") return true;
  if (normalized === "false") return false;
  throw new RangeError(
    `Alpaca credentials: ${ALPACA_PAPER_VARIABLE} must be "true" (paper) or "false" (live), got "${raw}"`,
  );
}

/**
 * JSON.stringify, util.inspect and console.log of the credentials show the secret as
 * "[redacted]": logging a config object is the usual way a secret ends up in a log file.
 * The hooks are not enumerable, so `{ ...credentials }` still copies just the three fields.
 */
function withRedactedPrinting(credentials: AlpacaCredentials): AlpacaCredentials {
  const printable = () => ({ ...credentials, secret: REDACTED });
  return Object.defineProperties(credentials, {
    toJSON: { value: printable },
    [Symbol.for("nodejs.util.inspect.custom")]: { value: printable },
    toString: { value: () => JSON.stringify(printable()) },
  });
}
