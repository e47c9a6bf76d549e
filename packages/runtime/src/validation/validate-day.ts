import {
  type AccountModel,
  type AccountStreamEvent,
  type Bar,
  type Clock,
  DEFAULT_VALIDATION_CONFIG,
  type DomainEvent,
  daySlippage,
  formatRunId,
  type PipelineConfig,
  type PriceHistory,
  type Quote,
  runPipeline,
  type Strategy,
  type SymbolDrift,
  summarizeDecision,
  type ValidationConfig,
  type ValidationReport,
  type ValidationSession,
  validationReport,
} from "@trader/core";
import type { TypedEventStore } from "@trader/store";
import { AccountJournal } from "../account/account-journal.js";
import { dayStream, dayStreamPrefix, tradingDateOfStream } from "../account/streams.js";
import { recordedDecisions } from "../audit/redecide.js";
import type { MarketSource } from "../cycle/market-source.js";
import { pipelineInputsFor } from "../cycle/pipeline-inputs.js";

/** The day has no decision to validate, or the official closes cannot be had. */
export class ValidationInputError extends Error {
  override readonly name = "ValidationInputError";
}

export interface ValidateDayOptions {
  /** Stamps the report's metadata (occurredAt). */
  readonly clock: Clock;
  readonly config?: ValidationConfig;
}

export interface ValidationOutcome {
  /** `already_reported`: this decision run was validated before; its report is returned as recorded. */
  readonly status: "reported" | "already_reported";
  readonly report: ValidationReport;
}

/** The slot of the validation's own run id: `validate:<account>:<date>:validation`. */
export const VALIDATION_SLOT = "validation";

const isMarketSource = (source: PriceHistory | MarketSource): source is MarketSource =>
  typeof (source as Partial<MarketSource>).history === "function" &&
  typeof (source as Partial<MarketSource>).quotes === "function";

/** Each symbol's official bar dated `date`; a symbol without one is an error naming it. */
async function officialBarsOn(
  source: PriceHistory | MarketSource,
  symbols: readonly string[],
  date: string,
): Promise<Record<string, Bar>> {
  const history = isMarketSource(source) ? await source.history(symbols, date) : source;
  const bars: Record<string, Bar> = {};
  const missing: string[] = [];
  for (const symbol of symbols) {
    const bar = history[symbol]?.findLast((candidate) => candidate.date === date);
    if (bar) bars[symbol] = bar;
    else missing.push(symbol);
  }
  if (missing.length > 0) {
    throw new ValidationInputError(
      `the official closes have no bar dated ${date} for ${missing.join(", ")}; validation needs the session's official close of every symbol the decision read`,
    );
  }
  return bars;
}

/**
 * The price the decision used for a symbol: the window's own bar for the day when it had one
 * (an end-of-day decision: the quote is then ignored), else the first quote (the 3:55 protocol's
 * synthetic bar), else the window's last close.
 */
function decisionPrice(
  bars: readonly Bar[],
  quotes: readonly Quote[],
  symbol: string,
  date: string,
): Pick<SymbolDrift, "decisionPrice" | "decisionPriceFrom"> | null {
  const last = bars.at(-1);
  if (last && last.date >= date)
    return { decisionPrice: last.close, decisionPriceFrom: "window_close" };
  const quote = quotes.find((candidate) => candidate.symbol === symbol);
  if (quote) return { decisionPrice: quote.last, decisionPriceFrom: "quote" };
  return last ? { decisionPrice: last.close, decisionPriceFrom: "window_close" } : null;
}

/** The reports validated on days before `date`, newest last, at most `count`. */
async function earlierSessions(
  store: TypedEventStore<AccountStreamEvent>,
  account: string,
  date: string,
  count: number,
): Promise<ValidationSession[]> {
  const streams = (await store.store.listStreams(dayStreamPrefix(account)))
    .filter((stream) => tradingDateOfStream(account, stream) < date)
    .sort();
  const sessions: ValidationSession[] = [];
  for (let index = streams.length - 1; index >= 0 && sessions.length < count; index--) {
    const report = await lastReport(store, streams[index] as string);
    if (report) sessions.unshift(report);
  }
  return sessions;
}

