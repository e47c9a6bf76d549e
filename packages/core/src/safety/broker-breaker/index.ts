/**
 * Broker call breaker (SPEC §5): guards every call to the broker.
 *
 * - CLOSED lets calls through. 5 consecutive failed calls open it.
 * - OPEN fails fast: `RequestCall` is refused (`circuit_open`, with `retryAt`) until the
 *   recovery timeout has passed: 60 s the first time, doubled on each re-open, capped at
 *   `maxRecoveryMs` (15 min by default).
 * - The first call requested at or after `retryAt` moves it to HALF_OPEN and is the single
 *   trial call; other requests are refused (`trial_in_flight`) until the trial reports.
 *   Trial success → CLOSED (backoff back to 60 s); trial failure → OPEN with the doubled timeout.
 * - Counts calls let through, successes, failures and openings. Every change is an event.
 *
 * Choices where the spec is silent:
 * - Calls carry an id chosen by the wrapper; `RecordSuccess` / `RecordFailure` name the call,
 *   so a result is matched to its call, a result reported twice is refused
 *   (`call_not_in_flight`), and only the trial's own result moves HALF_OPEN.
 * - A call let through while CLOSED that reports after the circuit opened is counted, but moves
 *   nothing: only the trial decides recovery.
 * - Refused requests are not counted as calls (a refusal writes no event).
 * - The backoff resets only when a trial succeeds; "re-open" means a failed trial.
 * - A call that never reports stays in `inFlight`; the wrapper reports it failed on timeout,
 *   and on restart for every call still listed, or a HALF_OPEN breaker would wait forever.
 *
 * Test arbitraries live in ./testing.ts (not re-exported here, so the main entry does not load
 * fast-check): `brokerBreakerCommand`, `brokerBreakerCommands`.
 */
export {
  type BrokerBreakerConfig,
  type BrokerBreakerConfigInput,
  brokerBreakerConfigSchema,
  DEFAULT_BROKER_BREAKER_CONFIG,
} from "./config.js";
export {
  type BrokerBreakerCommand,
  type BrokerBreakerCounts,
  type BrokerBreakerDecider,
  type BrokerBreakerRefusal,
  type BrokerBreakerRefusalCode,
  type BrokerBreakerState,
  createBrokerBreaker,
  evolveBrokerBreaker,
  INITIAL_BROKER_BREAKER_STATE,
} from "./decider.js";
export {
  BROKER_BREAKER_EVENTS,
  BROKER_BREAKER_OPEN_REASONS,
  BrokerBreakerCallFailed,
  BrokerBreakerCallPermitted,
  BrokerBreakerCallSucceeded,
  BrokerBreakerClosed,
  type BrokerBreakerEvent,
  BrokerBreakerHalfOpened,
  BrokerBreakerOpened,
} from "./events.js";
export {
  BROKER_BREAKER_STATUSES,
  BROKER_BREAKER_TABLE,
  type BrokerBreakerStatus,
} from "./table.js";
