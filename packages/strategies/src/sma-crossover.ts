import { type Strategy, sma } from "@trader/core";

/** Hold `weight` of `symbol` while its fast SMA is above its slow SMA; cash otherwise. */
export const DEFAULT_SMA_CROSSOVER_PARAMS = { symbol: "QQQ", fast: 50, slow: 200, weight: 0.9 };
export type SmaCrossoverParams = typeof DEFAULT_SMA_CROSSOVER_PARAMS;

export function createSmaCrossover(
  options: Partial<SmaCrossoverParams> = {},
): Strategy<SmaCrossoverParams> {
  const params = { ...DEFAULT_SMA_CROSSOVER_PARAMS, ...options };
  const { symbol, fast, slow, weight } = params;
  if (!(Number.isInteger(fast) && Number.isInteger(slow) && fast >= 1 && fast < slow)) {
    throw new RangeError(`sma-crossover: need whole 1 ≤ fast < slow, got ${fast} and ${slow}`);
  }
  if (!(weight > 0 && weight <= 1)) {
    throw new RangeError(`sma-crossover: weight must be in (0, 1], got ${weight}`);
  }
  return {
    name: "sma-crossover",
    universe: [symbol],
    historyBars: slow,
    params,
    decide(snapshot) {
      const closes = snapshot
        .bars(symbol)
        .slice(-slow)
        .map((bar) => bar.close);
      if (closes.length < slow) return { regime: "insufficient_history", signals: [] };
      const fastSma = sma(closes.slice(-fast), fast).at(-1) as number;
      const slowSma = sma(closes, slow).at(-1) as number;
      const uptrend = fastSma > slowSma;
      const regime = uptrend ? "uptrend" : "downtrend";
      const weights = { [symbol]: uptrend ? weight : 0 };
      const rationale = { fastSma, slowSma };
      return { regime, signals: [{ kind: "target_weights", weights, confidence: 1, rationale }] };
    },
  };
}
