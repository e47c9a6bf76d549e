/**
 * The runtime configuration (SPEC §15): one schema for everything a run is configured by. The
 * sections owned elsewhere are the core's (and the store's) own schemas, embedded as they are,
 * so their defaults and cross-field rules (halt < panic, daily < weekly < total, per-symbol ≤
 * per-strategy ≤ portfolio) live in one place.
 */
import {
  brokerBreakerConfigSchema,
  centsFromDollars,
  dollarsFromCents,
  governorConfigSchema,
  healthConfigSchema,
  killSwitchConfigSchema,
  monitorConfigSchema,
  pendingSignalsConfigSchema,
  pipelineConfigSchema,
  reconciliationConfigSchema,
  slippageConfigSchema,
  tradingBreakerConfigSchema,
} from "@trader/core";
import { storeConfigSchema } from "@trader/store-esdb";
import {
  HIERARCHICAL_ADAPTIVE_NAME,
  HIERARCHICAL_ADAPTIVE_RISK_PROFILE,
  STRATEGIES,
} from "@trader/strategies";
import { z } from "zod";
import { alertsConfigSchema } from "../alerts/config.js";
import { findUnknownKeys } from "./input-checks.js";
import {
  type ConfigPath,
  hasPath,
  isPlainObject,
  mentionsWord,
  parseDottedPath,
  valueAt,
  withValueAt,
} from "./paths.js";
import { ruleFromIssue } from "./zod-rules.js";

/** The same rule as a run id's segments: the account and the slot are part of every run id. */
const RUN_ID_SEGMENT = /^[A-Za-z0-9._-]+$/;
const runIdSegment = (what: string) =>
  z.string().regex(RUN_ID_SEGMENT, {
    message: `${what} must be letters, digits, ".", "_" or "-" (it is part of every run id)`,
  });

const isWholeCents = (dollars: number): boolean =>
  dollarsFromCents(centsFromDollars(dollars)) === dollars;

const knownStrategies = (): string => Object.keys(STRATEGIES).join(", ");

export const simulatorBrokerConfigSchema = z.object({
  kind: z.literal("simulator"),
  /** Starting cash of the simulated account, dollars. */
  initialCash: z
    .number()
    .positive()
    .refine(isWholeCents, { message: "must be whole cents (at most 2 decimals)" })
    .default(100_000),
  /** Adverse slippage applied to every simulated fill, basis points. */
  slippageBps: z.number().min(0).max(10_000).default(0),
  /** Up to this many more adverse basis points of seeded noise per fill. */
  noiseBps: z.number().min(0).max(10_000).default(0),
  seed: z.string().min(1).default("fills"),
});

/** Alpaca. Its keys are never configured here: the adapter reads them from the environment. */
export const alpacaBrokerConfigSchema = z.object({
  kind: z.literal("alpaca"),
  paper: z.boolean().default(true),
  timeoutMs: z.number().int().positive().default(10_000),
});

export const brokerConfigSchema = z.discriminatedUnion("kind", [
  simulatorBrokerConfigSchema,
  alpacaBrokerConfigSchema,
]);
export type BrokerConfig = z.output<typeof brokerConfigSchema>;

export const dataConfigSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("csv"), dir: z.string().min(1) }),
  z.object({
    kind: z.literal("synthetic"),
    seed: z.string().min(1).default("trader"),
    from: z.iso.date().default("2010-01-04"),
  }),
  /** Alpaca's market-data API (keys from APCA_API_KEY_ID / APCA_API_SECRET_KEY, never here). */
  z.object({
    kind: z.literal("alpaca"),
    feed: z.enum(["iex", "sip"]).default("iex"),
    /** A second feed whose quotes are cross-checked against the first (> 1% apart aborts the run). */
    secondaryFeed: z.enum(["iex", "sip"]).optional(),
    timeoutMs: z.number().int().positive().default(10_000),
  }),
]);
export type DataConfig = z.output<typeof dataConfigSchema>;

export const strategyEntrySchema = z.object({
  name: z.string().min(1),
  /** The strategy's own parameters; the strategy's factory validates them. */
  params: z.record(z.string(), z.unknown()).optional(),
});

