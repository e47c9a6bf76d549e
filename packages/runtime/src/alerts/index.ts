export * from "./channels.js";
export * from "./checkpoint-events.js";
export * from "./config.js";
export * from "./digest.js";
export * from "./dispatcher.js";
export * from "./health.js";
