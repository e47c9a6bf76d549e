import {
  ACCOUNT_STREAM_EVENTS,
  type AccountModel,
  type AccountState,
  type AccountStreamEvent,
  type Clock,
  createEventRegistry,
  type Decider,
  type DomainEvent,
  type EventRegistry,
  type Mode,
  type Refusal,
  seededIds,
  toIsoUtc,
} from "@trader/core";
import {
  createTypedStore,
  type EventStore,
  type TypedEventStore,
  type TypedRecordedEvent,
} from "@trader/store";
import { dayStream, dayStreamPrefix, tradingDateOfStream } from "./streams.js";

export const ACCOUNT_REGISTRY: EventRegistry<AccountStreamEvent> =
  createEventRegistry(ACCOUNT_STREAM_EVENTS);

export function typedAccountStore(store: EventStore): TypedEventStore<AccountStreamEvent> {
  return createTypedStore(store, ACCOUNT_REGISTRY);
}

/** The account's state as of now, and where each of its streams ends. */
export interface LoadedAccount {
  readonly state: AccountState;
  /** Trading dates that have a day stream, oldest first. */
  readonly days: readonly string[];
  /** Events read to rebuild it (the last snapshot plus what came after). */
  readonly eventsRead: number;
}

/**
 * Rebuilds the account from its last end-of-day snapshot plus every event after it, so start-up
 * does not grow with history (DESIGN "Streams"). Without a snapshot it folds every day.
 */
export async function loadAccount(
  store: TypedEventStore<AccountStreamEvent>,
  model: AccountModel,
  account: string,
): Promise<LoadedAccount> {
  const streams = (await store.store.listStreams(dayStreamPrefix(account))).sort();
  const days = streams.map((stream) => tradingDateOfStream(account, stream));
  // Find the newest snapshot, reading days backwards; keep what was read to fold it forwards.
  const readDays: { stream: string; events: DomainEvent[]; snapshotAt: number }[] = [];
  let start: AccountState = model.initialState;
  for (let index = streams.length - 1; index >= 0; index--) {
    const stream = streams[index] as string;
    const events: DomainEvent[] = [];
    for await (const event of store.readStream(stream)) events.push(event);
    let snapshotAt = -1;
    events.forEach((event, position) => {
      if (event.type === "AccountSnapshotTaken") snapshotAt = position;
    });
    readDays.unshift({ stream, events, snapshotAt });
    if (snapshotAt >= 0) {
      const snapshot = events[snapshotAt] as Extract<
        AccountStreamEvent,
        { type: "AccountSnapshotTaken" }
      >;
      start = snapshot.data.state as unknown as AccountState;
      break;
    }
  }
  let state = start;
  let eventsRead = 0;
  for (const day of readDays) {
    day.events.forEach((event, position) => {
      eventsRead++;
      if (position > day.snapshotAt) state = model.evolve(state, event);
    });
  }
  return { state, days, eventsRead };
}

export interface JournalContext {
  readonly account: string;
  readonly tradingDate: string;
  readonly runId: string;
  readonly mode: Mode;
  readonly clock: Clock;
}

/**
 * Appends an account-day's events and keeps the account's state folded as it goes. Every
 * decision is appended here before its effect: an append is the unit a crash can interrupt.
 * Event ids are derived from the stream and its revision, so the same run writes the same ids.
 */
export class AccountJournal {
  private revision: number | "no_stream" = "no_stream";
  private pending: DomainEvent[] = [];
  readonly stream: string;

  private constructor(
    private readonly store: TypedEventStore<AccountStreamEvent>,
    private readonly model: AccountModel,
    private current: AccountState,
    private readonly context: JournalContext,
  ) {
    this.stream = dayStream(context.account, context.tradingDate);
  }

  static async open(
    store: TypedEventStore<AccountStreamEvent>,
    model: AccountModel,
    state: AccountState,
    context: JournalContext,
  ): Promise<AccountJournal> {
    const journal = new AccountJournal(store, model, state, context);
    journal.revision = await store.store.streamRevision(journal.stream);
    return journal;
  }

  get state(): AccountState {
    return this.current;
  }

  get runId(): string {
    return this.context.runId;
  }

  get machines(): AccountModel["machines"] {
    return this.model.machines;
  }

  now(): string {
    return toIsoUtc(this.context.clock.now());
  }

  /** Events produced outside a decision (the broker breaker's), appended with the next batch. */
  defer(events: readonly DomainEvent[]): void {
    for (const event of events) {
      this.pending.push(event);
      this.current = this.model.evolve(this.current, event);
    }
  }

  /** Appends the events (and any deferred ones) as one batch, then folds them into the state. */
  async append(events: readonly DomainEvent[]): Promise<void> {
    const batch = [...this.pending, ...events];
    if (batch.length === 0) return;
    const expectedRevision = this.revision;
    const ids = seededIds(
      `${this.stream}@${expectedRevision === "no_stream" ? -1 : expectedRevision}`,
    );
    const stamped = ACCOUNT_REGISTRY.stamp(batch as AccountStreamEvent[], {
      clock: this.context.clock,
      ids,
      runId: this.context.runId,
      mode: this.context.mode,
    });
    const result = await this.store.append(this.stream, stamped, { expectedRevision });
    this.revision = result.nextRevision;
    this.pending = [];
    for (const event of events) this.current = this.model.evolve(this.current, event);
  }

  /**
   * Runs a command through one of the account's deciders and appends what it decides. A refusal
   * is returned, not thrown: refusals are expected outcomes (a repeated report, a closed window).
   */
  async decide<C, E extends DomainEvent, S, R extends Refusal>(
    decider: Decider<C, E, S, R>,
    state: S,
    command: C,
  ): Promise<{ ok: true; events: readonly E[] } | { ok: false; refusal: R }> {
    const decision = decider.decide(command, state);
    if (!decision.ok) return decision;
    await this.append(decision.events);
    return decision;
  }

  /** The day stream as recorded so far (what earlier attempts of the run left included). */
  readOwnStream(): AsyncIterable<TypedRecordedEvent<AccountStreamEvent>> {
    return this.store.readStream(this.stream);
  }

  /** The revision the next append expects (the number of events in the day stream). */
  get nextRevision(): number {
    return this.revision === "no_stream" ? 0 : this.revision + 1;
  }
}
