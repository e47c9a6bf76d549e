import type { AccountStreamEvent, Bar, BrokerSnapshot, Quote } from "@trader/core";
import type { TypedEventStore } from "@trader/store";
import type { ExpectedOrder } from "../cycle/broker-results.js";
import { historyDigest } from "../cycle/history-window.js";
import { dayStreamPrefix, tradingDateOfStream } from "./streams.js";

type InputsEvent = Extract<AccountStreamEvent, { type: "RunInputsRecorded" }>;

/** What one run wrote to its day stream, as a resumed run or a replay needs it. */
export interface RecordedRun {
  readonly inputs: InputsEvent["data"] | null;
  /** The run stopped before deciding (RunAborted), with its code. */
  readonly abortCode: string | null;
  /** The orders its decision sent (from SignalExecuted), in decision order. */
  readonly orders: readonly ExpectedOrder[];
  /** Intents it submitted (IntentSubmitted), each once, over every attempt of the run. */
  readonly submittedIntents: readonly string[];
  /** Fills it recorded (IntentFillRecorded), over every attempt of the run. */
  readonly fills: number;
  /** A fill of the run slipped beyond the critical threshold: its remaining orders must not go. */
  readonly criticalSlippage: boolean;
  /** RunExecutionAborted is recorded: the remaining orders were canceled with it. */
  readonly executionAborted: boolean;
  /** Per intent, the last partial-fill retry recorded (PartialFillHandled); absent: none. */
  readonly partialFillAttempts: Readonly<Record<string, number>>;
}

export async function readRecordedRun(
  store: TypedEventStore<AccountStreamEvent>,
  stream: string,
  runId: string,
): Promise<RecordedRun> {
  let inputs: InputsEvent["data"] | null = null;
  let abortCode: string | null = null;
  const orders: ExpectedOrder[] = [];
  const submitted = new Set<string>();
  let fills = 0;
  let criticalSlippage = false;
  let executionAborted = false;
  const partialFillAttempts: Record<string, number> = {};
  for await (const event of store.readStream(stream)) {
    if (event.metadata.runId !== runId) continue;
    if (event.type === "RunInputsRecorded") inputs = event.data;
    else if (event.type === "IntentSubmitted") submitted.add(event.data.intentId);
    else if (event.type === "IntentFillRecorded") fills++;
    else if (event.type === "SlippageRecorded" && event.data.level === "critical") {
      criticalSlippage = true;
    } else if (event.type === "RunExecutionAborted") executionAborted = true;
    else if (event.type === "PartialFillHandled") {
      const { intentId, attempt } = event.data;
      partialFillAttempts[intentId] = Math.max(partialFillAttempts[intentId] ?? 0, attempt);
    } else if (event.type === "RunAborted") abortCode = event.data.code;
    else if (event.type === "SignalExecuted") {
      orders.push({
        intentId: event.data.intentId,
        symbol: event.data.symbol,
        side: event.data.side,
        quantity: event.data.quantity,
        expectedPrice: event.data.expectedPrice,
      });
    }
  }
  return {
    inputs,
    abortCode,
    orders,
    submittedIntents: [...submitted],
    fills,
    criticalSlippage,
    executionAborted,
    partialFillAttempts,
  };
}

/**
 * Rebuilds the window a run decided from out of the bars the account's runs recorded (each run
 * records only bars newer than the last recorded), and checks it against the run's digest.
 */
export async function rebuildRecordedWindow(
  store: TypedEventStore<AccountStreamEvent>,
  account: string,
  inputs: InputsEvent["data"],
): Promise<Record<string, Bar[]>> {
  const bySymbol = new Map<string, Map<string, Bar>>();
  const streams = (await store.store.listStreams(dayStreamPrefix(account))).sort();
  for (const stream of streams) {
    if (tradingDateOfStream(account, stream) > inputs.tradingDate) break;
    for await (const event of store.readStream(stream)) {
      if (event.type !== "RunInputsRecorded") continue;
      for (const [symbol, bars] of Object.entries(event.data.newBars)) {
        const dated = bySymbol.get(symbol) ?? new Map<string, Bar>();
        bySymbol.set(symbol, dated);
        for (const bar of bars) dated.set(bar.date, bar);
      }
      if (event.data.runId === inputs.runId) break;
    }
  }
  const window: Record<string, Bar[]> = {};
  for (const symbol of [...bySymbol.keys()].sort()) {
    const bars = [...(bySymbol.get(symbol) as Map<string, Bar>).values()]
      .filter((bar) => bar.date <= inputs.tradingDate)
      .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    window[symbol] = bars.slice(-inputs.window);
  }
  const digest = historyDigest(window);
  if (digest !== inputs.historyDigest) {
    throw new RecordedInputsError(
      `run ${inputs.runId}: the bars recorded in the store do not rebuild the window it decided from ` +
        `(digest ${digest.slice(0, 12)}… ≠ recorded ${inputs.historyDigest.slice(0, 12)}…); ` +
        "the data source revised history after it was recorded",
    );
  }
  return window;
}

export class RecordedInputsError extends Error {
  override readonly name = "RecordedInputsError";
}

export interface RecordedInputs {
  readonly at: string;
  readonly window: Readonly<Record<string, readonly Bar[]>>;
  readonly quotes: readonly Quote[];
  readonly broker: BrokerSnapshot;
}
