import type { TradingCalendar } from "../calendar/trading-calendar.js";
import type { DomainEvent } from "../events/envelope.js";
import type { EventOf } from "../events/registry.js";
import { RUN_EVENTS } from "../events/run-events.js";
import type { Cents } from "../money.js";
import { PIPELINE_EVENTS } from "../pipeline/events.js";
import { parseRunId } from "../run-id.js";
import {
  BROKER_BREAKER_EVENTS,
  type BrokerBreakerConfigInput,
  type BrokerBreakerDecider,
  type BrokerBreakerState,
  createBrokerBreaker,
} from "../safety/broker-breaker/index.js";
import {
  createGovernor,
  GOVERNOR_EVENTS,
  type GovernorConfigInput,
  type GovernorDecider,
  type GovernorState,
} from "../safety/governor/index.js";
import {
  INTENT_EVENTS,
  type IntentBookState,
  intentBook,
  isTerminalIntentStatus,
} from "../safety/intents/index.js";
import {
  createKillSwitch,
  KILL_SWITCH_EVENTS,
  type KillSwitchConfig,
  type KillSwitchDecider,
  type KillSwitchState,
} from "../safety/kill-switch/index.js";
import {
  createPendingSignals,
  PENDING_SIGNAL_EVENTS,
  type PendingSignalsConfigInput,
  type PendingSignalsDecider,
  type PendingSignalsState,
} from "../safety/pending-signals/index.js";
import {
  createTradingBreaker,
  TRADING_BREAKER_EVENTS,
  type TradingBreakerConfig,
  type TradingBreakerDecider,
  type TradingBreakerState,
} from "../safety/trading-breaker/index.js";
import type { PositionView } from "../strategy/api.js";
import { VALIDATION_EVENTS } from "../validation/events.js";
import { ACCOUNT_EVENTS, type HeldPosition } from "./events.js";

/** Every event an account's streams hold; the registry of the runtime is built from it. */
export const ACCOUNT_STREAM_EVENTS = [
  ...RUN_EVENTS,
  ...PIPELINE_EVENTS,
  ...ACCOUNT_EVENTS,
  ...GOVERNOR_EVENTS,
  ...KILL_SWITCH_EVENTS,
  ...TRADING_BREAKER_EVENTS,
  ...BROKER_BREAKER_EVENTS,
  ...PENDING_SIGNAL_EVENTS,
  ...INTENT_EVENTS,
  // Post-market validation reports: audit records only, the account's fold ignores them.
  ...VALIDATION_EVENTS,
] as const;
export type AccountStreamEvent = EventOf<typeof ACCOUNT_STREAM_EVENTS>;

export interface LedgerPosition {
  readonly symbol: string;
  readonly quantity: number;
  /** Cost basis of the shares held, in cents: average price = cost / quantity. */
  readonly costCents: Cents;
  /** The strategy whose order opened it. */
  readonly strategy: string;
}

export type RunPhase = "started" | "inputs_recorded" | "decided" | "completed";

export interface RunRecord {
  readonly tradingDate: string;
  readonly phase: RunPhase;
  readonly outcome: string | null;
  readonly ordersSubmitted: number;
}

/**
 * One account's state as the fold of its events: the ledger the engine projects (cash and
 * positions from fills), every safety machine, the runs and what they recorded.
 */
export interface AccountState {
  readonly opened: boolean;
  readonly cashCents: Cents;
  readonly positions: Readonly<Record<string, LedgerPosition>>;
  readonly governor: GovernorState;
  readonly killSwitch: KillSwitchState;
  readonly tradingBreaker: TradingBreakerState;
  readonly brokerBreaker: BrokerBreakerState;
  readonly pendingSignals: PendingSignalsState;
  readonly intents: IntentBookState;
  readonly runs: Readonly<Record<string, RunRecord>>;
  /** The newest recorded bar per symbol: the next run records only newer bars. */
  readonly lastBarDate: Readonly<Record<string, string>>;
  readonly lastConfigDigest: string | null;
  readonly lastReconciliation: {
    readonly status: "PASS" | "WARN" | "FAIL";
    readonly at: string;
  } | null;
  /** When the last run recorded market data (the governor's 72 h health check). */
  readonly marketDataUpdatedAt: string | null;
  readonly lastDuplicateIntentAt: string | null;
  /** The latest equity the broker reported, and the last one of an earlier trading date. */
  readonly equity: { readonly date: string; readonly cents: Cents } | null;
  readonly priorCloseEquity: { readonly date: string; readonly cents: Cents } | null;
}

