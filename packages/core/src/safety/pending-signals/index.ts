/**
 * Pending signals (SPEC §9): a signal the CORRELATION or RISK stage stopped becomes PENDING,
 * keyed by its signal id with the stage and reason that stopped it; it is re-evaluated on each
 * run for `decayDays` (3) trading sessions, then EXPIRED, unless a re-evaluation lets it through
 * (EXECUTED). EXECUTED and EXPIRED are final. One decider holds the whole collection.
 *
 * Choices where the spec is silent:
 * - Counting: a signal deferred on session S is due for re-evaluation on the sessions after S up
 *   to and including `calendar.addSessions(S, decayDays)` (`reevaluateUntil`), and
 *   `ExpirePendingSignals` on any later session expires it. Deferred on a Friday before a
 *   Monday holiday, it is re-evaluated Tuesday, Wednesday and Thursday and expires on Friday.
 * - Not re-evaluated on the session it was deferred on (a later slot the same day is no
 *   "later run" in trading days); re-evaluating outside the window is refused.
 * - A re-evaluation that stops it again is recorded (`PendingSignalStillBlocked`, any stage)
 *   and keeps it PENDING; the original stop is kept in `stoppedBy`.
 * - Closed signals stay in the state so an id is never reused (`already_tracked`); pruning them
 *   is left to the end-of-day snapshot.
 *
 * Arbitraries for property tests live in `./testing.ts` (not re-exported here).
 */
export {
  PENDING_SIGNAL_COMMAND_TYPES,
  type PendingSignalCommand,
  type PendingSignalCommandType,
  type PendingSignalRefusalCode,
  pendingSignalCommandSchema,
} from "./commands.js";
export {
  DEFAULT_PENDING_SIGNALS_CONFIG,
  type PendingSignalsConfig,
  type PendingSignalsConfigInput,
  parsePendingSignalsConfig,
  pendingSignalsConfigSchema,
} from "./config.js";
export {
  createPendingSignals,
  type PendingSignalRefusal,
  type PendingSignalsDecider,
  type PendingSignalsOptions,
} from "./decider.js";
export * from "./events.js";
export {
  evolvePendingSignals,
  INITIAL_PENDING_SIGNALS_STATE,
  type PendingSignal,
  type PendingSignalsState,
  pendingSignal,
  signalsDueForReevaluation,
  signalsToExpire,
} from "./state.js";
export * from "./status.js";
export { PENDING_SIGNALS_TABLE } from "./table.js";