const strategiesSchema = z
  .array(strategyEntrySchema)
  .min(1)
  .superRefine((entries, context) => {
    const seen = new Set<string>();
    entries.forEach((entry, index) => {
      const factory = Object.hasOwn(STRATEGIES, entry.name) ? STRATEGIES[entry.name] : undefined;
      const issue = (field: string, message: string) =>
        context.addIssue({ code: "custom", path: [index, field], message });
      if (!factory) {
        issue("name", `unknown strategy; known strategies: ${knownStrategies()}`);
        return;
      }
      if (seen.has(entry.name)) issue("name", "listed twice; each strategy runs once");
      seen.add(entry.name);
      try {
        factory(entry.params);
      } catch (error) {
        issue("params", `${entry.name} refuses these params: ${oneLine(error)}`);
      }
    });
  });

const strategyNamesSchema = z
  .array(z.string().min(1))
  .default([])
  .superRefine((names, context) => {
    names.forEach((name, index) => {
      if (!Object.hasOwn(STRATEGIES, name)) {
        context.addIssue({
          code: "custom",
          path: [index],
          message: `"${name}" is not a known strategy, so it would disable nothing; known strategies: ${knownStrategies()}`,
        });
      }
    });
  });

export const executionConfigSchema = z.object({
  /** A partial fill is retried for the remainder this many times, then accepted with a WARNING. */
  partialFillRetries: z.number().int().min(0).default(3),
  /** Which run of the day: the last segment of the run id. */
  slot: runIdSegment("slot").default("close"),
});

const minCashFractionSchema = z.number().min(0).lt(1).default(0.05);

/** The configuration's shape, without the checks that need the raw input (see `traderConfigSchema`). */
export const traderConfigObjectSchema = z.object({
  account: runIdSegment("account").default("default"),
  dryRun: z.boolean().default(false),
  tradingDisabled: z.boolean().default(false),
  strategyDisabledList: strategyNamesSchema,
  store: storeConfigSchema.default({ kind: "file", dir: ".trader" }),
  broker: brokerConfigSchema.prefault({ kind: "simulator" }),
  data: dataConfigSchema.prefault({ kind: "synthetic" }),
  strategies: strategiesSchema.prefault([{ name: HIERARCHICAL_ADAPTIVE_NAME }]),
  minCashFraction: minCashFractionSchema,
  governor: governorConfigSchema.prefault({}),
  killSwitch: killSwitchConfigSchema.prefault({}),
  tradingBreaker: tradingBreakerConfigSchema.prefault({}),
  brokerBreaker: brokerBreakerConfigSchema.prefault({}),
  pendingSignals: pendingSignalsConfigSchema.prefault({}),
  health: healthConfigSchema.prefault({}),
  pipeline: pipelineConfigSchema.prefault({}),
  reconciliation: reconciliationConfigSchema
    .safeExtend({ enabled: z.boolean().default(true) })
    .prefault({}),
  slippage: slippageConfigSchema.prefault({}),
  execution: executionConfigSchema.prefault({}),
  /** Alerts (SPEC §14): channels per level; secrets from the environment only. */
  alerts: alertsConfigSchema.prefault({}),
  /** The intraday monitor (SPEC §17); off unless enabled (here or per strategy profile). */
  monitor: monitorConfigSchema.prefault({}),
});

export type TraderConfig = z.output<typeof traderConfigObjectSchema>;
export type TraderConfigInput = z.input<typeof traderConfigObjectSchema>;

/**
 * One value the user sets, copied to the settings that each hold it today. Setting a copy to a
 * different value is an issue: two minimum-cash numbers that disagree help nobody.
 */
export interface LinkedSetting {
  /** A top-level setting. */
  readonly setting: keyof TraderConfig;
  readonly copies: readonly string[];
}

export const LINKED_SETTINGS: readonly LinkedSetting[] = [
  {
    setting: "minCashFraction",
    copies: ["pipeline.risk.limits.minCashFraction", "pipeline.rebalance.minCashFraction"],
  },
];

/** The risk profiles present unless the config says otherwise (fields merge over these). */
export const DEFAULT_RISK_PROFILES = {
  [HIERARCHICAL_ADAPTIVE_NAME]: HIERARCHICAL_ADAPTIVE_RISK_PROFILE,
};
const PROFILES_PATH = ["pipeline", "risk", "profiles"] as const;

export interface ConfigProblem {
  readonly path: ConfigPath;
  readonly rule: string;
  readonly value: unknown;
  /** The value looks like a credential: never echo it. */
  readonly hidden?: boolean;
}

export type ConfigCheck =
  | { readonly ok: true; readonly config: TraderConfig }
  | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

