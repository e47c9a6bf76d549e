export * from "./render.js";
export * from "./validate-day.js";
