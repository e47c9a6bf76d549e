export * from "./monitor-tick.js";
