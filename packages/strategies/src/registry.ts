import type { Strategy } from "@trader/core";
import {
  createHierarchicalAdaptive,
  HIERARCHICAL_ADAPTIVE_NAME,
  type HierarchicalAdaptiveParamsInput,
} from "./hierarchical-adaptive/index.js";
import { createSmaCrossover } from "./sma-crossover.js";
import { parseSmaCrossoverParams } from "./sma-crossover-params.js";

/** Builds a strategy from params as read from config (unknown shape: each factory validates). */
export type StrategyFactory = (params?: unknown) => Strategy;

/** The reference strategies by name. */
export const STRATEGIES: Readonly<Record<string, StrategyFactory>> = Object.freeze({
  [HIERARCHICAL_ADAPTIVE_NAME]: (params?: unknown) =>
    createHierarchicalAdaptive((params ?? {}) as HierarchicalAdaptiveParamsInput),
  "sma-crossover": (params?: unknown) => createSmaCrossover(parseSmaCrossoverParams(params ?? {})),
});

/** The named strategy built with `params`; an unknown name throws, listing the known ones. */
export function strategyByName(name: string, params?: unknown): Strategy {
  const factory = Object.hasOwn(STRATEGIES, name) ? STRATEGIES[name] : undefined;
  if (factory === undefined) {
    throw new RangeError(
      `unknown strategy "${name}"; known strategies: ${Object.keys(STRATEGIES).join(", ")}`,
    );
  }
  return factory(params);
}
