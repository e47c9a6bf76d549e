/**
 * Risk (SPEC §9): correlation-aware sizing (the CORRELATION stage) and the risk gates (the RISK
 * stage), each a pure function returning a verdict with one reason code; `runRiskGates` runs
 * them in a fixed order over a proposed post-trade portfolio.
 */
export * from "./config.js";
export * from "./correlation-sizing.js";
export * from "./gates.js";
export * from "./portfolio.js";
export * from "./run-risk-gates.js";
export * from "./value-at-risk.js";
export * from "./verdict.js";
