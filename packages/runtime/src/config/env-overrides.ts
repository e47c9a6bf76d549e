/**
 * Environment overrides with the seeds' names (SPEC §15). Each variable sets one setting and
 * wins over the config file. Units follow the seeds: every `_PCT`, `_THRESHOLD` and rate in
 * them is a fraction (DRAWDOWN_HALT_THRESHOLD=0.08 is 8%), so fractions are written as
 * fractions; a percentage is accepted only with an explicit sign ("8%"), never guessed.
 */
import { centsFromDollars } from "@trader/core";
import type { ConfigIssue, ConfigSource } from "./config-error.js";
import { type ConfigPath, mergeLayers, parseDottedPath, valueAt, withValueAt } from "./paths.js";

export const ENV_VALUE_KINDS = {
  boolean: "true or false (or 1/0, yes/no)",
  integer: "a whole number",
  number: "a number",
  fraction: "a fraction: 0.08, or 8% with the sign",
  list: "a comma-separated list (empty: none)",
  text: "text",
  dollars: "an amount in dollars (stored as cents)",
} as const;
export type EnvValueKind = keyof typeof ENV_VALUE_KINDS;

export interface ConfigEnvironmentVariable {
  readonly name: string;
  /** The setting it overrides (dotted); null for TRADER_CONFIG, which names the file itself. */
  readonly path: string | null;
  readonly kind: EnvValueKind;
  readonly description: string;
  /** Settings it sets along with `path`. */
  readonly implies?: Readonly<Record<string, string>>;
  /** It applies only when the setting `path` already holds `equals` (from the file or default). */
  readonly appliesWhen?: { readonly path: string; readonly equals: string };
}

/** The name of the variable that names the config file. */
export const CONFIG_FILE_ENV = "TRADER_CONFIG";

