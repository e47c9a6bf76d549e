import { parseConfig } from "@trader/core";
import { z } from "zod";
import { DEFAULT_SMA_CROSSOVER_PARAMS, type SmaCrossoverParams } from "./sma-crossover.js";

const defaults = DEFAULT_SMA_CROSSOVER_PARAMS;

/**
 * The SMA crossover's params as config (the registry parses files and flags with it); the example
 * itself stays dependency-free so the README can show it whole.
 */
export const smaCrossoverParamsSchema = z
  .object({
    symbol: z.string().min(1).default(defaults.symbol),
    fast: z.number().int().min(1).default(defaults.fast),
    slow: z.number().int().min(2).default(defaults.slow),
    weight: z.number().gt(0).max(1).default(defaults.weight),
  })
  .strict()
  .refine((params) => params.fast < params.slow, {
    path: ["fast"],
    message: "fast must be < slow",
  });

export function parseSmaCrossoverParams(input: unknown = {}): SmaCrossoverParams {
  return parseConfig("sma-crossover", smaCrossoverParamsSchema, input);
}
