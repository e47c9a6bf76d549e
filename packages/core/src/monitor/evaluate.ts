import { assertCents, type Cents } from "../money.js";
import { denoise, requirePrice, requireWholeShares } from "../risk/input-rules.js";
import { marketValueCents } from "../risk/portfolio.js";
import type { PositionView } from "../strategy/api.js";
import { type MonitorConfig, monitorSettingsFor } from "./config.js";

export type MonitorBreachKind = "stop_loss" | "take_profit";
export type MonitorScope = "position" | "portfolio";

/** What one look at the account sees. */
export interface MonitorInput {
  /** Every open position of the account (zero quantities are ignored). */
  readonly positions: readonly PositionView[];
  /** symbol → current price, dollars (the quote's last). A position without one is `unpriced`. */
  readonly prices: Readonly<Record<string, number>>;
  /** The account's equity when the session started (the previous close), cents, > 0. */
  readonly sessionStartEquityCents: Cents;
  readonly cashCents: Cents;
}

/** A threshold crossed: by one position (`symbol`) or by the whole account (`"portfolio"`). */
export interface MonitorBreach {
  readonly symbol: string;
  readonly scope: MonitorScope;
  readonly kind: MonitorBreachKind;
  /** The move as a signed fraction: −0.021 is 2.1% against the position (or the account). */
  readonly move: number;
  /** The threshold crossed, signed like `move`: −0.02 for a 2% stop-loss, 0.05 for a 5% take-profit. */
  readonly threshold: number;
}

/** One position to close in full, and the breach that calls for it. */
export interface MonitorExit {
  readonly symbol: string;
  readonly strategy: string;
  /** The shares held (negative for a short); the exit closes all of them. */
  readonly quantity: number;
  readonly scope: MonitorScope;
  readonly kind: MonitorBreachKind;
  readonly move: number;
  readonly threshold: number;
}

export interface MonitorEvaluation {
  /** Symbols under the per-position watch (at most `maxPositions`, largest value first). */
  readonly monitored: readonly string[];
  /** Watched strategies' positions left out of the per-position watch by `maxPositions`. */
  readonly unmonitored: readonly string[];
  /** Positions with no current price: valued at their entry price, not checked on their own. */
  readonly unpriced: readonly string[];
  /** Cash + positions at the current prices. */
  readonly equityCents: Cents;
  /** Equity's move from the session's start; null when no position is watched. */
  readonly portfolioMove: number | null;
  readonly breaches: readonly MonitorBreach[];
  /** Every watched position on a portfolio breach, else the breached monitored positions. */
  readonly exits: readonly MonitorExit[];
}

/** A price move in the position's favour: positive when a long rises or a short falls. */
function moveOf(position: PositionView, price: number): number {
  const change = (price - position.averagePrice) / position.averagePrice;
  return denoise(position.quantity > 0 ? change : -change);
}

function validate(input: MonitorInput): PositionView[] {
  const sessionStart = assertCents(
    input.sessionStartEquityCents,
    "monitor: sessionStartEquityCents",
  );
  if (sessionStart <= 0) {
    throw new RangeError(
      `monitor: sessionStartEquityCents must be > 0 (the session's starting equity), got ${sessionStart}`,
    );
  }
  assertCents(input.cashCents, "monitor: cashCents");
  const open: PositionView[] = [];
  const seen = new Set<string>();
  for (const [index, position] of input.positions.entries()) {
    const name = `monitor: positions[${index}] (${position.symbol})`;
    if (requireWholeShares(position.quantity, `${name}.quantity`) === 0) continue;
    requirePrice(position.averagePrice, `${name}.averagePrice`);
    if (position.strategy === "") throw new RangeError(`${name}.strategy must not be empty`);
    const key = `${position.strategy}\u0000${position.symbol}`;
    if (seen.has(key)) {
      throw new RangeError(`${name}: ${position.strategy} holds ${position.symbol} twice`);
    }
    seen.add(key);
    open.push(position);
  }
  for (const [symbol, price] of Object.entries(input.prices)) {
    requirePrice(price, `monitor: prices.${symbol}`);
  }
  return open;
}

