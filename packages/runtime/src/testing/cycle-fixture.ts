/**
 * A small world to run cycles in: a hand-made price history, a strategy that holds scheduled
 * weights, the paper simulator as broker, a manual clock, and the default settings. Tests build
 * one per store; "restarting" is opening a new one over the same store.
 */
import {
  type Broker,
  decisionPriceFillModel,
  type FillModel,
  openPaperSimulator,
  type PaperSimulator,
  type PaperSimulatorBehaviour,
} from "@trader/brokers";
import {
  type AccountModel,
  type AccountState,
  type AccountStreamEvent,
  type Bar,
  type Cents,
  createAccountModel,
  DEFAULT_PIPELINE_CONFIG,
  DEFAULT_RECONCILIATION_CONFIG,
  DEFAULT_SLIPPAGE_CONFIG,
  type ManualClock,
  type Mode,
  manualClock,
  type PriceHistory,
  parseIsoInstant,
  type Strategy,
  type TradingCalendar,
  weekdayCalendar,
} from "@trader/core";
import { seededRandom } from "@trader/data";
import type { EventStore, TypedRecordedEvent } from "@trader/store";
import { loadAccount, typedAccountStore } from "../account/account-journal.js";
import { dayStream } from "../account/streams.js";
import { decisionInstant } from "../cycle/decision-time.js";
import { historySource, lastIndexOnOrBefore } from "../cycle/market-source.js";
import type { PreflightProbe } from "../cycle/preflight.js";
import {
  type CycleReport,
  type CycleRequest,
  type CycleSettings,
  runCycle,
} from "../cycle/run-cycle.js";

/** Monday to Friday, no holidays: dates in tests stay easy to read. */
export const TEST_CALENDAR: TradingCalendar = weekdayCalendar();
export const TEST_ACCOUNT = "acct-test";
export const TEST_INITIAL_CASH_CENTS: Cents = 10_000_000;

export interface RandomWalkOptions {
  readonly seed: number;
  readonly symbols: readonly string[];
  /** The last session with a bar. */
  readonly through: string;
  /** Bars per symbol (the default pipeline needs 252). */
  readonly bars?: number;
  /** σ of daily log returns; default 1%. */
  readonly dailyVolatility?: number;
}

/**
 * Independent seeded random walks, one per symbol, on TEST_CALENDAR's sessions ending at
 * `through`; each symbol starts at its own level (between $40 and $240).
 */
export function randomWalkHistory(options: RandomWalkOptions): PriceHistory {
  const { seed, symbols, through, bars = 300, dailyVolatility = 0.01 } = options;
  const dates: string[] = [through];
  while (dates.length < bars) dates.unshift(TEST_CALENDAR.previousSession(dates[0] as string));
  const history: Record<string, Bar[]> = {};
  symbols.forEach((symbol, index) => {
    const random = seededRandom(seed * 1_000 + index);
    let close = 40 + Math.round(random.next() * 200);
    history[symbol] = dates.map((date) => {
      const open = close;
      close = Math.max(
        1,
        Math.round(close * Math.exp(dailyVolatility * random.normal()) * 100) / 100,
      );
      return {
        date,
        open,
        high: Math.max(open, close),
        low: Math.min(open, close),
        close,
        volume: 1_000_000,
      };
    });
  });
  return history;
}

/**
 * A strategy that holds, on each date, the weights of the latest schedule entry on or before it
 * (nothing before the first). Simple enough that a test can say which orders a run makes.
 */
export function scheduledWeights(
  name: string,
  schedule: Readonly<Record<string, Readonly<Record<string, number>>>>,
): Strategy<{ schedule: typeof schedule }> {
  const dates = Object.keys(schedule).sort();
  const universe = [...new Set(Object.values(schedule).flatMap((w) => Object.keys(w)))].sort();
  return {
    name,
    universe,
    historyBars: 20,
    params: { schedule },
    decide(snapshot) {
      const date = dates.filter((d) => d <= snapshot.tradingDate).at(-1);
      if (date === undefined) return { regime: "waiting", signals: [] };
      const weights = { ...(schedule[date] as Record<string, number>) };
      return { regime: "scheduled", signals: [{ kind: "target_weights", weights, confidence: 1 }] };
    },
  };
}

