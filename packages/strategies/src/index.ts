export * from "./hierarchical-adaptive/index.js";
export { STRATEGIES, type StrategyFactory, strategyByName } from "./registry.js";
export {
  createSmaCrossover,
  DEFAULT_SMA_CROSSOVER_PARAMS,
  type SmaCrossoverParams,
} from "./sma-crossover.js";
export { parseSmaCrossoverParams, smaCrossoverParamsSchema } from "./sma-crossover-params.js";
