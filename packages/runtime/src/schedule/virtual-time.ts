import { type Clock, parseIsoInstant, toIsoUtc } from "@trader/core";
import { VirtualTimeScheduler } from "rxjs";

/**
 * Virtual time for the scheduler: an rxjs `VirtualTimeScheduler` whose frames are epoch
 * milliseconds, and a clock that reads it. `advanceTo` runs everything due up to an instant,
 * letting each action's promise settle before the next timer, so a simulated week takes
 * milliseconds. (rxjs's `TestScheduler` runs marble tests synchronously; the scheduler's
 * actions are async, hence this.)
 */
export interface VirtualTime {
  readonly scheduler: VirtualTimeScheduler;
  readonly clock: Clock;
  /** Runs every timer up to `until` (inclusive), then leaves the clock at `until`. */
  advanceTo(until: string | number): Promise<void>;
}

/** Event-loop turns to wait for an action's I/O before deciding nothing more is coming. */
const MAX_IDLE_TURNS = 1_000;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export function virtualTime(start: string | number): VirtualTime {
  const scheduler = new VirtualTimeScheduler();
  scheduler.frame = typeof start === "number" ? start : parseIsoInstant(start);
  const clock: Clock = { now: () => scheduler.now() };
  return {
    scheduler,
    clock,
    async advanceTo(until) {
      const untilMs = typeof until === "number" ? until : parseIsoInstant(until);
      if (!(untilMs >= scheduler.frame)) {
        throw new RangeError(
          `virtualTime.advanceTo: ${toIsoUtc(untilMs)} is before the virtual clock (${toIsoUtc(scheduler.frame)})`,
        );
      }
      scheduler.maxFrames = untilMs;
      for (;;) {
        scheduler.flush();
        // An action in flight schedules its successor once its promise settles.
        let idleTurns = 0;
        while (scheduler.actions.length === 0 && idleTurns < MAX_IDLE_TURNS) {
          await nextTurn();
          idleTurns++;
        }
        const next = scheduler.actions[0];
        if (!next || next.delay > untilMs) break;
      }
      scheduler.frame = untilMs;
    },
  };
}
