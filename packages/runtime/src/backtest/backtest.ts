import { decisionPriceFillModel, openPaperSimulator } from "@trader/brokers";
import {
  type AccountModel,
  type Cents,
  dayActivity,
  explainDay,
  manualClock,
  type PriceHistory,
  project,
  type Strategy,
  type TradingCalendar,
} from "@trader/core";
import type { EventStore } from "@trader/store";
import { typedAccountStore } from "../account/account-journal.js";
import { dayStream } from "../account/streams.js";
import { decisionInstant } from "../cycle/decision-time.js";
import { decisionWindow } from "../cycle/history-window.js";
import { closesOn, historySource } from "../cycle/market-source.js";
import { type CycleSettings, runCycle } from "../cycle/run-cycle.js";
import { type BacktestDay, type BacktestSummary, summarizeBacktest } from "./summary.js";

export interface BacktestOptions {
  readonly store: EventStore;
  readonly account: string;
  readonly strategies: readonly Strategy[];
  readonly model: AccountModel;
  readonly calendar: TradingCalendar;
  readonly settings: CycleSettings;
  /** Daily bars per symbol (a loaded CSV directory or the synthetic market). */
  readonly history: PriceHistory;
  /** First and last session to decide; default: from the first session with enough history. */
  readonly from?: string;
  readonly to?: string;
  readonly initialCashCents: Cents;
  readonly slippageBps?: number;
  readonly noiseBps?: number;
  readonly fillSeed?: string;
  /** Called after each session: drives the progress bar. */
  readonly onProgress?: (done: number, total: number, session: string) => void;
  readonly log?: (line: string) => void;
}

/** The sessions to decide: every session of the range that has enough history for the window. */
export function backtestSessions(options: BacktestOptions): string[] {
  const { calendar, history } = options;
  const window = decisionWindow(options.strategies, options.settings.pipeline);
  const symbols = [...new Set(options.strategies.flatMap((strategy) => strategy.universe))];
  const missing = symbols.filter((symbol) => !history[symbol]?.length);
  if (missing.length > 0) {
    throw new RangeError(
      `backtest: no bars for ${missing.join(", ")} (the strategies trade ${symbols.join(", ")})`,
    );
  }
  // The first date at which every symbol has a full window.
  let earliest = options.from ?? "0000-01-01";
  for (const symbol of symbols) {
    const bars = history[symbol] ?? [];
    const ready = bars[window - 1]?.date;
    if (!ready) {
      throw new RangeError(
        `backtest: ${symbol} has ${bars.length} bars; the strategies need at least ${window}`,
      );
    }
    if (ready > earliest) earliest = ready;
  }
  const last = symbols.map((symbol) => history[symbol]?.at(-1)?.date ?? "").sort()[0] as string;
  const end = options.to && options.to < last ? options.to : last;
  const sessions: string[] = [];
  let session = calendar.isSession(earliest) ? earliest : calendar.nextSession(earliest);
  while (session <= end) {
    sessions.push(session);
    session = calendar.nextSession(session);
  }
  return sessions;
}

/**
 * A backtest is the same cycle as live (SPEC modes): one run per session at the close, the
 * paper simulator as broker (filling at the decision price, the day's close), a simulated clock,
 * every event into the store. Re-running it over the same store does nothing twice: each run
 * reports "already done" and the summary is read back from the store.
 */
export async function runBacktest(options: BacktestOptions): Promise<BacktestSummary> {
  const sessions = backtestSessions(options);
  if (sessions.length === 0) {
    throw new RangeError("backtest: no session to decide in the requested range");
  }
  const first = sessions[0] as string;
  const clock = manualClock(decisionInstant(options.calendar, first));
  // The simulator values positions at the close of the session being decided.
  let marks = closesOn(options.history, first);
  const broker = await openPaperSimulator({
    store: options.store,
    account: options.account,
    clock,
    initialCashCents: options.initialCashCents,
    fillModel: decisionPriceFillModel({
      slippageBps: options.slippageBps ?? 0,
      noiseBps: options.noiseBps ?? 0,
      seed: options.fillSeed ?? "fills",
    }),
    marks: (symbol: string) => marks(symbol),
  });
  const market = historySource("backtest", options.history);
  const store = typedAccountStore(options.store);
  const days: BacktestDay[] = [];
  for (const [index, session] of sessions.entries()) {
    clock.set(decisionInstant(options.calendar, session));
    marks = closesOn(options.history, session);
    const report = await runCycle(
      {
        store: options.store,
        model: options.model,
        calendar: options.calendar,
        broker,
        market,
        clock,
        strategies: options.strategies,
        settings: options.settings,
        ...(options.log ? { log: options.log } : {}),
      },
      { mode: "backtest", account: options.account, tradingDate: session, endOfDay: true },
    );
    const events = [];
    for await (const event of store.readStream(dayStream(options.account, session))) {
      events.push(event);
    }
    const why = explainDay(project(dayActivity, events));
    // Equity at the close, before the day's rebalance (which trades at the same prices).
    const inputs = events.find((event) => event.type === "RunInputsRecorded");
    const equity =
      inputs?.type === "RunInputsRecorded"
        ? inputs.data.broker.equityCents
        : (await broker.account()).equityCents;
    days.push({
      session,
      outcome: report.outcome,
      equityCents: equity,
      fills: events.filter((event) => event.type === "IntentFillRecorded").length,
      governor: report.state.governor.status,
      why,
    });
    options.onProgress?.(index + 1, sessions.length, session);
  }
  const finalEquityCents = (await broker.account()).equityCents;
  return summarizeBacktest(options.initialCashCents, finalEquityCents, days);
}
