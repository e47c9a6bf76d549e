import { assertCents, type Cents } from "../money.js";
import { UnknownSymbolError } from "../pipeline/snapshot.js";
import { marketValueCents } from "../risk/portfolio.js";
import type { EntryExitSignal, Strategy } from "../strategy/api.js";
import { type MonitorConfig, monitorSettingsFor } from "./config.js";
import { evaluateMonitor, type MonitorExit } from "./evaluate.js";

/**
 * The regimes a monitor decision reports. They carry the `monitor_` prefix because the monitor
 * decides under the name of the strategy that owns the positions (see createMonitorStrategy).
 */
export const MONITOR_REGIMES = {
  off: "monitor_off",
  withinLimits: "monitor_within_limits",
  /** Breached, but every breached position already has a sell on its way. */
  exitInFlight: "monitor_exit_in_flight",
} as const;

/** The regime of one exit, e.g. `monitor_stop_loss`, `monitor_portfolio_take_profit`. */
export function monitorExitRegime(exit: Pick<MonitorExit, "scope" | "kind">): string {
  return `monitor_${exit.scope === "portfolio" ? "portfolio_" : ""}${exit.kind}`;
}

export interface MonitorStrategyOptions {
  /**
   * The strategy whose positions this monitor exits. The monitor decides under that name: the
   * pipeline only sells a strategy's own holdings, and its kill switch and limits then apply to
   * the exits as to any of that strategy's exits.
   */
  readonly strategy: string;
  readonly config: MonitorConfig;
  /** The account's equity when the session started (the previous close), cents. */
  readonly sessionStartEquityCents: Cents;
  /** Every symbol the account holds: the portfolio check prices all of them. */
  readonly universe: readonly string[];
  /** Symbols whose sell is already on its way (an open intent): not sold a second time. */
  readonly exitsInFlight?: readonly string[];
}

export interface MonitorStrategyParams {
  readonly monitorFor: string;
  readonly config: MonitorConfig;
  readonly sessionStartEquityCents: Cents;
  readonly exitsInFlight: readonly string[];
}

/**
 * The intraday monitor as a Strategy (SPEC §17): its decide() looks at the portfolio at the
 * snapshot's prices (today's synthetic bar from the quotes) with `evaluateMonitor` and returns an
 * `exit` signal (fraction 1) for each of its strategy's positions a breach calls for, so the
 * exits travel the same pipeline, funnel and events as any signal (kill switches, breakers and
 * the governor apply to them as to any exit). A position exited on one look is gone on the next,
 * and one with a sell still open is skipped, so nothing is sold twice.
 */
export function createMonitorStrategy(
  options: MonitorStrategyOptions,
): Strategy<MonitorStrategyParams> {
  const { strategy, config } = options;
  if (strategy === "") throw new RangeError("createMonitorStrategy: strategy must not be empty");
  const sessionStartEquityCents = assertCents(
    options.sessionStartEquityCents,
    "createMonitorStrategy: sessionStartEquityCents",
  );
  if (sessionStartEquityCents <= 0) {
    throw new RangeError(
      `createMonitorStrategy: sessionStartEquityCents must be > 0, got ${sessionStartEquityCents}`,
    );
  }
  const exitsInFlight = [...new Set(options.exitsInFlight ?? [])].sort();
  const enabled = monitorSettingsFor(config, strategy).enabled;
  return {
    name: strategy,
    universe: enabled ? [...new Set(options.universe)].sort() : [],
    // Only today's price is read; the data-quality gate still asks for its own history.
    historyBars: 1,
    params: { monitorFor: strategy, config, sessionStartEquityCents, exitsInFlight },
    decide(snapshot, portfolio) {
      if (!enabled) return { regime: MONITOR_REGIMES.off, signals: [] };
      const prices: Record<string, number> = {};
      let heldValueCents = 0;
      for (const position of portfolio.positions) {
        if (position.quantity === 0) continue;
        const price = priceOrUndefined(() => snapshot.price(position.symbol));
        if (price !== undefined) prices[position.symbol] = price;
        heldValueCents += marketValueCents(position.quantity, price ?? position.averagePrice);
      }
      // Cash that matches the positions listed: the pipeline hands a later strategy the cash
      // after an earlier one's planned sells, while the positions are those at the run's start.
      const cashCents = portfolio.equity - heldValueCents;
      const evaluation = evaluateMonitor(
        { positions: portfolio.positions, prices, sessionStartEquityCents, cashCents },
        config,
      );
      const own = evaluation.exits.filter((exit) => exit.strategy === strategy);
      const due = own.filter((exit) => !exitsInFlight.includes(exit.symbol));
      const signals = due.map(
        (exit): EntryExitSignal => ({
          kind: "exit",
          symbol: exit.symbol,
          fraction: 1,
          confidence: 1,
          regime: monitorExitRegime(exit),
          rationale: {
            scope: exit.scope,
            kind: exit.kind,
            move: exit.move,
            threshold: exit.threshold,
            price: prices[exit.symbol] ?? null,
            equityCents: evaluation.equityCents,
            sessionStartEquityCents,
          },
        }),
      );
      const [first] = due;
      const regime = first
        ? monitorExitRegime(first)
        : own.length > 0
          ? MONITOR_REGIMES.exitInFlight
          : MONITOR_REGIMES.withinLimits;
      return { regime, signals };
    },
  };
}

/** A price the run has no data for is unknown to the monitor, not an error. */
function priceOrUndefined(read: () => number): number | undefined {
  try {
    return read();
  } catch (error) {
    if (error instanceof UnknownSymbolError) return undefined;
    throw error;
  }
}
