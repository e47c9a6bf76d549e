/**
 * The configuration reference (docs/configuration.md), generated from the schema and the
 * environment table so it cannot drift from them: every setting with its environment
 * variable, default and rule, every variable, and the cross-field rules.
 */
import { z } from "zod";
import { SETTING_DESCRIPTIONS } from "./descriptions.js";
import { CONFIG_ENVIRONMENT_VARIABLES, ENV_VALUE_KINDS } from "./env-overrides.js";
import { parseDottedPath, valueAt } from "./paths.js";
import { DEFAULT_TRADER_CONFIG, LINKED_SETTINGS, traderConfigObjectSchema } from "./schema.js";
import { schemaNode, unwrapSchema } from "./schema-walk.js";

type Schema = z.core.$ZodType;

export interface ConfigReferenceRow {
  /** Dotted path; `[]` stands for every item of a list (`strategies[].name`). */
  readonly path: string;
  /** Set for a field of one variant only: `broker.paper` exists when broker.kind is alpaca. */
  readonly variant?: { readonly discriminator: string; readonly tag: string };
  readonly environment: readonly string[];
  /** The default as JSON, or "required" / "optional". */
  readonly defaultValue: string;
  readonly rule: string;
  readonly description: string;
}

/** Every setting of `traderConfigObjectSchema`, in schema order. */
export function configReferenceRows(): ConfigReferenceRow[] {
  const rows: ConfigReferenceRow[] = [];
  walk(traderConfigObjectSchema, [], undefined, rows);
  return rows;
}

function walk(
  schema: Schema,
  path: readonly string[],
  variant: ConfigReferenceRow["variant"],
  rows: ConfigReferenceRow[],
): void {
  const node = schemaNode(schema);
  switch (node.kind) {
    case "object":
      for (const [key, child] of Object.entries(node.shape)) {
        walk(child, [...path, key], variant, rows);
      }
      return;
    case "variants": {
      const discriminatorPath = [...path, node.discriminator];
      const tags = node.variants.map((v) => JSON.stringify(v.tag)).join(", ");
      rows.push(row(discriminatorPath, schema, undefined, `one of ${tags}`));
      for (const { tag, schema: variantSchema } of node.variants) {
        const shape = schemaNode(variantSchema);
        if (shape.kind !== "object") continue;
        for (const [key, child] of Object.entries(shape.shape)) {
          if (key === node.discriminator) continue;
          walk(child, [...path, key], { discriminator: discriminatorPath.join("."), tag }, rows);
        }
      }
      return;
    }
    case "array":
      if (schemaNode(node.element).kind === "object") {
        rows.push(row(path, schema, variant));
        walk(node.element, [...path, "[]"], variant, rows);
        return;
      }
      rows.push(row(path, schema, variant));
      return;
    default:
      rows.push(row(path, schema, variant));
  }
}

function row(
  segments: readonly string[],
  schema: Schema,
  variant: ConfigReferenceRow["variant"],
  rule: string = describeJsonSchema(jsonSchemaOf(schema)),
): ConfigReferenceRow {
  const path = segments.join(".").replaceAll(".[]", "[]");
  const environment = CONFIG_ENVIRONMENT_VARIABLES.filter((v) => v.path === path).map(
    (v) => v.name,
  );
  const linked = LINKED_SETTINGS.find(({ copies }) => copies.includes(path));
  const description =
    SETTING_DESCRIPTIONS[path] ??
    (linked ? `Set by \`${linked.setting}\`; set that instead.` : undefined) ??
    CONFIG_ENVIRONMENT_VARIABLES.find((v) => v.path === path)?.description ??
    "";
  const base = {
    path,
    environment,
    defaultValue: defaultOf(segments, schema, variant),
    rule,
    description,
  };
  return variant ? { ...base, variant } : base;
}

function defaultOf(
  segments: readonly string[],
  schema: Schema,
  variant: ConfigReferenceRow["variant"],
): string {
  const inDefaults =
    !segments.includes("[]") &&
    (variant === undefined ||
      valueAt(DEFAULT_TRADER_CONFIG, parseDottedPath(variant.discriminator)) === variant.tag);
  const fromConfig = inDefaults ? valueAt(DEFAULT_TRADER_CONFIG, segments) : undefined;
  if (fromConfig !== undefined) return JSON.stringify(fromConfig);
  const parsed = z.safeParse(schema, undefined);
  if (parsed.success) return parsed.data === undefined ? "optional" : JSON.stringify(parsed.data);
  return "required";
}