export const CONFIG_ENVIRONMENT_VARIABLES: readonly ConfigEnvironmentVariable[] = [
  {
    name: CONFIG_FILE_ENV,
    path: null,
    kind: "text",
    description:
      "The config file (.json, .yaml or .yml); a file given on the command line wins over it.",
  },
  {
    name: "TRADER_ACCOUNT",
    path: "account",
    kind: "text",
    description: "The account name; part of every run id and stream name.",
  },
  {
    name: "TRADER_STORE_DIR",
    path: "store.dir",
    kind: "text",
    implies: { "store.kind": "file" },
    description:
      "Use the embedded file store in this directory (replaces the whole store section).",
  },
  {
    name: "KURRENTDB_CONNECTION_STRING",
    path: "store.connectionString",
    kind: "text",
    appliesWhen: { path: "store.kind", equals: "esdb" },
    description:
      "The KurrentDB connection string, credentials included (never put them in the file).",
  },
  {
    name: "DRY_RUN",
    path: "dryRun",
    kind: "boolean",
    description: "Safe mode: decide and record everything, send no order to the broker.",
  },
  {
    name: "TRADING_DISABLED",
    path: "tradingDisabled",
    kind: "boolean",
    description: "The global manual kill switch: no risk-increasing orders while true.",
  },
  {
    name: "STRATEGY_DISABLED_LIST",
    path: "strategyDisabledList",
    kind: "list",
    description: "Strategies killed by name (comma-separated), e.g. sma-crossover.",
  },
  {
    name: "DRAWDOWN_HALT_THRESHOLD",
    path: "governor.haltDrawdown",
    kind: "fraction",
    description: "Drawdown from the high-water mark that halts new entries: 0.08 = 8%.",
  },
  {
    name: "DRAWDOWN_PANIC_THRESHOLD",
    path: "governor.panicDrawdown",
    kind: "fraction",
    description: "Drawdown that panics the governor: 0.10 = 10%; must exceed the halt threshold.",
  },
  {
    name: "HALT_COOLDOWN_DAYS",
    path: "governor.haltCooldownSessions",
    kind: "integer",
    description: "HALT cooldown in trading days (exchange sessions, not calendar days).",
  },
  {
    name: "PANIC_COOLDOWN_DAYS",
    path: "governor.panicCooldownSessions",
    kind: "integer",
    description: "PANIC cooldown in trading days (exchange sessions).",
  },
  {
    name: "RAMPUP_SIZING_PCT",
    path: "governor.rampUpSizing",
    kind: "fraction",
    description: "Sizing multiplier during RAMPUP; a fraction as in the seeds: 0.50 = half size.",
  },
  {
    name: "RAMPUP_DAYS",
    path: "governor.rampUpSessions",
    kind: "integer",
    description: "RAMPUP length in trading days (exchange sessions).",
  },
  {
    name: "FLATTEN_ON_PANIC",
    path: "governor.flattenOnPanic",
    kind: "boolean",
    description: "On entering PANIC, flatten every position.",
  },
  {
    name: "DATA_STALENESS_HOURS",
    path: "pipeline.dataQuality.maxAgeHours",
    kind: "number",
    description: "A symbol whose last bar is older than this many hours is blocked as stale.",
  },
  {
    name: "MAX_NAN_PCT",
    path: "pipeline.dataQuality.maxNanShare",
    kind: "fraction",
    description: "Largest share of missing values in an indicator's window: 0.10 = 10%.",
  },
  {
    name: "MIN_HISTORY_DAYS",
    path: "pipeline.dataQuality.minHistoryBars",
    kind: "integer",
    description: "Fewest daily bars of history a symbol needs (250 covers a 200-day average).",
  },
  {
    name: "MAX_PORTFOLIO_HEAT",
    path: "pipeline.risk.limits.maxPortfolioHeat",
    kind: "fraction",
    description:
      "Account limit on portfolio heat, Σ weight × annualized volatility: 0.30 = 30% (a strategy's risk profile may override it).",
  },
  {
    name: "MAX_DAILY_LOSS_PCT",
    path: "pipeline.risk.limits.dailyLossLimit",
    kind: "fraction",
    description: "Today's equity change at or below −this blocks new entries: 0.02 = 2%.",
  },
  {
    name: "MAX_CORRELATION",
    path: "pipeline.correlation.rejectAboveCorrelation",
    kind: "number",
    description:
      "|ρ| with a held position above which a signal is rejected (0 to 1; the runbook's example is 0.7, the default 0.8).",
  },
  {
    name: "PENDING_SIGNALS_DECAY_DAYS",
    path: "pendingSignals.decayDays",
    kind: "integer",
    description: "Trading days a stopped signal stays pending before it expires.",
  },
  {
    name: "ENABLE_BROKER_RECONCILIATION",
    path: "reconciliation.enabled",
    kind: "boolean",
    description: "Reconcile with the broker before every run that may trade (keep it on live).",
  },
  {
    name: "RECONCILIATION_TOLERANCE_PCT",
    path: "reconciliation.tolerance",
    kind: "fraction",
    description: "Largest relative difference of a position or of cash: 0.01 = 1%.",
  },
  {
    name: "HEALTH_SHORT_WINDOW",
    path: "health.shortWindowDays",
    kind: "integer",
    description: "Strategy health's short window, days.",
  },
  {
    name: "HEALTH_LONG_WINDOW",
    path: "health.longWindowDays",
    kind: "integer",
    description: "Strategy health's long window, days.",
  },
  {
    name: "HEALTH_MIN_TRADES",
    path: "health.minTrades",
    kind: "integer",
    description: "Fewest closed trades in the long window to score a strategy.",
  },
  {
    name: "MIN_TRADES_FOR_HEALTH",
    path: "health.minTrades",
    kind: "integer",
    description: "The seeds' name for HEALTH_MIN_TRADES (set only one).",
  },
  {
    name: "HEALTH_MAX_REJECTION_RATE",
    path: "health.maxRejectionRate",
    kind: "fraction",
    description: "A rejection rate at or above this earns no rejection points: 0.80 = 80%.",
  },
  {
    name: "MAX_REJECTION_RATE",
    path: "health.maxRejectionRate",
    kind: "fraction",
    description: "The seeds' name for HEALTH_MAX_REJECTION_RATE (set only one).",
  },
  {
    name: "HEALTH_MIN_EXPECTANCY_CENTS",
    path: "health.minExpectancyCents",
    kind: "number",
    description: "Expectancy per trade (cents) at or below which no expectancy points are earned.",
  },
  {
    name: "MIN_EXPECTANCY",
    path: "health.minExpectancyCents",
    kind: "dollars",
    description: "The seeds' name, in dollars per trade: 0.0 = break-even (set only one).",
  },
  {
    name: "HEALTH_FULL_ACTIVITY_TRADES",
    path: "health.fullActivityTrades",
    kind: "integer",
    description: "Closed trades in the long window that earn the full activity points.",
  },
  {
    name: "HEALTH_FULL_PROFIT_FACTOR",
    path: "health.fullProfitFactor",
    kind: "number",
    description: "Profit factor (gross wins / gross losses) that earns the full expectancy points.",
  },
  {
    name: "HEALTH_MAX_DRAWDOWN",
    path: "health.maxDrawdown",
    kind: "fraction",
    description: "A drawdown at or above this earns no drawdown points: 0.10 = 10%.",
  },
  {
    name: "HEALTH_POINTS_ACTIVITY",
    path: "health.points.activity",
    kind: "number",
    description: "Score points for activity (the four points settings add up to 100).",
  },
  {
    name: "HEALTH_POINTS_EXPECTANCY",
    path: "health.points.expectancy",
    kind: "number",
    description: "Score points for expectancy.",
  },
  {
    name: "HEALTH_POINTS_REJECTION_RATE",
    path: "health.points.rejectionRate",
    kind: "number",
    description: "Score points for the rejection rate.",
  },
  {
    name: "HEALTH_POINTS_DRAWDOWN",
    path: "health.points.drawdown",
    kind: "number",
    description: "Score points for drawdown.",
  },
  {
    name: "HEALTH_HEALTHY_FROM",
    path: "health.healthyFrom",
    kind: "number",
    description: "Lowest score that is HEALTHY.",
  },
  {
    name: "HEALTH_WARNING_FROM",
    path: "health.warningFrom",
    kind: "number",
    description: "Lowest score that is WARNING.",
  },
  {
    name: "HEALTH_DEGRADED_FROM",
    path: "health.degradedFrom",
    kind: "number",
    description: "Lowest score that is DEGRADED; below it, CRITICAL.",
  },
];

