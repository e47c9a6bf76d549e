/** Strategy health (SPEC §11): 7- and 30-day metrics and a 0–100 score from closed trades and funnel counts. */
export * from "./config.js";
export * from "./strategy-health.js";
