import type { EventStore } from "@trader/store";

/** What a test throws to stand for the process dying: nothing after it runs. */
export class SimulatedCrash extends Error {
  override readonly name = "SimulatedCrash";
}

/** An event store that dies after a number of appends, as a process would. */
export interface CrashingStore extends EventStore {
  /** Appends that went through. */
  readonly appends: number;
  /** Whether the crash has happened. */
  readonly crashed: boolean;
}

/**
 * Wraps a store so that the first `appendsBeforeCrash` appends go through and every later call
 * (of any method) throws a SimulatedCrash. What was appended stays in the inner store, as it
 * would on disk; the caller "restarts" by reopening the inner store. `Infinity` never crashes
 * and only counts appends (to learn how many appends a run makes).
 */
export function crashingStore(inner: EventStore, appendsBeforeCrash: number): CrashingStore {
  const wholeOrInfinite =
    appendsBeforeCrash === Number.POSITIVE_INFINITY || Number.isInteger(appendsBeforeCrash);
  if (!(wholeOrInfinite && appendsBeforeCrash >= 0)) {
    throw new RangeError(
      `crashingStore: appendsBeforeCrash must be a whole number ≥ 0 or Infinity, got ${appendsBeforeCrash}`,
    );
  }
  let appends = 0;
  let crashed = false;
  const alive = (method: string) => {
    if (crashed) throw new SimulatedCrash(`${method} after the simulated crash`);
  };
  return {
    get appends() {
      return appends;
    },
    get crashed() {
      return crashed;
    },
    async append(stream, events, options) {
      alive("append");
      if (appends >= appendsBeforeCrash) {
        crashed = true;
        throw new SimulatedCrash(`crash before append ${appends + 1} (to ${stream})`);
      }
      const result = await inner.append(stream, events, options);
      appends++;
      return result;
    },
    readStream(stream, options) {
      alive("readStream");
      return guarded(inner.readStream(stream, options), () => alive("readStream"));
    },
    readAll(options) {
      alive("readAll");
      return guarded(inner.readAll(options), () => alive("readAll"));
    },
    async streamRevision(stream) {
      alive("streamRevision");
      return inner.streamRevision(stream);
    },
    async listStreams(prefix) {
      alive("listStreams");
      return inner.listStreams(prefix);
    },
    subscribe(options) {
      alive("subscribe");
      return inner.subscribe(options);
    },
    // Closing the inner store is the harness's job: it does so to "restart".
    async close() {},
  };
}

/** Checks before each item, so a read that spans the crash dies with it. */
async function* guarded<T>(source: AsyncIterable<T>, check: () => void): AsyncIterable<T> {
  for await (const item of source) {
    check();
    yield item;
  }
}
