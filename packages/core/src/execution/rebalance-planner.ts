import { z } from "zod";
import { parseConfig } from "../config/parse-config.js";
import { formatPercent } from "../format.js";
import { assertCents, type Cents, formatCents } from "../money.js";
import {
  denoise,
  lookup,
  requireFraction,
  requirePrice,
  requireWholeShares,
} from "../risk/input-rules.js";
import { marketValueCents } from "../risk/portfolio.js";
import type { OrderSide } from "../safety/intents/intent-id.js";

/** Rebalance planning (SPEC §9, the plan's 15:54 steps), every number a default. */
export const rebalanceConfigSchema = z.object({
  /** Skip a symbol whose current weight is less than this many points (a fraction) from target. */
  threshold: z.number().min(0).lt(1).default(0.05),
  /** Cash kept after the buys, as a fraction of equity; target weights are scaled down to leave it. */
  minCashFraction: z.number().min(0).lt(1).default(0.05),
  /**
   * A held symbol targeted at 0 is sold in full even when it is within the threshold: the
   * strategy wants out, and a threshold meant to stop churn should not leave a stub behind.
   */
  fullExitsIgnoreThreshold: z.boolean().default(true),
});

export type RebalanceConfig = z.output<typeof rebalanceConfigSchema>;
export type RebalanceConfigInput = z.input<typeof rebalanceConfigSchema>;

/** Parses a (partial) config, filling defaults; throws a RangeError naming each bad field and rule. */
export function parseRebalanceConfig(input: RebalanceConfigInput = {}): RebalanceConfig {
  return parseConfig("rebalance", rebalanceConfigSchema, input);
}

export const DEFAULT_REBALANCE_CONFIG: RebalanceConfig = parseRebalanceConfig();

export interface RebalanceInput {
  readonly cashCents: Cents;
  /** Whole shares held per symbol. */
  readonly holdings: Readonly<Record<string, number>>;
  /** The decision price per symbol, dollars; needed for every held or targeted symbol. */
  readonly prices: Readonly<Record<string, number>>;
  /** symbol → fraction of equity (sum ≤ 1); symbols held but not listed are targeted at 0. */
  readonly targetWeights: Readonly<Record<string, number>>;
  /** The governor's sizing multiplier: 1 in NORMAL, 0.5 in RAMPUP. */
  readonly sizingMultiplier: number;
}

export interface PlannedOrder {
  readonly symbol: string;
  readonly side: OrderSide;
  /** Whole shares, > 0. */
  readonly quantity: number;
  readonly expectedPrice: number;
  readonly notionalCents: Cents;
}

export type RebalanceSkipCode =
  | "below_rebalance_threshold"
  | "zero_shares_after_rounding"
  | "insufficient_cash";