interface JsonSchema {
  readonly type?: string;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly minLength?: number;
  readonly minItems?: number;
  readonly format?: string;
  readonly pattern?: string;
  readonly items?: JsonSchema;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly additionalProperties?: JsonSchema | boolean;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
}

function jsonSchemaOf(schema: Schema): JsonSchema {
  return z.toJSONSchema(unwrapSchema(schema), {
    io: "input",
    unrepresentable: "any",
  }) as JsonSchema;
}

const LARGEST_SAFE = Number.MAX_SAFE_INTEGER;

/** A JSON Schema (from zod) as a short rule: "number, 0 < x < 1", "list of text". */
export function describeJsonSchema(schema: JsonSchema): string {
  if (schema.enum) return `one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}`;
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return alternatives.map(describeJsonSchema).join(" or ");
  switch (schema.type) {
    case "boolean":
      return "true or false";
    case "integer":
    case "number":
      return numberRule(schema);
    case "string":
      if (schema.format === "date") return "date YYYY-MM-DD";
      if (schema.pattern) return `text matching \`${schema.pattern}\``;
      return schema.minLength ? "non-empty text" : "text";
    case "array": {
      const items = schema.items?.properties
        ? "entries (below)"
        : schema.items
          ? describeJsonSchema(schema.items)
          : "anything";
      const least = schema.minItems ? `, at least ${schema.minItems}` : "";
      return `list of ${items}${least}`;
    }
    case "object": {
      const values = schema.additionalProperties;
      if (typeof values === "object") {
        const value = values.properties ? "settings" : describeJsonSchema(values);
        return `map of name → ${value}`;
      }
      return "settings";
    }
    default:
      return "anything";
  }
}

function numberRule(schema: JsonSchema): string {
  const kind = schema.type === "integer" ? "whole number" : "number";
  const low =
    schema.exclusiveMinimum !== undefined
      ? { op: "<", flipped: ">", bound: schema.exclusiveMinimum }
      : schema.minimum !== undefined && schema.minimum > -LARGEST_SAFE
        ? { op: "≤", flipped: "≥", bound: schema.minimum }
        : undefined;
  const high =
    schema.exclusiveMaximum !== undefined
      ? { op: "<", bound: schema.exclusiveMaximum }
      : schema.maximum !== undefined && schema.maximum < LARGEST_SAFE
        ? { op: "≤", bound: schema.maximum }
        : undefined;
  if (low && high) return `${kind}, ${low.bound} ${low.op} x ${high.op} ${high.bound}`;
  if (low) return `${kind}, x ${low.flipped} ${low.bound}`;
  if (high) return `${kind}, x ${high.op} ${high.bound}`;
  return kind;
}

export interface CrossFieldRule {
  readonly rule: string;
  /** A config that breaks the rule, and the setting the problem is reported on (tested). */
  readonly example: { readonly input: unknown; readonly field: string };
}