/** The default settings (SPEC numbers), with reconciliation on. */
export function testCycleSettings(overrides: Partial<CycleSettings> = {}): CycleSettings {
  return {
    pipeline: DEFAULT_PIPELINE_CONFIG,
    reconciliation: DEFAULT_RECONCILIATION_CONFIG,
    reconciliationEnabled: true,
    slippage: DEFAULT_SLIPPAGE_CONFIG,
    partialFillRetries: 3,
    tradingDisabled: false,
    strategyDisabledList: [],
    effectiveConfig: { fixture: "cycle-fixture" },
    ...overrides,
  };
}

export interface TestAccountOptions {
  readonly store: EventStore;
  readonly history: PriceHistory;
  readonly strategies: readonly Strategy[];
  readonly account?: string;
  readonly mode?: Mode;
  readonly initialCashCents?: Cents;
  readonly settings?: CycleSettings;
  /** Default: fills at the decision price. */
  readonly fillModel?: FillModel;
  readonly behaviour?: PaperSimulatorBehaviour;
  /** Puts something between the cycle and the simulator (faults, a spy). */
  readonly wrapBroker?: (simulator: PaperSimulator) => Broker;
  readonly model?: AccountModel;
  readonly preflight?: PreflightProbe;
}

export interface TestAccount {
  readonly account: string;
  readonly store: EventStore;
  readonly model: AccountModel;
  readonly simulator: PaperSimulator;
  /** What the cycle talks to (the simulator, or what `wrapBroker` made of it). */
  readonly broker: Broker;
  readonly clock: ManualClock;
  /** One cycle for the date, at its decision time, with the simulator marked at that close. */
  run(tradingDate: string, request?: Partial<CycleRequest>): Promise<CycleReport>;
  /** The account as loadAccount rebuilds it. */
  state(): Promise<AccountState>;
  dayEvents(tradingDate: string): Promise<TypedRecordedEvent<AccountStreamEvent>[]>;
}

/** Opens (or reopens, after a "restart") the simulator and the cycle's ports over `store`. */
export async function openTestAccount(options: TestAccountOptions): Promise<TestAccount> {
  const account = options.account ?? TEST_ACCOUNT;
  const model = options.model ?? createAccountModel({ calendar: TEST_CALENDAR });
  const clock = manualClock("2000-01-03T00:00:00.000Z");
  const { history } = options;
  let markDate = "0000-01-01";
  const closeOn = (symbol: string, date: string) => {
    const bars = history[symbol];
    return bars ? bars[lastIndexOnOrBefore(bars, date)]?.close : undefined;
  };
  const simulator = await openPaperSimulator({
    store: options.store,
    account,
    clock,
    initialCashCents: options.initialCashCents ?? TEST_INITIAL_CASH_CENTS,
    fillModel: options.fillModel ?? decisionPriceFillModel(),
    marks: (symbol) => closeOn(symbol, markDate),
    ...(options.behaviour ? { behaviour: options.behaviour } : {}),
  });
  const broker = options.wrapBroker ? options.wrapBroker(simulator) : simulator;
  const typed = typedAccountStore(options.store);
  return {
    account,
    store: options.store,
    model,
    simulator,
    broker,
    clock,
    async run(tradingDate, request = {}) {
      const at = parseIsoInstant(decisionInstant(TEST_CALENDAR, tradingDate));
      if (at > clock.now()) clock.set(at);
      markDate = tradingDate;
      return runCycle(
        {
          store: options.store,
          model,
          calendar: TEST_CALENDAR,
          broker,
          market: historySource("test", history),
          clock,
          strategies: options.strategies,
          settings: options.settings ?? testCycleSettings(),
          ...(options.preflight ? { preflight: options.preflight } : {}),
        },
        { mode: options.mode ?? "paper", account, tradingDate, endOfDay: true, ...request },
      );
    },
    async state() {
      return (await loadAccount(typed, model, account)).state;
    },
    async dayEvents(tradingDate) {
      const events: TypedRecordedEvent<AccountStreamEvent>[] = [];
      for await (const event of typed.readStream(dayStream(account, tradingDate))) {
        events.push(event);
      }
      return events;
    },
  };
}
