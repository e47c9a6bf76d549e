/** What `trader config check` prints: every setting, its value and where the value came from. */
import { redactUrlPassword } from "./config-error.js";
import type { LoadedConfig } from "./load-config.js";
import { configLeaves, formatConfigPath, isPlainObject } from "./paths.js";

/** Values wider than this do not widen the value column (they overflow their own row). */
const MAX_VALUE_COLUMN = 40;

/** A human table, one row per leaf setting: path, value, source. */
export function renderEffectiveConfig(loaded: LoadedConfig): string {
  const rows = configLeaves(loaded.config).map(({ path, value }) => {
    const key = formatConfigPath(path);
    return [key, formatTableValue(value), loaded.sources[key] ?? "default"] as const;
  });
  const header = ["setting", "value", "source"] as const;
  const pathWidth = Math.max(header[0].length, ...rows.map(([path]) => path.length));
  const valueWidth = Math.min(
    MAX_VALUE_COLUMN,
    Math.max(header[1].length, ...rows.map(([, value]) => value.length)),
  );
  const line = ([path, value, source]: readonly [string, string, string]) =>
    `${path.padEnd(pathWidth)}  ${value.padEnd(valueWidth)}  ${source}`;
  const origin = loaded.file === undefined ? "no config file" : `file ${loaded.file}`;
  return [
    `effective configuration: ${rows.length} settings (${origin}; environment overrides win)`,
    line(header),
    ...rows.map(line),
  ].join("\n");
}

/** `--json`: `{ config, sources }`, pretty-printed; passwords in URLs masked. */
export function effectiveConfigJson(loaded: LoadedConfig): string {
  return JSON.stringify({ config: redacted(loaded.config), sources: loaded.sources }, null, 2);
}

function formatTableValue(value: unknown): string {
  if (typeof value === "string") return redactUrlPassword(value);
  if (Array.isArray(value)) return `[${value.map(formatTableValue).join(", ")}]`;
  if (isPlainObject(value)) return "{}"; // a leaf mapping is an empty one
  return String(value);
}

/** A copy with every password inside a URL masked (a KurrentDB connection string may hold one). */
export function redacted<T>(value: T): T {
  if (typeof value === "string") return redactUrlPassword(value) as T;
  if (Array.isArray(value)) return value.map(redacted) as T;
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redacted(v)])) as T;
  }
  return value;
}