export interface AccountModelOptions {
  readonly calendar: TradingCalendar;
  readonly governor?: GovernorConfigInput;
  readonly killSwitch?: Partial<KillSwitchConfig>;
  readonly tradingBreaker?: Partial<TradingBreakerConfig>;
  readonly brokerBreaker?: BrokerBreakerConfigInput;
  readonly pendingSignals?: PendingSignalsConfigInput;
}

export interface AccountMachines {
  readonly governor: GovernorDecider;
  readonly killSwitch: KillSwitchDecider;
  readonly tradingBreaker: TradingBreakerDecider;
  readonly brokerBreaker: BrokerBreakerDecider;
  readonly pendingSignals: PendingSignalsDecider;
  readonly intents: typeof intentBook;
}

export interface AccountModel {
  readonly machines: AccountMachines;
  readonly initialState: AccountState;
  evolve(state: AccountState, event: DomainEvent): AccountState;
}

const typesOf = (definitions: readonly { type: string }[]) =>
  new Set(definitions.map((definition) => definition.type));

/** The account's machines (configured once) and the fold that keeps every one of them current. */
export function createAccountModel(options: AccountModelOptions): AccountModel {
  const machines: AccountMachines = {
    governor: createGovernor({
      calendar: options.calendar,
      ...(options.governor ? { config: options.governor } : {}),
    }),
    killSwitch: createKillSwitch(options.killSwitch ? { config: options.killSwitch } : {}),
    tradingBreaker: createTradingBreaker(
      options.tradingBreaker ? { config: options.tradingBreaker } : {},
    ),
    brokerBreaker: createBrokerBreaker(
      options.brokerBreaker ? { config: options.brokerBreaker } : {},
    ),
    pendingSignals: createPendingSignals({
      calendar: options.calendar,
      ...(options.pendingSignals ? { config: options.pendingSignals } : {}),
    }),
    intents: intentBook,
  };
  const initialState: AccountState = {
    opened: false,
    cashCents: 0,
    positions: {},
    governor: machines.governor.initialState,
    killSwitch: machines.killSwitch.initialState,
    tradingBreaker: machines.tradingBreaker.initialState,
    brokerBreaker: machines.brokerBreaker.initialState,
    pendingSignals: machines.pendingSignals.initialState,
    intents: machines.intents.initialState,
    runs: {},
    lastBarDate: {},
    lastConfigDigest: null,
    lastReconciliation: null,
    marketDataUpdatedAt: null,
    lastDuplicateIntentAt: null,
    equity: null,
    priorCloseEquity: null,
  };

  const governorTypes = typesOf(GOVERNOR_EVENTS);
  const killTypes = typesOf(KILL_SWITCH_EVENTS);
  const tradingBreakerTypes = typesOf(TRADING_BREAKER_EVENTS);
  const brokerBreakerTypes = typesOf(BROKER_BREAKER_EVENTS);
  const pendingTypes = typesOf(PENDING_SIGNAL_EVENTS);
  const intentTypes = typesOf(INTENT_EVENTS);

  // The machines' evolve functions are typed by their own event unions; the type sets route
  // each event to the machine that owns it.
  // biome-ignore lint/suspicious/noExplicitAny: routed by the type sets above
  const asAny = (event: DomainEvent): any => event;

  const evolve = (state: AccountState, event: DomainEvent): AccountState => {
    const { type } = event;
    if (governorTypes.has(type))
      return { ...state, governor: machines.governor.evolve(state.governor, asAny(event)) };
    if (killTypes.has(type)) {
      const next = {
        ...state,
        killSwitch: machines.killSwitch.evolve(state.killSwitch, asAny(event)),
      };
      const data = event.data as { cause?: string; at?: string };
      return type === "KillSwitchActivated" && data.cause === "duplicate_intent" && data.at
        ? { ...next, lastDuplicateIntentAt: data.at }
        : next;
    }
    if (tradingBreakerTypes.has(type))
      return {
        ...state,
        tradingBreaker: machines.tradingBreaker.evolve(state.tradingBreaker, asAny(event)),
      };
    if (brokerBreakerTypes.has(type))
      return {
        ...state,
        brokerBreaker: machines.brokerBreaker.evolve(state.brokerBreaker, asAny(event)),
      };
    if (pendingTypes.has(type))
      return {
        ...state,
        pendingSignals: machines.pendingSignals.evolve(state.pendingSignals, asAny(event)),
      };
    if (intentTypes.has(type)) {
      const booked = type === "IntentFillRecorded" ? bookFill(state, asAny(event).data) : state;
      return { ...booked, intents: machines.intents.evolve(state.intents, asAny(event)) };
    }
    return evolveAccountEvent(state, asAny(event));
  };
  return { machines, initialState, evolve };
}