export interface SkippedSymbol {
  readonly symbol: string;
  readonly code: RebalanceSkipCode;
  readonly message: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

/** A buy cut short because the cash after sells (less the minimum cash) ran out. */
export interface TrimmedBuy {
  readonly symbol: string;
  readonly wantedQuantity: number;
  readonly quantity: number;
  readonly code: "insufficient_cash";
}

export interface SymbolTarget {
  readonly symbol: string;
  readonly currentShares: number;
  readonly currentWeight: number;
  /** After the sizing multiplier and the min-cash scaling. */
  readonly targetWeight: number;
  readonly targetShares: number;
  /** What rounding down to whole shares leaves in cash for this symbol. */
  readonly roundingRemainderCents: Cents;
}

export interface RebalancePlan {
  /** Sells first, then buys. */
  readonly orders: readonly PlannedOrder[];
  readonly skipped: readonly SkippedSymbol[];
  readonly trimmed: readonly TrimmedBuy[];
  readonly targets: readonly SymbolTarget[];
  readonly equityCents: Cents;
  /** The factor applied to every target weight to keep the minimum cash (1 when not needed). */
  readonly weightScale: number;
  readonly minCashCents: Cents;
  readonly cashBeforeCents: Cents;
  readonly cashAfterSellsCents: Cents;
  /** Projected cash once every order fills at its expected price. */
  readonly cashAfterCents: Cents;
  /** Σ over traded symbols of what rounding down left unallocated. */
  readonly roundingRemainderCents: Cents;
}

/** Largest whole-share count whose cost does not exceed `cents` (float noise of 1e-9 share forgiven). */
function sharesFor(cents: number, price: number): number {
  return Math.max(0, Math.floor(cents / (price * 100) + 1e-9));
}

function validate(input: RebalanceInput): { symbols: string[]; equityCents: Cents } {
  assertCents(input.cashCents, "cashCents");
  requireFraction(input.sizingMultiplier, "sizingMultiplier");
  let weightSum = 0;
  for (const [symbol, weight] of Object.entries(input.targetWeights)) {
    weightSum += requireFraction(weight, `targetWeights.${symbol}`);
  }
  if (denoise(weightSum) > 1) {
    throw new RangeError(`targetWeights must sum to at most 1, got ${denoise(weightSum)}`);
  }
  const held = Object.entries(input.holdings).filter(
    ([symbol, quantity]) => requireWholeShares(quantity, `holdings.${symbol}`) !== 0,
  );
  const symbols = [
    ...new Set([...held.map(([s]) => s), ...Object.keys(input.targetWeights)]),
  ].sort();
  let equityCents = input.cashCents;
  for (const symbol of symbols) {
    const price = requirePrice(lookup(input.prices, symbol, "prices"), `prices.${symbol}`);
    equityCents += marketValueCents(input.holdings[symbol] ?? 0, price);
  }
  if (equityCents <= 0) {
    throw new RangeError(
      `equity (cash + holdings) must be > 0 to plan, got ${formatCents(equityCents)}`,
    );
  }
  return { symbols, equityCents };
}

/**
 * Turns target weights into orders: weight × sizing multiplier (scaled down together if they
 * would leave less than the minimum cash) × equity → dollars → whole shares rounded DOWN. A symbol
 * within the threshold of its target is skipped (`below_rebalance_threshold`); one whose whole
 * shares do not change is skipped (`zero_shares_after_rounding`). Sells come first; buys, largest
 * first, are limited to the cash after sells less the minimum cash (`insufficient_cash` when
 * nothing fits, a trim when part does). Equity = cash + holdings at `prices`.
 */
export function planRebalance(
  input: RebalanceInput,
  config: RebalanceConfig = DEFAULT_REBALANCE_CONFIG,
): RebalancePlan {
  const { symbols, equityCents } = validate(input);
  const price = (symbol: string) => input.prices[symbol] as number;
  const sizedSum =
    Object.values(input.targetWeights).reduce((a, w) => a + w, 0) * input.sizingMultiplier;
  const investable = 1 - config.minCashFraction;
  const weightScale = sizedSum > investable ? investable / sizedSum : 1;

  const targets: SymbolTarget[] = [];
  const skipped: SkippedSymbol[] = [];
  const sells: PlannedOrder[] = [];
  const wantedBuys: { symbol: string; quantity: number; target: SymbolTarget }[] = [];
  for (const symbol of symbols) {
    const currentShares = input.holdings[symbol] ?? 0;
    const currentWeight = marketValueCents(currentShares, price(symbol)) / equityCents;
    const targetWeight = (input.targetWeights[symbol] ?? 0) * input.sizingMultiplier * weightScale;
    const targetCents = targetWeight * equityCents;
    const targetShares = sharesFor(targetCents, price(symbol));
    const target: SymbolTarget = {
      symbol,
      currentShares,
      currentWeight,
      targetWeight,
      targetShares,
      roundingRemainderCents: Math.max(
        0,
        Math.round(targetCents) - marketValueCents(targetShares, price(symbol)),
      ),
    };
    targets.push(target);
    const gap = denoise(Math.abs(currentWeight - targetWeight));
    const fullExit = config.fullExitsIgnoreThreshold && targetWeight === 0 && currentShares > 0;
    if (gap < config.threshold && !fullExit) {
      skipped.push({
        symbol,
        code: "below_rebalance_threshold",
        message: `${symbol} weight ${formatPercent(currentWeight)} is within ${formatPercent(config.threshold)} of target ${formatPercent(targetWeight)}`,
        detail: { currentWeight, targetWeight, gap, threshold: config.threshold },
      });
      continue;
    }
    const delta = targetShares - currentShares;
    if (delta === 0) {
      skipped.push({
        symbol,
        code: "zero_shares_after_rounding",
        message: `${symbol} target ${formatCents(Math.round(targetCents))} at $${price(symbol)} rounds down to the ${targetShares} shares already held`,
        detail: { targetCents: Math.round(targetCents), price: price(symbol), targetShares },
      });
    } else if (delta < 0) {
      const quantity = -delta;
      sells.push({
        symbol,
        side: "sell",
        quantity,
        expectedPrice: price(symbol),
        notionalCents: marketValueCents(quantity, price(symbol)),
      });
    } else {
      wantedBuys.push({ symbol, quantity: delta, target });
    }
  }

  const cashAfterSellsCents = sells.reduce((cash, o) => cash + o.notionalCents, input.cashCents);
  const minCashCents = Math.ceil(config.minCashFraction * equityCents);
  let available = cashAfterSellsCents - minCashCents;
  const buys: PlannedOrder[] = [];
  const trimmed: TrimmedBuy[] = [];
  const notional = (b: { symbol: string; quantity: number }) =>
    marketValueCents(b.quantity, price(b.symbol));
  wantedBuys.sort((a, b) => notional(b) - notional(a) || (a.symbol < b.symbol ? -1 : 1));
  for (const wanted of wantedBuys) {
    const { symbol } = wanted;
    let quantity = Math.min(wanted.quantity, sharesFor(Math.max(0, available), price(symbol)));
    while (quantity > 0 && marketValueCents(quantity, price(symbol)) > available) quantity -= 1;
    if (quantity === 0) {
      skipped.push({
        symbol,
        code: "insufficient_cash",
        message: `${symbol}: buying ${wanted.quantity} shares needs ${formatCents(notional(wanted))}; ${formatCents(Math.max(0, available))} is left after sells and the ${formatCents(minCashCents)} minimum cash`,
        detail: {
          wantedQuantity: wanted.quantity,
          neededCents: notional(wanted),
          availableCents: Math.max(0, available),
          minCashCents,
        },
      });
      continue;
    }
    if (quantity < wanted.quantity) {
      trimmed.push({
        symbol,
        wantedQuantity: wanted.quantity,
        quantity,
        code: "insufficient_cash",
      });
    }
    const order: PlannedOrder = {
      symbol,
      side: "buy",
      quantity,
      expectedPrice: price(symbol),
      notionalCents: marketValueCents(quantity, price(symbol)),
    };
    available -= order.notionalCents;
    buys.push(order);
  }

  const cashAfterCents = buys.reduce((cash, o) => cash - o.notionalCents, cashAfterSellsCents);
  const traded = new Set([...sells, ...buys].map((o) => o.symbol));
  return {
    orders: [...sells, ...buys],
    skipped,
    trimmed,
    targets,
    equityCents,
    weightScale,
    minCashCents,
    cashBeforeCents: input.cashCents,
    cashAfterSellsCents,
    cashAfterCents,
    roundingRemainderCents: targets
      .filter((t) => traded.has(t.symbol))
      .reduce((sum, t) => sum + t.roundingRemainderCents, 0),
  };
}
