/**
 * Checks on the raw config before the schema reads it: keys that look like credentials (which
 * never belong in a config file) and keys the schema does not know (a typo must not silently
 * fall back to a default; the core's schemas would strip them without a word).
 */
import type { z } from "zod";
import { CONFIG_ENVIRONMENT_VARIABLES } from "./env-overrides.js";
import { type ConfigPath, isPlainObject } from "./paths.js";
import { schemaNode } from "./schema-walk.js";

export interface InputProblem {
  readonly path: ConfigPath;
  readonly rule: string;
  /** The value looks like a credential: never echo it. */
  readonly hidden?: boolean;
}

const CREDENTIAL_WORDS = [
  "secret",
  "password",
  "passwd",
  "apikey",
  "keyid",
  "token",
  "privatekey",
  "accesskey",
  "credential",
];

export const CREDENTIALS_RULE =
  "looks like a credential; credentials never go in a config file: set them in the environment (Alpaca: APCA_API_KEY_ID and APCA_API_SECRET_KEY; KurrentDB: KURRENTDB_CONNECTION_STRING)";

/** keyId, api_key, SECRET, alpacaPassword, ... */
export function looksLikeCredentialKey(key: string): boolean {
  const squashed = key.toLowerCase().replace(/[^a-z]/g, "");
  return CREDENTIAL_WORDS.some((word) => squashed.includes(word));
}

/** A URL with a password in it: `kurrentdb://admin:changeit@host`. */
export function hasUrlPassword(text: string): boolean {
  return /\/\/[^/:@\s]*:[^/@\s]+@/.test(text);
}

/**
 * Every key anywhere in a config file that looks like a credential (strategy params included),
 * and every URL with a password. Run on the file only: the environment is where they belong.
 */
export function findCredentials(input: unknown, path: ConfigPath = []): InputProblem[] {
  if (typeof input === "string" && hasUrlPassword(input)) {
    return [
      {
        path,
        hidden: true,
        rule: "has a password in it; put the connection string with its credentials in KURRENTDB_CONNECTION_STRING instead",
      },
    ];
  }
  if (Array.isArray(input))
    return input.flatMap((item, index) => findCredentials(item, [...path, index]));
  if (!isPlainObject(input)) return [];
  return Object.entries(input).flatMap(([key, value]) =>
    looksLikeCredentialKey(key)
      ? [{ path: [...path, key], hidden: true, rule: CREDENTIALS_RULE }]
      : findCredentials(value, [...path, key]),
  );
}

const ENV_NAME_TO_PATH = new Map(
  CONFIG_ENVIRONMENT_VARIABLES.map((variable) => [variable.name, variable.path]),
);

/** Keys in `input` that `schema` does not declare, at every depth, with a suggestion. */
export function findUnknownKeys(
  schema: z.core.$ZodType,
  input: unknown,
  path: ConfigPath = [],
): InputProblem[] {
  const node = schemaNode(schema);
  switch (node.kind) {
    case "object": {
      if (!isPlainObject(input)) return [];
      return Object.entries(input).flatMap(([key, value]) => {
        const child = Object.hasOwn(node.shape, key) ? node.shape[key] : undefined;
        if (child) return findUnknownKeys(child, value, [...path, key]);
        if (looksLikeCredentialKey(key)) {
          return [{ path: [...path, key], hidden: true, rule: CREDENTIALS_RULE }];
        }
        return [{ path: [...path, key], rule: unknownKeyRule(key, Object.keys(node.shape)) }];
      });
    }
    case "record":
      return isPlainObject(input)
        ? Object.entries(input).flatMap(([key, value]) =>
            findUnknownKeys(node.value, value, [...path, key]),
          )
        : [];
    case "array":
      return Array.isArray(input)
        ? input.flatMap((item, index) => findUnknownKeys(node.element, item, [...path, index]))
        : [];
    case "variants": {
      if (!isPlainObject(input)) return [];
      const chosen = node.variants.find((variant) => variant.tag === input[node.discriminator]);
      return chosen ? findUnknownKeys(chosen.schema, input, path) : [];
    }
    case "leaf":
      return [];
  }
}

function unknownKeyRule(key: string, known: readonly string[]): string {
  const envPath = ENV_NAME_TO_PATH.get(key);
  if (envPath) {
    return `unknown setting: ${key} is an environment variable; in a config file write ${envPath}`;
  }
  const suggestion = closestKey(key, known);
  const hint = suggestion ? `did you mean ${suggestion}? ` : "";
  return `unknown setting; ${hint}known here: ${known.join(", ")}`;
}

/** The known key a typo most likely meant: same letters ignoring case, or ≤ 2 edits away. */
function closestKey(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance =
      candidate.toLowerCase() === lower ? 0 : editDistance(lower, candidate.toLowerCase());
    if (distance <= 2 && (best === undefined || distance < best.distance)) {
      best = { key: candidate, distance };
    }
  }
  return best?.key;
}

/** Levenshtein distance, one row at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