/** The rules between settings, which the tables above cannot show. */
export const CROSS_FIELD_RULES: readonly CrossFieldRule[] = [
  {
    rule: "`governor.haltDrawdown` < `governor.panicDrawdown`.",
    example: { input: { governor: { haltDrawdown: 0.1 } }, field: "governor.haltDrawdown" },
  },
  {
    rule: "`tradingBreaker.dailyDrawdown` < `weeklyDrawdown` < `totalDrawdown`.",
    example: {
      input: { tradingBreaker: { weeklyDrawdown: 0.25 } },
      field: "tradingBreaker.weeklyDrawdown",
    },
  },
  {
    rule: "`pipeline.risk.limits.maxSymbolWeight` ≤ `maxStrategyWeight` ≤ `maxPortfolioWeight`, and the same for every strategy's profile laid over the limits; `varMinObservations` ≤ `varLookbackDays`.",
    example: {
      input: { pipeline: { risk: { limits: { maxSymbolWeight: 0.7 } } } },
      field: "pipeline.risk.limits.maxSymbolWeight",
    },
  },
  {
    rule: "`pipeline.risk.limits.minCashFraction` and `pipeline.rebalance.minCashFraction` are set by `minCashFraction`; either one set to a different value is an error.",
    example: {
      input: { pipeline: { rebalance: { minCashFraction: 0.1 } } },
      field: "pipeline.rebalance.minCashFraction",
    },
  },
  {
    rule: "`pipeline.correlation.fullSizeMaxCorrelation` < `rejectAboveCorrelation`.",
    example: {
      input: { pipeline: { correlation: { rejectAboveCorrelation: 0.4 } } },
      field: "pipeline.correlation.fullSizeMaxCorrelation",
    },
  },
  {
    rule: "`killSwitch.minRejectedOrders` ≤ `rejectionWindowOrders`.",
    example: {
      input: { killSwitch: { rejectionWindowOrders: 4 } },
      field: "killSwitch.minRejectedOrders",
    },
  },
  {
    rule: "`brokerBreaker.recoveryMs` ≤ `maxRecoveryMs`.",
    example: {
      input: { brokerBreaker: { maxRecoveryMs: 1000 } },
      field: "brokerBreaker.maxRecoveryMs",
    },
  },
  {
    rule: "`health.shortWindowDays` < `longWindowDays`; `minTrades` ≤ `fullActivityTrades`; the four `points` add up to 100; `degradedFrom` < `warningFrom` < `healthyFrom`.",
    example: { input: { health: { shortWindowDays: 30 } }, field: "health.shortWindowDays" },
  },
  {
    rule: "`reconciliation.equityWarnAbove` ≤ `equityFailAbove`.",
    example: {
      input: { reconciliation: { equityWarnAbove: 0.2 } },
      field: "reconciliation.equityWarnAbove",
    },
  },
  {
    rule: "`slippage.warnAbove` ≤ `alertAbove` ≤ `abortAbove`.",
    example: { input: { slippage: { alertAbove: 0.02 } }, field: "slippage.alertAbove" },
  },
  {
    rule: "Corporate actions: no split's close-ratio band may overlap genuine moves (`genuineMoveLimit`), and no adjusted split may be within `adjustedTolerance` of no change.",
    example: {
      input: { pipeline: { corporateActions: { genuineMoveLimit: 0.6 } } },
      field: "pipeline.corporateActions.closeRatioSplits",
    },
  },
  {
    rule: "Every `strategies[].name` is a known strategy, listed once, and accepts its `params`; every name in `strategyDisabledList` is a known strategy.",
    example: { input: { strategies: [{ name: "nope" }] }, field: "strategies.0.name" },
  },
];

/** A config file to start from; a test loads it. */
export const EXAMPLE_CONFIG_YAML = `# trader.yaml: settings not given here keep their defaults
account: paper-1
broker:
  kind: alpaca
  paper: true
data:
  kind: csv
  dir: ./data
strategies:
  - name: hierarchical-adaptive-v3.5b
  - name: sma-crossover
    params: { symbol: QQQ, fast: 50, slow: 200, weight: 0.5 }
minCashFraction: 0.05
governor:
  haltDrawdown: 0.08
  panicDrawdown: 0.10
tradingBreaker:
  dailyDrawdown: 0.05
`;

const cell = (text: string): string => text.replaceAll("|", "\\|").replaceAll("\n", " ");
const code = (text: string): string => `\`${cell(text)}\``;

