export * from "./alert-rules.js";
export * from "./condition-alerts.js";
