/**
 * The one fill model shared by backtest, paper and dry-run: fill at the price the decision
 * expected, moved against the trader by a fixed slippage plus seeded noise. Deterministic: the
 * price depends only on the model's options and the request, never on call order or time.
 */
import { type Cents, centsFromDollars, deterministicId } from "@trader/core";
import type { SubmitOrderRequest } from "./port.js";

export interface FillModel {
  readonly name: string;
  /** Bumped whenever the same inputs could give a different price. */
  readonly version: number;
  /** `name@version`, e.g. "decision-price@1": recorded on every simulated fill. */
  readonly id: string;
  /** The fill price in whole cents. Throws a RangeError for a price that is not positive. */
  price(request: Pick<SubmitOrderRequest, "clientOrderId" | "side" | "decisionPrice">): Cents;
}

export interface DecisionPriceFillModelOptions {
  /** Adverse move applied to every fill, in basis points (1 bp = 0.01%). Default 0. */
  readonly slippageBps?: number;
  /** Upper bound of the extra adverse noise, in basis points; drawn per order in [0, noiseBps]. Default 0. */
  readonly noiseBps?: number;
  /** Seeds the noise; with the client order id it fixes each order's draw. Default "fills". */
  readonly seed?: string;
}

export const DECISION_PRICE_FILL_MODEL = { name: "decision-price", version: 1 } as const;

const BASIS_POINTS = 10_000;

/**
 * Fills at `decisionPrice`, moved adversely (up for a buy, down for a sell) by
 * `slippageBps + noise`, rounded to whole cents (half away from zero). The noise is a uniform
 * draw in [0, noiseBps] from SHA-256 over (seed, clientOrderId). E.g. 20 bp on a $450.00 buy
 * fills at $450.90; on a sell at $449.10.
 */
export function decisionPriceFillModel(options: DecisionPriceFillModelOptions = {}): FillModel {
  const { slippageBps = 0, noiseBps = 0, seed = "fills" } = options;
  for (const [field, value] of [
    ["slippageBps", slippageBps],
    ["noiseBps", noiseBps],
  ] as const) {
    if (!(Number.isFinite(value) && value >= 0)) {
      throw new RangeError(
        `decisionPriceFillModel: ${field} must be a finite number ≥ 0, got ${value}`,
      );
    }
  }
  if (slippageBps + noiseBps >= BASIS_POINTS) {
    throw new RangeError(
      `decisionPriceFillModel: slippageBps + noiseBps must stay below ${BASIS_POINTS} (100%), got ${slippageBps + noiseBps}`,
    );
  }
  const { name, version } = DECISION_PRICE_FILL_MODEL;
  return {
    name,
    version,
    id: `${name}@${version}`,
    price({ clientOrderId, side, decisionPrice }) {
      if (!(Number.isFinite(decisionPrice) && decisionPrice > 0)) {
        throw new RangeError(
          `${name} fill model: decisionPrice must be a positive finite number of dollars, got ${decisionPrice} (order ${clientOrderId})`,
        );
      }
      const noise = noiseBps === 0 ? 0 : noiseBps * seededFraction(seed, clientOrderId);
      const adverse = (slippageBps + noise) / BASIS_POINTS;
      const cents = centsFromDollars(decisionPrice * (side === "buy" ? 1 + adverse : 1 - adverse));
      if (cents < 1) {
        throw new RangeError(
          `${name} fill model: order ${clientOrderId} would fill at ${cents} cents; decisionPrice ${decisionPrice} is below one cent`,
        );
      }
      return cents;
    },
  };
}

/** A number in [0, 1) from SHA-256 over the parts: 52 bits, exactly representable. */
function seededFraction(seed: string, clientOrderId: string): number {
  return Number.parseInt(deterministicId([seed, clientOrderId], 13), 16) / 2 ** 52;
}