/**
 * One look of the intraday monitor (SPEC §17), pure: which thresholds the account crosses now
 * and the exits they call for. A position is watched when its strategy's monitor is enabled.
 * Per position: the move from the entry price (`averagePrice`) at or past −stopLoss or
 * +takeProfit, checked for the `maxPositions` watched positions of largest value. Portfolio:
 * equity's move from the session's starting equity at or past −portfolioStopLoss or
 * +portfolioTakeProfit exits every watched position. A threshold met exactly counts as crossed.
 * Throws a RangeError naming the input on a bad price, quantity or equity.
 */
export function evaluateMonitor(input: MonitorInput, config: MonitorConfig): MonitorEvaluation {
  const open = validate(input);
  const priceOf = (symbol: string): number | undefined =>
    Object.hasOwn(input.prices, symbol) ? input.prices[symbol] : undefined;
  const settingsOf = (position: PositionView) => monitorSettingsFor(config, position.strategy);

  const equityCents =
    input.cashCents +
    open.reduce(
      (sum, p) => sum + marketValueCents(p.quantity, priceOf(p.symbol) ?? p.averagePrice),
      0,
    );
  const watched = open.filter((position) => settingsOf(position).enabled);
  const unpriced = watched.filter((p) => priceOf(p.symbol) === undefined).map((p) => p.symbol);
  const exposureOf = (p: PositionView) =>
    Math.abs(marketValueCents(p.quantity, priceOf(p.symbol) as number));
  // Largest exposure first: with room for only N, watch where the most money is at stake.
  const ranked = watched
    .filter((p) => priceOf(p.symbol) !== undefined)
    .sort((a, b) => exposureOf(b) - exposureOf(a) || bySymbolThenStrategy(a, b));
  const monitored = ranked.slice(0, config.maxPositions);
  const unmonitored = ranked.slice(config.maxPositions).map((p) => p.symbol);

  const breaches: MonitorBreach[] = [];
  const exits: MonitorExit[] = [];
  const portfolioMove =
    watched.length === 0
      ? null
      : denoise((equityCents - input.sessionStartEquityCents) / input.sessionStartEquityCents);
  const portfolioBreach =
    portfolioMove === null
      ? null
      : portfolioMove <= -config.portfolioStopLoss
        ? { kind: "stop_loss" as const, threshold: -config.portfolioStopLoss }
        : portfolioMove >= config.portfolioTakeProfit
          ? { kind: "take_profit" as const, threshold: config.portfolioTakeProfit }
          : null;
  if (portfolioBreach && portfolioMove !== null) {
    breaches.push({
      symbol: "portfolio",
      scope: "portfolio",
      move: portfolioMove,
      ...portfolioBreach,
    });
  }
  for (const position of monitored) {
    const { stopLoss, takeProfit } = settingsOf(position);
    const move = moveOf(position, priceOf(position.symbol) as number);
    const breach =
      move <= -stopLoss
        ? { kind: "stop_loss" as const, threshold: -stopLoss }
        : move >= takeProfit
          ? { kind: "take_profit" as const, threshold: takeProfit }
          : null;
    if (!breach) continue;
    breaches.push({ symbol: position.symbol, scope: "position", move, ...breach });
    if (!portfolioBreach) exits.push(exitOf(position, "position", move, breach));
  }
  if (portfolioBreach && portfolioMove !== null) {
    for (const position of watched) {
      exits.push(exitOf(position, "portfolio", portfolioMove, portfolioBreach));
    }
  }
  return {
    monitored: monitored.map((p) => p.symbol),
    unmonitored,
    unpriced,
    equityCents,
    portfolioMove,
    breaches,
    exits: exits.sort(bySymbolThenStrategy),
  };
}

function bySymbolThenStrategy(
  a: { readonly symbol: string; readonly strategy: string },
  b: { readonly symbol: string; readonly strategy: string },
): number {
  if (a.symbol !== b.symbol) return a.symbol < b.symbol ? -1 : 1;
  return a.strategy < b.strategy ? -1 : a.strategy > b.strategy ? 1 : 0;
}

function exitOf(
  position: PositionView,
  scope: MonitorScope,
  move: number,
  breach: { readonly kind: MonitorBreachKind; readonly threshold: number },
): MonitorExit {
  return {
    symbol: position.symbol,
    strategy: position.strategy,
    quantity: position.quantity,
    scope,
    move,
    ...breach,
  };
}