/** The reference part of docs/configuration.md: variables, settings, cross-field rules. */
export function renderConfigReference(): string {
  const lines: string[] = ["## Environment variables", ""];
  lines.push("| Variable | Setting | Value | Meaning |", "| --- | --- | --- | --- |");
  for (const variable of CONFIG_ENVIRONMENT_VARIABLES) {
    const setting = variable.path === null ? "(the config file)" : code(variable.path);
    const notes = [
      ...Object.entries(variable.implies ?? {}).map(
        ([path, value]) => `Also sets ${code(path)} to ${code(value)}.`,
      ),
      ...(variable.appliesWhen
        ? [`Only when ${code(variable.appliesWhen.path)} is ${code(variable.appliesWhen.equals)}.`]
        : []),
    ];
    lines.push(
      `| ${code(variable.name)} | ${setting} | ${cell(ENV_VALUE_KINDS[variable.kind])} | ${cell([variable.description, ...notes].join(" "))} |`,
    );
  }
  lines.push("", "## Settings", "");
  const rows = configReferenceRows();
  const sectionOf = (path: string): string => {
    const top = path.split(/[.[]/)[0] ?? path;
    return rows.some((r) => r.path.startsWith(`${top}.`) || r.path.startsWith(`${top}[]`))
      ? top
      : "general";
  };
  const sections = [...new Set(rows.map((r) => sectionOf(r.path)))];
  for (const section of sections) {
    lines.push(`### ${section}`, "");
    lines.push(
      "| Setting | Default | Rule | Environment | Meaning |",
      "| --- | --- | --- | --- | --- |",
    );
    for (const row of rows.filter((r) => sectionOf(r.path) === section)) {
      const setting = row.variant ? `${code(row.path)} (${row.variant.tag})` : code(row.path);
      const defaultValue =
        row.defaultValue === "required" || row.defaultValue === "optional"
          ? row.defaultValue
          : code(row.defaultValue);
      const environment = row.environment.map(code).join(", ");
      lines.push(
        `| ${setting} | ${defaultValue} | ${cell(row.rule)} | ${environment} | ${cell(row.description)} |`,
      );
    }
    lines.push("");
  }
  lines.push("## Cross-field rules", "");
  for (const { rule } of CROSS_FIELD_RULES) lines.push(`- ${rule}`);
  lines.push("");
  return lines.join("\n");
}

/** docs/configuration.md: a short introduction, then the reference. */
export function renderConfigurationDoc(): string {
  const intro = `# Configuration

<!-- Generated from packages/runtime/src/config by packages/runtime/scripts/docs-configuration.ts; do not edit by hand: a test fails when it is stale. -->

One schema covers every setting of a run (SPEC §15). A value comes from, in order of precedence:

1. an **environment variable** from the table below (names from the seed documents);
2. the **config file**: the one given on the command line, else the one named by \`TRADER_CONFIG\`;
   JSON (\`.json\`) or YAML (\`.yaml\`, \`.yml\`), chosen by the extension;
3. the **default** listed below.

\`trader config check\` prints every setting with its value and where it came from (\`default\`,
\`file <path>\` or \`env <NAME>\`); \`--json\` prints \`{ config, sources }\`. The effective
configuration is recorded with every run.

A bad configuration stops everything before anything trades: every problem is reported on its
own line, naming the setting, its value, where the value came from and the rule it breaks, and
the command exits with code 2. Unknown keys are errors at any depth (a typo must not silently
fall back to a default), and so are settings that disagree with each other (see the
cross-field rules at the end).

- **Credentials never go in the config.** A key that looks like one (\`keyId\`, \`secret\`,
  \`password\`, \`apiKey\`, \`token\`, …) or a URL with a password is refused. Alpaca reads
  \`APCA_API_KEY_ID\` and \`APCA_API_SECRET_KEY\`, KurrentDB \`KURRENTDB_CONNECTION_STRING\`, the
  control API \`KILL_SWITCH_SECRET\`; renderings mask passwords in URLs.
- **Fractions, not percentages**: 0.08 means 8%, as in the seeds, even where a seed variable's
  name ends in \`_PCT\`. In an environment variable a percentage must carry its sign (\`8%\`);
  a bare \`8\` is not read as 8%, and the range check reports it.
- **Days** in settings named \`…Sessions\` (and the seeds' \`…_DAYS\` variables) are trading days:
  exchange sessions, not calendar days.
- **Money** in the config is dollars (\`broker.initialCash\`); the engine keeps integer cents.
- An **empty** environment variable counts as not set, except a list, where it means none.
- Directories are relative to the working directory.

Example (\`trader.yaml\`):

\`\`\`yaml
${EXAMPLE_CONFIG_YAML}\`\`\`

`;
  return intro + renderConfigReference();
}
