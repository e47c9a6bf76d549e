/**
 * Post-market validation (SPEC §13): the day re-decided on the official close is compared with
 * the recorded decision — logic match and price drift per symbol — and graded GREEN / YELLOW /
 * RED, with rolling statistics over the last 20 sessions. Pure; the runtime gathers the inputs.
 */
export * from "./classify.js";
export * from "./compare.js";
export * from "./config.js";
export * from "./events.js";
export * from "./report.js";
export * from "./rolling.js";
