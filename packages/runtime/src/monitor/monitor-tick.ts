import {
  type AccountModel,
  type AccountState,
  type Bar,
  type Cents,
  createMonitorStrategy,
  formatRunId,
  INITIAL_PENDING_SIGNALS_STATE,
  isTerminalIntentStatus,
  type Mode,
  type MonitorConfig,
  monitorSettingsFor,
  newYorkDate,
  type PriceHistory,
  parseIsoInstant,
  type Quote,
  quoteSchema,
  type Strategy,
  toIsoUtc,
} from "@trader/core";
import { z } from "zod";
import { loadAccount, typedAccountStore } from "../account/account-journal.js";
import type { MarketSource } from "../cycle/market-source.js";
import { type CycleEnvironment, type CycleReport, runCycle } from "../cycle/run-cycle.js";

/** A cycle's environment plus the monitor's settings (SPEC §17). */
export interface MonitorTickEnvironment extends CycleEnvironment {
  readonly monitor: MonitorConfig;
}

export interface MonitorTickRequest {
  readonly mode: Mode;
  readonly account: string;
  /** The session being watched, YYYY-MM-DD. */
  readonly tradingDate: string;
  /** When the look is taken (ISO-8601); it names the run: slot `monitor-HHMM`, in UTC. */
  readonly at: string;
  /**
   * The current quotes: the prices the look uses (each becomes today's synthetic bar). When
   * omitted, the market source is asked for the held symbols' quotes at `at`.
   */
  readonly quotes?: readonly Quote[];
}

export type MonitorSkipReason =
  /** Neither the account nor any strategy profile turns the monitor on. */
  | "monitor_disabled"
  /** No open position belongs to a strategy whose monitor is on. */
  | "no_watched_positions"
  | "market_closed";

/** A look either ran as a cycle, or had nothing to watch and recorded nothing. */
export type MonitorTickReport =
  | { readonly ran: false; readonly runId: string; readonly reason: MonitorSkipReason }
  | { readonly ran: true; readonly runId: string; readonly cycle: CycleReport };

/** The run slot of a look at `at`: `monitor-HHMM` in UTC, e.g. 14:31Z → "monitor-1431". */
export function monitorSlot(at: string): string {
  const iso = toIsoUtc(parseIsoInstant(at));
  return `monitor-${iso.slice(11, 13)}${iso.slice(14, 16)}`;
}

/**
 * One look of the intraday monitor (SPEC §17): a cycle with slot `monitor-HHMM` whose strategies
 * are monitors (`monitorStrategiesFor`), priced at `quotes`. Breaches become exit signals that go
 * through the same pipeline, safety gates and events as any other run; the run is idempotent by
 * its id like any cycle. When nothing is watched (monitor off, or no position of a watched
 * strategy) or the date is not a session, nothing is recorded.
 *
 * The session's starting equity is the account's equity at the previous close as recorded by its
 * runs. Today's daily bar, if the market source already has one, is left out, so the quotes are
 * today's prices. Throws a RangeError naming the input when `at` or a quote is not on the session.
 */
export async function runMonitorTick(
  env: MonitorTickEnvironment,
  request: MonitorTickRequest,
): Promise<MonitorTickReport> {
  validateLook(request);
  const slot = monitorSlot(request.at);
  const runId = formatRunId({
    mode: request.mode,
    account: request.account,
    tradingDate: request.tradingDate,
    slot,
  });
  const config = env.monitor;
  if (!config.enabled && !Object.values(config.profiles).some((profile) => profile.enabled)) {
    return { ran: false, runId, reason: "monitor_disabled" };
  }
  if (!env.calendar.isSession(request.tradingDate)) {
    return { ran: false, runId, reason: "market_closed" };
  }
  const { state } = await loadAccount(typedAccountStore(env.store), env.model, request.account);
  const strategies = monitorStrategiesFor(state, {
    tradingDate: request.tradingDate,
    config,
    strategyNames: env.strategies.map((strategy) => strategy.name),
  });
  if (!strategies) return { ran: false, runId, reason: "no_watched_positions" };
  const universe = [...new Set(strategies.flatMap((strategy) => strategy.universe))].sort();
  const quotes = validateQuotes(
    request.quotes ?? (await env.market.quotes(universe, request.at)),
    request.tradingDate,
  );
  const cycle = await runCycle(
    {
      ...env,
      model: monitorAccountModel(env.model),
      strategies,
      market: quotesAsToday(env.market, request.tradingDate, quotes),
    },
    { mode: request.mode, account: request.account, tradingDate: request.tradingDate, slot },
  );
  return { ran: true, runId, cycle };
}

function validateLook(request: MonitorTickRequest): void {
  const lookDate = newYorkDate(request.at);
  if (lookDate !== request.tradingDate) {
    throw new RangeError(
      `monitor tick: at ${request.at} is on ${lookDate} in New York, not the session ${request.tradingDate}`,
    );
  }
}

