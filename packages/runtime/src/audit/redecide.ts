import {
  type AccountModel,
  type AccountState,
  type AccountStreamEvent,
  type Bar,
  type DomainEvent,
  type Mode,
  type PipelineConfig,
  parseRunId,
  runPipeline,
  type Strategy,
} from "@trader/core";
import type { TypedEventStore } from "@trader/store";
import { rebuildRecordedWindow } from "../account/recorded-runs.js";
import { dayStreamPrefix, tradingDateOfStream } from "../account/streams.js";
import { pipelineInputsFor } from "../cycle/pipeline-inputs.js";
import { isMonitorSlot } from "../monitor/index.js";

export interface RunRedecision {
  readonly runId: string;
  readonly verdict: "identical" | "diverged";
  /** How many decision events were compared. */
  readonly compared: number;
  /** The first decision that differs: its position in the decision, and both versions. */
  readonly firstDivergence: {
    readonly index: number;
    readonly recorded: { type: string; data: unknown } | null;
    readonly now: { type: string; data: unknown } | null;
  } | null;
}

export interface Redecision {
  readonly account: string;
  readonly date: string;
  readonly runs: readonly RunRedecision[];
  readonly verdict: "identical" | "diverged" | "nothing_to_redecide";
}

const canonical = (event: { type: string; data: unknown } | undefined) =>
  event === undefined ? null : JSON.stringify({ type: event.type, data: event.data });

/** One decision a recorded day made, with the state and the window it was decided from. */
export interface RecordedDecision {
  readonly runId: string;
  readonly mode: Mode;
  /** The account's state just before the decision. */
  readonly state: AccountState;
  /** What the run recorded before deciding. */
  readonly inputs: Extract<AccountStreamEvent, { type: "RunInputsRecorded" }>["data"];
  /** The window it decided from, rebuilt out of the recorded bars (its digest checked). */
  readonly window: Record<string, Bar[]>;
  /** The decision as recorded: the events before its RunDecided. */
  readonly events: readonly DomainEvent[];
}

/**
 * The decisions a recorded day made, in order, each with the account's state just before it
 * and the window it decided from: what `redecide` and post-market validation re-decide.
 */
export async function recordedDecisions(
  store: TypedEventStore<AccountStreamEvent>,
  model: AccountModel,
  account: string,
  date: string,
): Promise<RecordedDecision[]> {
  const streams = (await store.store.listStreams(dayStreamPrefix(account))).sort();
  let state: AccountState = model.initialState;
  const decisions: RecordedDecision[] = [];
  for (const stream of streams) {
    const day = tradingDateOfStream(account, stream);
    if (day > date) break;
    const events: DomainEvent[] = [];
    for await (const event of store.readStream(stream)) events.push(event);
    if (day < date) {
      for (const event of events) state = model.evolve(state, event);
      continue;
    }
    let folded = 0;
    for (const [index, event] of events.entries()) {
      if (event.type !== "RunDecided") continue;
      const decided = event as Extract<AccountStreamEvent, { type: "RunDecided" }>;
      const start = index - decided.data.decisionEvents;
      for (; folded < start; folded++) state = model.evolve(state, events[folded] as DomainEvent);
      const inputsEvent = events
        .slice(0, start)
        .findLast(
          (candidate) =>
            candidate.type === "RunInputsRecorded" &&
            (candidate.data as { runId: string }).runId === decided.data.runId,
        ) as Extract<AccountStreamEvent, { type: "RunInputsRecorded" }> | undefined;
      if (!inputsEvent) continue;
      // The intraday monitor's looks decide with the monitor, not the configured strategies:
      // re-deciding them with the strategies would report a divergence that is not one.
      if (isMonitorSlot(parseRunId(decided.data.runId).slot)) continue;
      const inputs = inputsEvent.data;
      decisions.push({
        runId: decided.data.runId,
        mode: (event as unknown as { metadata: { mode: Mode } }).metadata.mode,
        state,
        inputs,
        window: await rebuildRecordedWindow(store, account, inputs),
        events: events.slice(start, index),
      });
    }
  }
  return decisions;
}

/**
 * Re-decides a recorded day (SPEC §1): for each run that decided, rebuild the account's state
 * just before the decision and the window it decided from (out of the recorded bars), feed them
 * through the current code and config, and compare with the recorded decision event by event.
 */
export async function redecideDay(
  store: TypedEventStore<AccountStreamEvent>,
  model: AccountModel,
  strategies: readonly Strategy[],
  pipeline: PipelineConfig,
  account: string,
  date: string,
): Promise<Redecision> {
  const runs: RunRedecision[] = [];
  for (const decision of await recordedDecisions(store, model, account, date)) {
    const { inputs: recordedInputs } = decision;
    const inputs = pipelineInputsFor(
      decision.state,
      {
        runId: decision.runId,
        mode: decision.mode,
        tradingDate: recordedInputs.tradingDate,
        at: recordedInputs.at,
        window: decision.window,
        quotes: recordedInputs.quotes,
        buyingPowerCents: recordedInputs.broker.buyingPowerCents,
      },
      model.machines,
    );
    const now = runPipeline(strategies, inputs, pipeline).events;
    const recorded = decision.events;
    let firstDivergence: RunRedecision["firstDivergence"] = null;
    const length = Math.max(recorded.length, now.length);
    for (let position = 0; position < length; position++) {
      const before = recorded[position];
      const after = now[position];
      if (canonical(before) !== canonical(after)) {
        firstDivergence = {
          index: position,
          recorded: before ? { type: before.type, data: before.data } : null,
          now: after ? { type: after.type, data: after.data } : null,
        };
        break;
      }
    }
    runs.push({
      runId: decision.runId,
      verdict: firstDivergence ? "diverged" : "identical",
      compared: recorded.length,
      firstDivergence,
    });
  }
  return {
    account,
    date,
    runs,
    verdict:
      runs.length === 0
        ? "nothing_to_redecide"
        : runs.every((run) => run.verdict === "identical")
          ? "identical"
          : "diverged",
  };
}

export function renderRedecision(redecision: Redecision): string {
  if (redecision.verdict === "nothing_to_redecide") {
    return `${redecision.date}: no run decided on this day (nothing to re-decide)`;
  }
  return redecision.runs
    .map((run) => {
      if (!run.firstDivergence) {
        return `${run.runId}: identical (${run.compared} decision events re-decided bit for bit)`;
      }
      const { index, recorded, now } = run.firstDivergence;
      return [
        `${run.runId}: DIVERGED at decision event ${index + 1}`,
        `  recorded: ${recorded ? JSON.stringify(recorded) : "(nothing)"}`,
        `  now:      ${now ? JSON.stringify(now) : "(nothing)"}`,
      ].join("\n");
    })
    .join("\n");
}
