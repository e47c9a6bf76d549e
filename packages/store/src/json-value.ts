/**
 * Stores keep data and metadata as JSON, so a value must survive `JSON.stringify` → `JSON.parse`
 * unchanged. `JSON.stringify` alone is too lenient: it silently drops `undefined` and functions,
 * turns NaN into null and a Date into a string, so the event read back would differ from the one
 * appended. This walk names the first value that would not round-trip, e.g.
 * `data.legs[1].price is NaN, which JSON cannot hold (numbers must be finite)`.
 */
export function jsonProblem(value: unknown, name: string): string | undefined {
  const problem = problemIn(value, []);
  return problem && `${name}${problem.at} ${problem.what}`;
}

interface Problem {
  /** The path below the value walked so far, built while unwinding (the happy path builds none). */
  at: string;
  readonly what: string;
}

function problemIn(value: unknown, ancestors: object[]): Problem | undefined {
  switch (typeof value) {
    case "string":
    case "boolean":
      return undefined;
    case "number":
      return Number.isFinite(value)
        ? undefined
        : { at: "", what: `is ${value}, which JSON cannot hold (numbers must be finite)` };
    case "undefined":
      return {
        at: "",
        what: "is undefined, which JSON cannot hold (omit the property or use null)",
      };
    case "bigint":
      return { at: "", what: "is a bigint, which JSON cannot hold (store it as a string)" };
    case "function":
    case "symbol":
      return { at: "", what: `is a ${typeof value}, which JSON cannot hold` };
  }
  if (value === null) return undefined;
  const object = value as object;
  if (ancestors.includes(object))
    return { at: "", what: "refers to itself (a cycle), which JSON cannot hold" };
  ancestors.push(object);
  try {
    if (Array.isArray(object)) {
      for (let index = 0; index < object.length; index++) {
        const problem = problemIn(object[index], ancestors);
        if (problem) return prefixed(problem, `[${index}]`);
      }
      return undefined;
    }
    const prototype = Object.getPrototypeOf(object);
    if (prototype !== Object.prototype && prototype !== null) {
      const kind = (prototype as { constructor?: { name?: string } }).constructor?.name || "object";
      return {
        at: "",
        what: `is a ${kind}, not a plain JSON object (convert it first, e.g. a Date to an ISO string)`,
      };
    }
    for (const key of Object.keys(object)) {
      const problem = problemIn((object as Record<string, unknown>)[key], ancestors);
      if (problem)
        return prefixed(
          problem,
          /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`,
        );
    }
    return undefined;
  } finally {
    ancestors.pop();
  }
}

function prefixed(problem: Problem, segment: string): Problem {
  problem.at = `${segment}${problem.at}`;
  return problem;
}
