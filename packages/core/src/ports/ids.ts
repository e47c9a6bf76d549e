import { uuidFromName } from "../hash.js";

/** The id port: every event id comes from here, so tests and replays can make them reproducible. */
export interface IdGenerator {
  next(): string;
}

/**
 * Reproducible UUID-shaped ids: the n-th id of a seed is always the same.
 * Use it in tests and in any mode whose events must be byte-identical across runs.
 */
export function seededIds(seed: string): IdGenerator {
  let counter = 0;
  return {
    next: () => uuidFromName(`${seed}#${counter++}`),
  };
}