function bookFill(
  state: AccountState,
  fill: { intentId: string; quantity: number; priceCents: number },
): AccountState {
  const intent = state.intents.intents[fill.intentId];
  if (!intent) return state;
  const notional = fill.quantity * fill.priceCents;
  const held = state.positions[intent.symbol];
  const heldQuantity = held?.quantity ?? 0;
  const heldCost = held?.costCents ?? 0;
  let quantity: number;
  let costCents: number;
  if (intent.side === "buy") {
    quantity = heldQuantity + fill.quantity;
    costCents = heldCost + notional;
  } else {
    quantity = heldQuantity - fill.quantity;
    // Selling releases cost at the average price; what is left keeps its average.
    costCents =
      heldQuantity > 0 && quantity > 0 ? Math.round((heldCost * quantity) / heldQuantity) : 0;
  }
  const positions = { ...state.positions };
  if (quantity === 0) delete positions[intent.symbol];
  else
    positions[intent.symbol] = {
      symbol: intent.symbol,
      quantity,
      costCents,
      strategy: held?.strategy ?? intent.strategy,
    };
  const cashCents = state.cashCents + (intent.side === "buy" ? -notional : notional);
  return { ...state, cashCents, positions };
}

function ledgerFrom(
  cashCents: number,
  positions: readonly HeldPosition[],
  previous: Readonly<Record<string, LedgerPosition>>,
): Pick<AccountState, "cashCents" | "positions"> {
  const ledger: Record<string, LedgerPosition> = {};
  for (const position of positions) {
    if (position.quantity === 0) continue;
    ledger[position.symbol] = {
      symbol: position.symbol,
      quantity: position.quantity,
      costCents: position.quantity * position.averagePriceCents,
      strategy: previous[position.symbol]?.strategy ?? "adopted",
    };
  }
  return { cashCents, positions: ledger };
}

function withRun(
  state: AccountState,
  runId: string,
  change: (run: RunRecord) => RunRecord,
): AccountState {
  const existing = state.runs[runId] ?? {
    tradingDate: parseRunId(runId).tradingDate,
    phase: "started" as const,
    outcome: null,
    ordersSubmitted: 0,
  };
  return { ...state, runs: { ...state.runs, [runId]: change(existing) } };
}

