/** Test helpers for users of @trader/core: given/when/then, decider properties, deterministic ports. */
export { fixedClock, type ManualClock, manualClock } from "../ports/clock.js";
export { seededIds } from "../ports/ids.js";
export { deepEqual, show } from "./deep-equal.js";
export { assertDeciderProperties, type DeciderPropertyOptions } from "./properties.js";
export { ScenarioError, type ScenarioOutcome, scenario } from "./scenario.js";