async function lastReport(
  store: TypedEventStore<AccountStreamEvent>,
  stream: string,
  runId?: string,
): Promise<ValidationReport | null> {
  let report: ValidationReport | null = null;
  for await (const event of store.readStream(stream)) {
    if (event.type !== "ValidationReported") continue;
    if (runId === undefined || event.data.runId === runId) report = event.data;
  }
  return report;
}

/** The validation report recorded for a day (its last one), or null when it was not validated. */
export async function readValidation(
  store: TypedEventStore<AccountStreamEvent>,
  account: string,
  date: string,
): Promise<ValidationReport | null> {
  return lastReport(store, dayStream(account, date));
}

/**
 * Post-market validation of a day (SPEC §13). The day's decision run (its last) is re-decided
 * from the same state and window with today's bar replaced by the official close (no quotes),
 * and compared with what was decided: regime cell and targets per strategy, and the drift from
 * the price the decision used to the official close for every symbol it read. The report —
 * GREEN / YELLOW / RED with the rolling view over the last sessions — is appended to the day's
 * stream once per decision run: validating again returns the recorded report.
 */
export async function validateDay(
  store: TypedEventStore<AccountStreamEvent>,
  model: AccountModel,
  strategies: readonly Strategy[],
  pipeline: PipelineConfig,
  account: string,
  date: string,
  officialCloses: PriceHistory | MarketSource,
  options: ValidateDayOptions,
): Promise<ValidationOutcome> {
  const config = options.config ?? DEFAULT_VALIDATION_CONFIG;
  const decision = (await recordedDecisions(store, model, account, date)).at(-1);
  if (!decision) {
    throw new ValidationInputError(
      `${date}: account "${account}" has no decision run recorded on this day; nothing to validate`,
    );
  }
  // Opened before the check for an earlier report: a report appended in between makes this
  // append fail on its expected revision instead of being written twice.
  const journal = await AccountJournal.open(store, model, decision.state, {
    account,
    tradingDate: date,
    runId: formatRunId({ mode: "validate", account, tradingDate: date, slot: VALIDATION_SLOT }),
    mode: "validate",
    clock: options.clock,
  });
  const dayEvents: DomainEvent[] = [];
  for await (const event of journal.readOwnStream()) dayEvents.push(event);
  const earlier = dayEvents.findLast(
    (event): event is Extract<AccountStreamEvent, { type: "ValidationReported" }> =>
      event.type === "ValidationReported" &&
      (event.data as { runId: string }).runId === decision.runId,
  );
  if (earlier) return { status: "already_reported", report: earlier.data };

  const { inputs } = decision;
  const symbols = Object.keys(decision.window)
    .filter((symbol) => (decision.window[symbol] ?? []).length > 0)
    .sort();
  const official = await officialBarsOn(officialCloses, symbols, date);
  // The window as it would have been after the close: today's bar is the official one.
  const officialWindow: Record<string, Bar[]> = {};
  for (const symbol of symbols) {
    const before = (decision.window[symbol] ?? []).filter((bar) => bar.date < date);
    officialWindow[symbol] = [...before, official[symbol] as Bar];
  }
  const officialDecision = runPipeline(
    strategies,
    pipelineInputsFor(
      decision.state,
      {
        runId: decision.runId,
        mode: decision.mode,
        tradingDate: inputs.tradingDate,
        at: inputs.at,
        window: officialWindow,
        quotes: [],
        buyingPowerCents: inputs.broker.buyingPowerCents,
      },
      model.machines,
    ),
    pipeline,
  ).events;

  const prices: Omit<SymbolDrift, "drift">[] = [];
  for (const symbol of symbols) {
    const used = decisionPrice(decision.window[symbol] ?? [], inputs.quotes, symbol, date);
    if (used) prices.push({ symbol, ...used, officialClose: (official[symbol] as Bar).close });
  }
  const slippages = dayEvents
    .filter((event) => event.type === "SlippageRecorded")
    .map((event) => (event.data as { adverse: number }).adverse);
  const report = validationReport(
    {
      date,
      runId: decision.runId,
      recorded: summarizeDecision(decision.events),
      official: summarizeDecision(officialDecision),
      prices,
      slippage: daySlippage(slippages),
      previous: await earlierSessions(store, account, date, config.rollingSessions - 1),
    },
    config,
  );
  await journal.append([{ type: "ValidationReported", data: report }]);
  return { status: "reported", report };
}