/**
 * Validates a raw config (the file's settings with the environment laid over them) and fills
 * every default. Reports every problem at once: unknown keys at any depth, disagreeing copies
 * of a linked setting, and each schema rule, each with its full dotted path.
 */
export function checkTraderConfig(input: unknown): ConfigCheck {
  const problems: ConfigProblem[] = findUnknownKeys(traderConfigObjectSchema, input).map(
    (problem) => ({ ...problem, value: valueAt(input, problem.path) }),
  );
  const prepared = withDerivedSettings(input);
  problems.push(...prepared.problems);
  const parsed = traderConfigObjectSchema.safeParse(prepared.input);
  if (parsed.success && problems.length === 0) return { ok: true, config: parsed.data };
  const issues = parsed.success ? [] : parsed.error.issues;
  const badValues = issues.filter((i) => i.code !== "custom");
  for (const issue of issues) {
    if (issue.code === "custom" && repeatsBadValue(issue, badValues)) continue;
    const path = issue.path.map((segment) =>
      typeof segment === "number" ? segment : String(segment),
    );
    const value = valueAt(prepared.input, path);
    problems.push({ path, value, rule: ruleFromIssue(issue, value) });
  }
  return { ok: false, problems };
}

/** `TraderConfig` from raw input; a zod schema, so it composes and reports zod issues. */
export const traderConfigSchema = z.unknown().transform((input, context): TraderConfig => {
  const checked = checkTraderConfig(input);
  if (checked.ok) return checked.config;
  for (const problem of checked.problems) {
    context.addIssue({ code: "custom", path: [...problem.path], message: problem.rule });
  }
  return z.NEVER;
});

/** Copies linked settings into place and lays the default risk profiles under the given ones. */
function withDerivedSettings(input: unknown): {
  input: unknown;
  problems: ConfigProblem[];
} {
  if (!isPlainObject(input)) return { input, problems: [] };
  const problems: ConfigProblem[] = [];
  let prepared: unknown = input;
  for (const { setting, copies } of LINKED_SETTINGS) {
    const fieldSchema = traderConfigObjectSchema.shape[setting];
    const canonical = fieldSchema.safeParse(input[setting]);
    if (!canonical.success) continue; // reported by the schema; nothing sound to copy
    for (const copy of copies) {
      const path = parseDottedPath(copy);
      if (hasPath(input, path)) {
        const value = valueAt(input, path);
        if (value !== canonical.data) {
          problems.push({
            path,
            value,
            rule: `set ${setting} instead: it sets ${copies.join(" and ")} together (${setting} is ${JSON.stringify(canonical.data)} here)`,
          });
        }
      } else if (canSet(prepared, path)) {
        prepared = withValueAt(prepared, path, canonical.data);
      }
    }
  }
  for (const [strategy, profile] of Object.entries(DEFAULT_RISK_PROFILES)) {
    const path = [...PROFILES_PATH, strategy];
    const given = valueAt(prepared, path);
    if (given === undefined && canSet(prepared, path)) {
      prepared = withValueAt(prepared, path, profile);
    } else if (isPlainObject(given)) {
      prepared = withValueAt(prepared, path, { ...profile, ...given });
    }
  }
  return { input: prepared, problems };
}

/** Whether every step above `path` is absent or an object, so setting it hides no bad value. */
function canSet(root: unknown, path: ConfigPath): boolean {
  for (let depth = 1; depth < path.length; depth++) {
    const above = valueAt(root, path.slice(0, depth));
    if (above !== undefined && !isPlainObject(above)) return false;
  }
  return true;
}

/**
 * A cross-field rule reported on, or naming, a value that is itself out of range only repeats
 * that problem ("haltDrawdown (8) must be below panicDrawdown" after "must be < 1").
 */
function repeatsBadValue(
  custom: z.core.$ZodIssue,
  badValues: readonly z.core.$ZodIssue[],
): boolean {
  const section = JSON.stringify(custom.path.slice(0, -1).map(String));
  return badValues.some((bad) => {
    const field = bad.path.at(-1);
    if (field === undefined || JSON.stringify(bad.path.slice(0, -1).map(String)) !== section) {
      return false;
    }
    return field === custom.path.at(-1) || mentionsWord(custom.message, String(field));
  });
}

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .join(" ");
}

/** Every default, as `trader` runs with no config file and no environment. */
export const DEFAULT_TRADER_CONFIG: TraderConfig = traderConfigSchema.parse({});
