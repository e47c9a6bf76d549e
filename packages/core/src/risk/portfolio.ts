import { assertCents, type Cents, centsFromDollars } from "../money.js";
import type { OrderSide } from "../safety/intents/intent-id.js";
import type { OrderRisk } from "../safety/precedence/order.js";
import { requirePrice, requireWholeShares } from "./input-rules.js";

/** One strategy's holding of one symbol, marked at a price in dollars. */
export interface RiskHolding {
  readonly symbol: string;
  readonly strategy: string;
  /** Whole shares; negative for a short. */
  readonly quantity: number;
  /** The mark the decision uses (today's synthetic close), dollars. */
  readonly price: number;
}

/** An account as the risk gates see it, before or after a proposed trade. */
export interface RiskPortfolio {
  readonly cashCents: Cents;
  readonly holdings: readonly RiskHolding[];
}

/** The numbers every gate reads, computed once per portfolio. Weights are fractions of equity. */
export interface PortfolioMetrics {
  readonly cashCents: Cents;
  /** Cash plus the market value of every holding. */
  readonly equityCents: Cents;
  /** Signed market value per symbol (all strategies), cents. */
  readonly symbolValueCents: ReadonlyMap<string, Cents>;
  /** Gross (|value|) market value per strategy, cents. */
  readonly strategyGrossCents: ReadonlyMap<string, Cents>;
  /** Σ |value| over symbols, cents. */
  readonly grossExposureCents: Cents;
  /** Symbols with a non-zero net quantity. */
  readonly heldSymbols: readonly string[];
  /** Net quantity per symbol. */
  readonly symbolQuantity: ReadonlyMap<string, number>;
}

/** Market value in whole cents of a quantity at a dollar price. */
export function marketValueCents(quantity: number, price: number): Cents {
  return centsFromDollars(quantity * price);
}

export function portfolioMetrics(portfolio: RiskPortfolio, name = "portfolio"): PortfolioMetrics {
  const cashCents = assertCents(portfolio.cashCents, `${name}.cashCents`);
  const symbolValueCents = new Map<string, Cents>();
  const symbolQuantity = new Map<string, number>();
  const strategyGrossCents = new Map<string, Cents>();
  for (const [index, holding] of portfolio.holdings.entries()) {
    if (
      !Number.isSafeInteger(holding.quantity) ||
      !(Number.isFinite(holding.price) && holding.price > 0)
    ) {
      // Names are built only on the error path: this loop runs for every signal.
      const where = `${name}.holdings[${index}] (${holding.symbol})`;
      requireWholeShares(holding.quantity, `${where}.quantity`);
      requirePrice(holding.price, `${where}.price`);
    }
    const value = marketValueCents(holding.quantity, holding.price);
    symbolValueCents.set(holding.symbol, (symbolValueCents.get(holding.symbol) ?? 0) + value);
    symbolQuantity.set(
      holding.symbol,
      (symbolQuantity.get(holding.symbol) ?? 0) + holding.quantity,
    );
    strategyGrossCents.set(
      holding.strategy,
      (strategyGrossCents.get(holding.strategy) ?? 0) + Math.abs(value),
    );
  }
  let positionsCents = 0;
  let grossExposureCents = 0;
  for (const value of symbolValueCents.values()) {
    positionsCents += value;
    grossExposureCents += Math.abs(value);
  }
  const heldSymbols = [...symbolQuantity.entries()]
    .filter(([, quantity]) => quantity !== 0)
    .map(([symbol]) => symbol)
    .sort();
  return {
    cashCents,
    equityCents: cashCents + positionsCents,
    symbolValueCents,
    strategyGrossCents,
    grossExposureCents,
    heldSymbols,
    symbolQuantity,
  };
}

/** An order to lay over a portfolio: whole shares at an expected price in dollars. */
export interface PortfolioOrder {
  readonly symbol: string;
  readonly side: OrderSide;
  readonly quantity: number;
  readonly expectedPrice: number;
}

/**
 * The portfolio after the orders fill at their expected prices: cash moves by each order's
 * notional (whole cents), the strategy's holding by its quantity. Other holdings of the symbol
 * are re-marked at the order's price so one symbol has one mark.
 */
export function applyOrders(
  portfolio: RiskPortfolio,
  strategy: string,
  orders: readonly PortfolioOrder[],
): RiskPortfolio {
  let cashCents = portfolio.cashCents;
  const holdings = portfolio.holdings.map((holding) => ({ ...holding }));
  for (const [index, order] of orders.entries()) {
    const where = `orders[${index}] (${order.symbol})`;
    const quantity = requireWholeShares(order.quantity, `${where}.quantity`);
    if (quantity <= 0) throw new RangeError(`${where}.quantity must be > 0, got ${quantity}`);
    const price = requirePrice(order.expectedPrice, `${where}.expectedPrice`);
    const signed = order.side === "buy" ? quantity : -quantity;
    cashCents -= marketValueCents(signed, price);
    for (const holding of holdings) {
      if (holding.symbol === order.symbol) holding.price = price;
    }
    const own = holdings.find((h) => h.symbol === order.symbol && h.strategy === strategy);
    if (own) own.quantity += signed;
    else holdings.push({ symbol: order.symbol, strategy, quantity: signed, price });
  }
  return { cashCents, holdings: holdings.filter((holding) => holding.quantity !== 0) };
}

/**
 * Whether going from `before` to `after` adds risk in a symbol: it is risk-reducing when the
 * account's net position moves toward zero without crossing it (an exit, a trim, or no change).
 */
export function orderRiskOf(
  before: PortfolioMetrics,
  after: PortfolioMetrics,
  symbol: string,
): OrderRisk {
  const was = before.symbolQuantity.get(symbol) ?? 0;
  const will = after.symbolQuantity.get(symbol) ?? 0;
  const sameSideOrFlat = will === 0 || Math.sign(will) === Math.sign(was);
  return sameSideOrFlat && Math.abs(will) <= Math.abs(was) ? "risk_reducing" : "risk_increasing";
}
