/** What the loader reports when a config is bad, and how it reads. */

/** The `trader` command's exit code for a bad config: nothing was traded. */
export const CONFIG_ERROR_EXIT_CODE = 2;

/** Where a setting's value came from. */
export type ConfigSource = "default" | `file ${string}` | `env ${string}`;

export interface ConfigIssue {
  /** Dotted path of the setting, e.g. `governor.haltDrawdown`; "" for the config file itself. */
  readonly field: string;
  /** The offending value as given (credentials are never copied here). */
  readonly value: unknown;
  /** The rule it breaks, e.g. "must be < 1". */
  readonly rule: string;
  readonly source: ConfigSource;
}

/** Stands in for a value that looks like a credential, in messages and renderings. */
export const HIDDEN_VALUE = "(hidden)";

const MAX_VALUE_CHARS = 80;

/** A value for a one-line message: JSON-ish, shortened, credentials in URLs masked. */
export function formatConfigValue(value: unknown): string {
  if (value === undefined) return "(not set)";
  if (value === HIDDEN_VALUE) return HIDDEN_VALUE;
  const text = typeof value === "string" ? JSON.stringify(redactUrlPassword(value)) : json(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

function json(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text;
}

/** `kurrentdb://admin:changeit@host` → `kurrentdb://admin:***@host`. */
export function redactUrlPassword(text: string): string {
  return text.replace(/(\/\/[^/:@\s]*:)[^/@\s]+@/g, "$1***@");
}

/** One line: the field, its value and where it came from, then the rule. */
export function formatConfigIssue(issue: ConfigIssue): string {
  if (issue.field === "") return `${issue.source}: ${issue.rule}`;
  return `${issue.field} = ${formatConfigValue(issue.value)} (${issue.source}): ${issue.rule}`;
}

/** A config that cannot be used; the message has one line per problem. */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];
  readonly exitCode = CONFIG_ERROR_EXIT_CODE;

  constructor(issues: readonly ConfigIssue[]) {
    const count = issues.length === 1 ? "1 problem" : `${issues.length} problems`;
    super(
      [`invalid configuration (${count}):`, ...issues.map((i) => `  ${formatConfigIssue(i)}`)].join(
        "\n",
      ),
    );
    this.name = "ConfigError";
    this.issues = issues;
  }
}
