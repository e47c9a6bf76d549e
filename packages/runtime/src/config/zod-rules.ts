/** zod's issues as rules a person can act on: "must be < 1", "must be one of file, esdb". */
import type { z } from "zod";

/** zod's own wording starts like this; a schema's custom message (already a rule) does not. */
const ZOD_DEFAULT_MESSAGE = /^(Too small|Too big|Invalid|Unrecognized)/;
const LARGEST_SAFE = Number.MAX_SAFE_INTEGER;

export function ruleFromIssue(issue: z.core.$ZodIssue, value: unknown): string {
  if (!ZOD_DEFAULT_MESSAGE.test(issue.message)) return issue.message;
  switch (issue.code) {
    case "too_small":
      return sizeRule(issue.origin, issue.inclusive ? "≥" : ">", Number(issue.minimum), "least");
    case "too_big":
      return sizeRule(issue.origin, issue.inclusive ? "≤" : "<", Number(issue.maximum), "most");
    case "invalid_type":
      return value === undefined
        ? `is required (${typeName(issue.expected)})`
        : `must be ${typeName(issue.expected)}, got ${describeType(value)}`;
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "invalid_union": {
      const options = (issue as { options?: readonly unknown[] }).options;
      return options
        ? `must be one of ${options.map((v) => JSON.stringify(v)).join(", ")}`
        : "matches none of the allowed shapes";
    }
    case "invalid_format":
      return issue.format === "date"
        ? "must be a calendar date written YYYY-MM-DD"
        : `must be ${issue.format === "regex" ? `text matching ${issue.pattern}` : `a valid ${issue.format}`}`;
    case "not_multiple_of":
      return `must be a multiple of ${String(issue.divisor)}`;
    case "unrecognized_keys":
      return `unknown keys ${issue.keys.join(", ")}`;
    default:
      return issue.message;
  }
}

function sizeRule(
  origin: string,
  comparison: string,
  bound: number,
  word: "least" | "most",
): string {
  if (origin === "array" || origin === "set") {
    return bound === 1 && word === "least"
      ? "must not be empty"
      : `must have at ${word} ${bound} items`;
  }
  if (origin === "string") {
    return bound === 1 && word === "least"
      ? "must not be empty"
      : `must have at ${word} ${bound} characters`;
  }
  if (Math.abs(bound) >= LARGEST_SAFE) return "must be a safe whole number";
  return `must be ${comparison} ${bound}`;
}

function typeName(expected: string): string {
  if (expected === "int") return "a whole number";
  if (expected === "object") return "a mapping of settings";
  if (expected === "array") return "a list";
  if (expected === "string") return "text";
  return `a ${expected}`;
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "number" && !Number.isInteger(value)) return `${value}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}
