/**
 * Loading the configuration: defaults, then the config file, then the environment (which
 * wins). Either every setting is valid and each one's origin is known, or a ConfigError lists
 * every problem, one line each, and nothing runs.
 */
import { readFileSync } from "node:fs";
import { ConfigError, type ConfigIssue, type ConfigSource, HIDDEN_VALUE } from "./config-error.js";
import { readConfigFile } from "./config-file.js";
import {
  applyEnvironment,
  CONFIG_ENVIRONMENT_VARIABLES,
  CONFIG_FILE_ENV,
  type EnvironmentLayer,
} from "./env-overrides.js";
import { findCredentials } from "./input-checks.js";
import {
  type ConfigPath,
  configLeaves,
  formatConfigPath,
  hasPath,
  isPlainObject,
  mentionsWord,
  valueAt,
} from "./paths.js";
import {
  type ConfigProblem,
  checkTraderConfig,
  LINKED_SETTINGS,
  type TraderConfig,
} from "./schema.js";

export interface LoadConfigOptions {
  /** The config file (.json, .yaml, .yml); defaults to TRADER_CONFIG; none → defaults and env. */
  readonly file?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** How to read the file; defaults to reading it from disk as UTF-8. */
  readonly readFile?: (path: string) => string;
}

export interface LoadedConfig {
  readonly config: TraderConfig;
  /** Every leaf setting's dotted path → where its value came from. */
  readonly sources: Readonly<Record<string, ConfigSource>>;
  /** The config file read, if any. */
  readonly file?: string;
}

/** Throws ConfigError (exit code 2) listing every problem. */
export function loadConfig(options: LoadConfigOptions): LoadedConfig {
  const file = options.file ?? nonEmpty(options.env[CONFIG_FILE_ENV]);
  const readFile = options.readFile ?? ((path: string) => readFileSync(path, "utf8"));
  const fileInput = file === undefined ? {} : readConfigFile(file, readFile);
  const layer = applyEnvironment(fileInput, options.env);
  const provenance = new Provenance(file, fileInput, layer);

  const credentialIssues: ConfigIssue[] = findCredentials(fileInput).map((problem) => ({
    field: formatConfigPath(problem.path),
    value: HIDDEN_VALUE,
    rule: problem.rule,
    source: provenance.ofIssue(problem.path),
  }));
  const checked = checkTraderConfig(layer.input);
  const schemaIssues = checked.ok
    ? []
    : checked.problems.map((problem) => provenance.toIssue(problem, layer.input));
  const issues = withoutRepeats([...credentialIssues, ...layer.issues, ...schemaIssues]);
  if (!checked.ok || issues.length > 0) throw new ConfigError(issues);

  const sources: Record<string, ConfigSource> = {};
  for (const { path } of configLeaves(checked.config)) {
    sources[formatConfigPath(path)] = provenance.ofLeaf(path);
  }
  return file === undefined
    ? { config: checked.config, sources }
    : { config: checked.config, sources, file };
}

function nonEmpty(text: string | undefined): string | undefined {
  return text === undefined || text.trim() === "" ? undefined : text.trim();
}

/** The same problem found twice (a credential key is also an unknown key) is reported once. */
function withoutRepeats(issues: readonly ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.field}\u0000${issue.rule}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const FRACTION_VARIABLES = new Set(
  CONFIG_ENVIRONMENT_VARIABLES.filter((v) => v.kind === "fraction").map((v) => v.name),
);

/** Where each setting's value came from: the environment, the file, or the default. */
class Provenance {
  private readonly fileSource: ConfigSource | undefined;
  private readonly linkedCopyOf = new Map<string, ConfigPath>();

  constructor(
    file: string | undefined,
    private readonly fileInput: unknown,
    private readonly layer: EnvironmentLayer,
  ) {
    this.fileSource = file === undefined ? undefined : `file ${file}`;
    for (const { setting, copies } of LINKED_SETTINGS) {
      for (const copy of copies) this.linkedCopyOf.set(copy, [setting]);
    }
  }

  /** A leaf's exact origin; a linked copy not set itself comes from its setting. */
  ofLeaf(path: ConfigPath): ConfigSource {
    const key = formatConfigPath(path);
    const env = this.layer.setBy.get(key);
    if (env) return `env ${env.name}`;
    if (this.fileSource && hasPath(this.fileInput, path)) return this.fileSource;
    const setting = this.linkedCopyOf.get(key);
    return setting ? this.ofLeaf(setting) : "default";
  }

  /** An issue's origin: the nearest setting at or above it that the env or the file gave. */
  ofIssue(path: ConfigPath): ConfigSource {
    for (let depth = path.length; depth > 0; depth--) {
      const above = path.slice(0, depth);
      const env = this.layer.setBy.get(formatConfigPath(above));
      if (env) return `env ${env.name}`;
      if (this.fileSource && hasPath(this.fileInput, above)) return this.fileSource;
    }
    return "default";
  }

  /**
   * A schema problem as an issue. A cross-field rule is reported on one field but often broken
   * by another ("haltDrawdown must be below panicDrawdown" when the environment lowered the
   * panic threshold), so the origins of the other fields it names are added.
   */
  toIssue(problem: ConfigProblem, input: unknown): ConfigIssue {
    const source = this.ofIssue(problem.path);
    const field = formatConfigPath(problem.path);
    let rule = problem.rule;
    const parent = valueAt(input, problem.path.slice(0, -1));
    const own = problem.path.at(-1);
    if (isPlainObject(parent)) {
      for (const sibling of Object.keys(parent)) {
        if (sibling === own || !mentionsWord(rule, sibling)) continue;
        const siblingSource = this.ofIssue([...problem.path.slice(0, -1), sibling]);
        if (siblingSource !== "default" && siblingSource !== source) {
          rule += `; ${sibling} from ${siblingSource}`;
        }
      }
    }
    const variable = source.startsWith("env ") ? source.slice(4) : undefined;
    if (variable && FRACTION_VARIABLES.has(variable) && Number(problem.value) > 1) {
      rule += ` (${variable} is a fraction: write 0.08 or 8% for 8%)`;
    }
    const value = problem.hidden ? HIDDEN_VALUE : problem.value;
    return { field, value, rule, source };
  }
}
