/**
 * Test helpers for users of @trader/core: given/when/then, decider properties, deterministic
 * ports, and fast-check arbitraries for every safety machine (`xCommand` draws one command,
 * `xCommands` a realistic sequence). Kept apart from the main entry so fast-check is only loaded
 * by tests.
 */
export { fixedClock, type ManualClock, manualClock } from "../ports/clock.js";
export { seededIds } from "../ports/ids.js";
export * from "../safety/broker-breaker/testing.js";
export * from "../safety/governor/testing.js";
export * from "../safety/intents/testing.js";
export * from "../safety/kill-switch/testing.js";
export * from "../safety/pending-signals/testing.js";
export * from "../safety/trading-breaker/testing.js";
export { deepEqual, show } from "./deep-equal.js";
export { assertDeciderProperties, type DeciderPropertyOptions } from "./properties.js";
export { ScenarioError, type ScenarioOutcome, scenario } from "./scenario.js";
