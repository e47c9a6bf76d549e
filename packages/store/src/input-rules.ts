import { StoreInputError } from "./port.js";

/** Lone UTF-16 surrogates cannot be encoded as UTF-8, so no store (nor file name) could hold them. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A stream name is a non-empty, well-formed Unicode string. */
export function checkStreamName(stream: unknown, operation: string): string {
  if (typeof stream !== "string" || stream.length === 0) {
    throw new StoreInputError(
      `${operation}: stream name ${describe(stream)}`,
      "a stream name must be a non-empty string",
    );
  }
  if (LONE_SURROGATE.test(stream)) {
    throw new StoreInputError(
      `${operation}: stream name ${JSON.stringify(stream)}`,
      "a stream name must be well-formed Unicode (it contains a lone surrogate)",
    );
  }
  return stream;
}

/** A revision or global position given as a read's starting point: a whole number ≥ 0. */
export function checkStartingPoint(value: unknown, option: string, operation: string): number {
  if (value === undefined) return 0;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new StoreInputError(
      `${operation}: ${option} ${describe(value)}`,
      `${option} must be a whole number ≥ 0`,
    );
  }
  return value;
}

export function checkPrefix(prefix: unknown): string {
  if (prefix === undefined) return "";
  if (typeof prefix !== "string") {
    throw new StoreInputError(
      `listStreams: prefix ${describe(prefix)}`,
      "the prefix must be a string",
    );
  }
  return prefix;
}

/** A value as it should appear in an error message: JSON where possible, never throwing. */
export function describe(value: unknown): string {
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (value === undefined) return "undefined";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