const TRUE_WORDS = new Set(["true", "1", "yes"]);
const FALSE_WORDS = new Set(["false", "0", "no"]);
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const INTEGER = /^[+-]?\d+$/;

export type EnvParseResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly rule: string };

/** An environment value as the kind says; the text is trimmed first. */
export function parseEnvironmentValue(kind: EnvValueKind, raw: string): EnvParseResult {
  const text = raw.trim();
  const fail = (): EnvParseResult => ({ ok: false, rule: `must be ${ENV_VALUE_KINDS[kind]}` });
  switch (kind) {
    case "boolean": {
      const word = text.toLowerCase();
      if (TRUE_WORDS.has(word)) return { ok: true, value: true };
      if (FALSE_WORDS.has(word)) return { ok: true, value: false };
      return fail();
    }
    case "integer":
      return INTEGER.test(text) ? { ok: true, value: Number(text) } : fail();
    case "number":
      return NUMBER.test(text) ? { ok: true, value: Number(text) } : fail();
    case "dollars":
      return NUMBER.test(text) ? { ok: true, value: centsFromDollars(Number(text)) } : fail();
    case "fraction": {
      const percent = text.endsWith("%");
      const digits = percent ? text.slice(0, -1).trim() : text;
      if (!NUMBER.test(digits)) return fail();
      // Dividing by 100 keeps "8%" exactly 0.08 (multiplying 8 by 0.01 would not).
      return { ok: true, value: percent ? Number(digits) / 100 : Number(digits) };
    }
    case "list":
      return {
        ok: true,
        value: text
          .split(",")
          .map((item) => item.trim())
          .filter((item) => item !== ""),
      };
    case "text":
      return { ok: true, value: text };
  }
}

export interface EnvironmentLayer {
  /** `base` with every applicable override laid over it. */
  readonly input: unknown;
  /** Each setting an override set → the variable that set it. */
  readonly setBy: ReadonlyMap<string, { readonly name: string; readonly path: ConfigPath }>;
  readonly issues: readonly ConfigIssue[];
}

/**
 * Lays the environment over `base` (the file's settings, or {}). An empty variable counts as
 * not set, except a list, where it means "none". A value that does not parse is an issue and
 * sets nothing, so the schema does not report it a second time.
 */
export function applyEnvironment(
  base: unknown,
  env: Readonly<Record<string, string | undefined>>,
  variables: readonly ConfigEnvironmentVariable[] = CONFIG_ENVIRONMENT_VARIABLES,
): EnvironmentLayer {
  const issues: ConfigIssue[] = [];
  const setBy = new Map<string, { name: string; path: ConfigPath }>();
  let input = base;
  for (const variable of variables) {
    const raw = env[variable.name];
    if (variable.path === null || raw === undefined) continue;
    if (raw.trim() === "" && variable.kind !== "list") continue;
    const when = variable.appliesWhen;
    if (when && valueAt(input, parseDottedPath(when.path)) !== when.equals) continue;
    const source: ConfigSource = `env ${variable.name}`;
    const parsed = parseEnvironmentValue(variable.kind, raw);
    if (!parsed.ok) {
      issues.push({ field: variable.path, value: raw, rule: parsed.rule, source });
      continue;
    }
    const earlier = setBy.get(variable.path);
    if (earlier) {
      issues.push({
        field: variable.path,
        value: raw,
        rule: `${earlier.name} sets it too; set only one of ${earlier.name} and ${variable.name}`,
        source,
      });
      continue;
    }
    let patch = withValueAt({}, parseDottedPath(variable.path), parsed.value);
    const settings = [variable.path, ...Object.keys(variable.implies ?? {})];
    for (const [path, value] of Object.entries(variable.implies ?? {})) {
      patch = withValueAt(patch, parseDottedPath(path), value);
    }
    input = mergeLayers(input, patch);
    for (const path of settings)
      setBy.set(path, { name: variable.name, path: parseDottedPath(path) });
  }
  return { input, setBy, issues };
}
