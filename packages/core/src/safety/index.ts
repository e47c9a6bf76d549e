/** The safety state machines (SPEC §2–§6, §9) and the precedence of their blocks. */
export * from "./broker-breaker/index.js";
export { SAFETY_MACHINES } from "./documented-machines.js";
export * from "./governor/index.js";
export * from "./intents/index.js";
export * from "./kill-switch/index.js";
export * from "./pending-signals/index.js";
export * from "./precedence/index.js";
export * from "./trading-breaker/index.js";