function evolveAccountEvent(state: AccountState, event: AccountStreamEvent): AccountState {
  switch (event.type) {
    case "AccountOpened":
      return {
        ...state,
        opened: true,
        ...ledgerFrom(event.data.cashCents, event.data.positions, {}),
      };
    case "BrokerStateAdopted":
      return {
        ...state,
        opened: true,
        ...ledgerFrom(event.data.cashCents, event.data.positions, state.positions),
      };
    case "RunStarted":
      return withRun(state, event.data.runId, (run) => run);
    case "RunInputsRecorded": {
      const { data } = event;
      const lastBarDate = { ...state.lastBarDate };
      for (const [symbol, bars] of Object.entries(data.newBars)) {
        const last = bars.at(-1);
        if (last) lastBarDate[symbol] = last.date;
      }
      const observed = { date: data.tradingDate, cents: data.broker.equityCents };
      const priorCloseEquity =
        state.equity && state.equity.date < data.tradingDate
          ? state.equity
          : state.priorCloseEquity;
      return {
        ...withRun(state, data.runId, (run) => ({ ...run, phase: "inputs_recorded" })),
        lastBarDate,
        marketDataUpdatedAt: marketDataTime(lastBarDate, data.quotes, data.at),
        equity: observed,
        priorCloseEquity,
      };
    }
    case "ConfigRecorded":
      return { ...state, lastConfigDigest: event.data.digest };
    case "ReconciliationRecorded":
      return { ...state, lastReconciliation: { status: event.data.status, at: event.data.at } };
    case "RunDecided":
      return withRun(state, event.data.runId, (run) => ({ ...run, phase: "decided" }));
    case "RunCompleted":
      return withRun(state, event.data.runId, (run) => ({
        ...run,
        phase: "completed",
        outcome: event.data.outcome,
        ordersSubmitted: event.data.ordersSubmitted,
      }));
    default:
      return state;
  }
}

/**
 * How fresh the market data was (the governor's "updated within 72 h" health check): the newest
 * quote, or else the newest recorded bar's session at 21:00 UTC (the 16:00 New York close, to
 * within the DST hour) — never later than the run itself.
 */
function marketDataTime(
  lastBarDate: Readonly<Record<string, string>>,
  quotes: readonly { readonly at: string }[],
  runAt: string,
): string | null {
  const dates = Object.values(lastBarDate).sort();
  const newestBar = dates.at(-1);
  let newest: string | null = newestBar ? `${newestBar}T21:00:00.000Z` : null;
  for (const quote of quotes) {
    if (newest === null || Date.parse(quote.at) > Date.parse(newest)) newest = quote.at;
  }
  if (newest === null) return null;
  return Date.parse(newest) > Date.parse(runAt) ? runAt : newest;
}

/** The ledger as the pipeline and strategies see it (average prices in dollars). */
export function positionViews(state: AccountState): PositionView[] {
  return Object.values(state.positions)
    .sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0))
    .map((position) => ({
      symbol: position.symbol,
      quantity: position.quantity,
      averagePrice: position.quantity === 0 ? 0 : position.costCents / position.quantity / 100,
      strategy: position.strategy,
    }));
}

/** The ledger's positions as held positions (whole-cent average prices). */
export function heldPositions(state: AccountState): HeldPosition[] {
  return positionViews(state).map((position) => ({
    symbol: position.symbol,
    quantity: position.quantity,
    averagePriceCents: Math.round(position.averagePrice * 100),
  }));
}

/** Equity of the ledger at the given prices (dollars per share); a missing price counts at cost. */
export function ledgerEquityCents(
  state: AccountState,
  priceOf: (symbol: string) => number | undefined,
): Cents {
  let equity = state.cashCents;
  for (const position of Object.values(state.positions)) {
    const price = priceOf(position.symbol);
    equity +=
      price === undefined ? position.costCents : Math.round(position.quantity * price * 100);
  }
  return equity;
}

/**
 * The state kept in an end-of-day snapshot: finished runs, intents and pending signals older than
 * `keepFrom` (a trading date) are dropped: their run ids are in the past, so nothing can retry
 * or reuse them.
 */
export function compactAccountState(state: AccountState, keepFrom: string): AccountState {
  const runs: Record<string, RunRecord> = {};
  for (const [runId, run] of Object.entries(state.runs)) {
    if (run.tradingDate >= keepFrom || run.phase !== "completed") runs[runId] = run;
  }
  const intents: Record<string, IntentBookState["intents"][string]> = {};
  for (const [intentId, intent] of Object.entries(state.intents.intents)) {
    const terminal = isTerminalIntentStatus(intent.status);
    if (!terminal || parseRunId(intent.runId).tradingDate >= keepFrom) intents[intentId] = intent;
  }
  const signals: Record<string, PendingSignalsState["signals"][string]> = {};
  for (const [signalId, signal] of Object.entries(state.pendingSignals.signals)) {
    if (signal.closedOn === null || signal.closedOn >= keepFrom) signals[signalId] = signal;
  }
  return { ...state, runs, intents: { intents }, pendingSignals: { signals } };
}