/** Quotes the pipeline can use: valid, and from the session (a stale one would abort it). */
function validateQuotes(quotes: readonly Quote[], tradingDate: string): Quote[] {
  return quotes.map((quote, index) => {
    const parsed = quoteSchema.safeParse(quote);
    if (!parsed.success) {
      throw new RangeError(
        `monitor tick: quotes[${index}] is invalid:\n${z.prettifyError(parsed.error)}`,
      );
    }
    const quoteDate = newYorkDate(parsed.data.at);
    if (quoteDate !== tradingDate) {
      throw new RangeError(
        `monitor tick: quotes[${index}] (${parsed.data.symbol}) is from ${quoteDate} in New York, not the session ${tradingDate}; a stale quote is not a current price`,
      );
    }
    return parsed.data;
  });
}

/**
 * The account's equity when `tradingDate` opened: the last equity recorded on an earlier date
 * (once a run of today has recorded its inputs, the state keeps that one as `priorCloseEquity`).
 * An account first opened today has no earlier equity; its first recorded one stands in.
 */
export function sessionStartEquity(state: AccountState, tradingDate: string): Cents {
  const { equity, priorCloseEquity } = state;
  const start = equity && equity.date < tradingDate ? equity : (priorCloseEquity ?? equity ?? null);
  if (!start || start.cents <= 0) {
    throw new RangeError(
      `monitor tick: the account has no positive equity recorded before ${tradingDate} (got ${start?.cents ?? "none"}); the monitor measures the session from it`,
    );
  }
  return start.cents;
}

/** Symbols with a sell still on its way (any strategy's, the governor's flatten included). */
function openSellSymbols(state: AccountState): string[] {
  return [
    ...new Set(
      Object.values(state.intents.intents)
        .filter((intent) => intent.side === "sell" && !isTerminalIntentStatus(intent.status))
        .map((intent) => intent.symbol),
    ),
  ].sort();
}

/** Whether a run id's slot is a monitor look's (`monitor-HHMM`). */
export function isMonitorSlot(slot: string): boolean {
  return /^monitor-\d{4}$/.test(slot);
}

/**
 * The strategies of a look from the account's state before it: a monitor under the name of each
 * configured strategy (the governor's health check counts the enabled ones; a strategy whose
 * monitor is off decides "monitor_off" and sells nothing) and of each strategy holding a watched
 * position. Null when no position is watched. Re-deciding a recorded look needs these, not the
 * configured strategies (with `monitorAccountModel`'s view of the state).
 */
export function monitorStrategiesFor(
  state: AccountState,
  options: {
    readonly tradingDate: string;
    readonly config: MonitorConfig;
    readonly strategyNames: readonly string[];
  },
): Strategy[] | null {
  const { config } = options;
  const held = Object.values(state.positions).filter((position) => position.quantity !== 0);
  const watchedOwners = held
    .filter((position) => monitorSettingsFor(config, position.strategy).enabled)
    .map((position) => position.strategy);
  if (watchedOwners.length === 0) return null;
  const sessionStartEquityCents = sessionStartEquity(state, options.tradingDate);
  const universe = held.map((position) => position.symbol).sort();
  const exitsInFlight = openSellSymbols(state);
  const names = [...new Set([...options.strategyNames, ...watchedOwners])].sort();
  return names.map((name) =>
    createMonitorStrategy({
      strategy: name,
      config,
      sessionStartEquityCents,
      universe,
      exitsInFlight,
    }),
  );
}

/**
 * The account model with the strategies' pending signals (SPEC §9) kept out of sight. The
 * pipeline re-raises a strategy's due pending signals in any run of a strategy of that name, and
 * the monitors decide under their owners' names: a look would otherwise execute (or re-block) a
 * deferred entry intraday. Pending signals are their strategies' business, at their own runs.
 * Only the run's in-memory view changes; every event is still recorded as it is.
 */
export function monitorAccountModel(model: AccountModel): AccountModel {
  const hide = (state: AccountState): AccountState =>
    Object.keys(state.pendingSignals.signals).length === 0
      ? state
      : { ...state, pendingSignals: INITIAL_PENDING_SIGNALS_STATE };
  return {
    machines: model.machines,
    initialState: hide(model.initialState),
    evolve: (state, event) => hide(model.evolve(state, event)),
  };
}

/**
 * The market as a look sees it: history through the previous session (a bar for today, from a
 * provider's partial day or a replayed history, would hide the quotes), and the given quotes.
 */
function quotesAsToday(
  market: MarketSource,
  tradingDate: string,
  quotes: readonly Quote[],
): MarketSource {
  return {
    name: market.name,
    async history(symbols, through) {
      const history: PriceHistory = await market.history(symbols, through);
      const before: Record<string, readonly Bar[]> = {};
      for (const [symbol, bars] of Object.entries(history)) {
        let end = bars.length;
        while (end > 0 && (bars[end - 1] as Bar).date >= tradingDate) end--;
        before[symbol] = end === bars.length ? bars : bars.slice(0, end);
      }
      return before;
    },
    async quotes(symbols) {
      return quotes.filter((quote) => symbols.includes(quote.symbol));
    },
  };
}
