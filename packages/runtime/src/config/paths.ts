/** Addressing settings inside a config object: segment arrays inside, dotted strings for people. */

export type PathSegment = string | number;
export type ConfigPath = readonly PathSegment[];

const PLAIN_KEY = /^[A-Za-z0-9_-]+$/;

/**
 * `governor.haltDrawdown`, `strategies.0.name`; a key that would break the dots is quoted:
 * `pipeline.risk.profiles["hierarchical-adaptive-v3.5b"].maxSymbolWeight`.
 */
export function formatConfigPath(path: ConfigPath): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "string" && !PLAIN_KEY.test(segment)) {
      text += `[${JSON.stringify(segment)}]`;
    } else {
      text += text === "" ? String(segment) : `.${segment}`;
    }
  }
  return text;
}

/** Splits a dotted path written in this package's tables (plain keys only). */
export function parseDottedPath(path: string): string[] {
  return path.split(".");
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value at `path`, or undefined when any step is missing. */
export function valueAt(root: unknown, path: ConfigPath): unknown {
  let node: unknown = root;
  for (const segment of path) {
    if (Array.isArray(node) && typeof segment === "number") node = node[segment];
    else if (isPlainObject(node) && Object.hasOwn(node, segment)) node = node[segment];
    else return undefined;
  }
  return node;
}

/** Whether `path` names something present in `root` (a value, possibly null). */
export function hasPath(root: unknown, path: ConfigPath): boolean {
  let node: unknown = root;
  for (const segment of path) {
    if (Array.isArray(node) && typeof segment === "number" && segment < node.length) {
      node = node[segment];
    } else if (isPlainObject(node) && Object.hasOwn(node, segment)) node = node[segment];
    else return false;
  }
  return true;
}

/** A copy of `root` with `value` at `path`, creating objects on the way; `root` is not changed. */
export function withValueAt(root: unknown, path: ConfigPath, value: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  const base = isPlainObject(root) ? root : {};
  return { ...base, [head]: withValueAt(base[head], rest, value) };
}

/**
 * `patch` laid over `base`: objects merge key by key, anything else is replaced. Two objects
 * with different `kind`s are different variants (a file store and a KurrentDB store), so the
 * patch replaces the base instead of mixing their fields.
 */
export function mergeLayers(base: unknown, patch: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(patch)) return patch;
  if ("kind" in base && "kind" in patch && base.kind !== patch.kind) return patch;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    merged[key] = Object.hasOwn(base, key) ? mergeLayers(base[key], value) : value;
  }
  return merged;
}

export interface ConfigLeaf {
  readonly path: ConfigPath;
  readonly value: unknown;
}

/**
 * Every setting under `root`, one per leaf: a scalar, a list of scalars, or an empty mapping.
 * Lists of mappings (strategies) are walked item by item.
 */
export function configLeaves(root: unknown, path: ConfigPath = []): ConfigLeaf[] {
  if (root === undefined) return [];
  if (Array.isArray(root) && root.some((item) => isPlainObject(item) || Array.isArray(item))) {
    return root.flatMap((item, index) => configLeaves(item, [...path, index]));
  }
  if (isPlainObject(root) && Object.keys(root).length > 0) {
    return Object.entries(root).flatMap(([key, value]) => configLeaves(value, [...path, key]));
  }
  return [{ path, value: root }];
}

/** Whether `text` mentions `word` as a whole word (e.g. a setting named in a rule). */
export function mentionsWord(text: string, word: string): boolean {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^\\w])${escaped}($|[^\\w])`).test(text);
}
