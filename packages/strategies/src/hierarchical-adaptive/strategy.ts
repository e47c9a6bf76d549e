import type { Bar, MarketSnapshot, Strategy, StrategyDecision } from "@trader/core";
import { allocate, confidenceOf } from "./allocation.js";
import {
  type HierarchicalAdaptiveParams,
  type HierarchicalAdaptiveParamsInput,
  historyBarsNeeded,
  INSUFFICIENT_HISTORY_REGIME,
  parseHierarchicalAdaptiveParams,
  regimeCell,
} from "./params.js";
import { readBondTrend, readEquityTrend } from "./trend.js";
import { readVolatility } from "./volatility.js";

export const HIERARCHICAL_ADAPTIVE_NAME = "hierarchical-adaptive-v3.5b";

/** The last `count` closes: every indicator runs over this window only, however long the history. */
function lastCloses(snapshot: MarketSnapshot, symbol: string, count: number): number[] | null {
  const bars = snapshot.bars(symbol);
  if (bars.length < count) return null;
  const closes: number[] = [];
  for (let index = bars.length - count; index < bars.length; index++) {
    closes.push((bars[index] as Bar).close);
  }
  return closes;
}

function decide(
  snapshot: MarketSnapshot,
  params: HierarchicalAdaptiveParams,
  historyBars: number,
): StrategyDecision {
  const { universe } = params;
  const equityCloses = lastCloses(snapshot, universe.signalSymbol, historyBars);
  const bondCloses = lastCloses(snapshot, universe.bondSignal, historyBars);
  if (equityCloses === null || bondCloses === null) {
    return { regime: INSUFFICIENT_HISTORY_REGIME, signals: [] };
  }
  const equity = readEquityTrend(equityCloses, params.trend);
  const volatility = readVolatility(equityCloses, params.volatility);
  const bonds = readBondTrend(bondCloses, params.trend);
  const cell = regimeCell(equity.trend, volatility.state);
  const allocation = allocate(cell, bonds.trend, params);
  return {
    regime: cell,
    signals: [
      {
        kind: "target_weights",
        weights: allocation.weights,
        confidence: confidenceOf(equity, params.allocation),
        rationale: {
          cell,
          equity,
          volatility,
          bonds,
          bondSymbol: allocation.bondSymbol,
          bondWeight: allocation.bondWeight,
          bondWeightCapped: allocation.bondWeightCapped,
        },
      },
    ],
  };
}

/**
 * Hierarchical Adaptive v3.5b (SPEC §16; docs/strategies/hierarchical-adaptive-v3.5b.md): equity
 * trend × volatility picks a regime cell, the cell picks sleeve weights, the bond trend picks the
 * safe haven. `params` default to the plan's "Titan" config; bad params throw a RangeError
 * naming each field and rule.
 */
export function createHierarchicalAdaptive(
  input: HierarchicalAdaptiveParamsInput = {},
): Strategy<HierarchicalAdaptiveParams> {
  const params = parseHierarchicalAdaptiveParams(input);
  const historyBars = historyBarsNeeded(params);
  const { signalSymbol, bondSignal, bullSymbol, bullBond, bearBond } = params.universe;
  return Object.freeze({
    name: HIERARCHICAL_ADAPTIVE_NAME,
    universe: Object.freeze([signalSymbol, bondSignal, bullSymbol, bullBond, bearBond]),
    historyBars,
    params,
    decide: (snapshot: MarketSnapshot) => decide(snapshot, params, historyBars),
  });
}
