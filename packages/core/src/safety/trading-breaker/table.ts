import { defineTransitionTable } from "../../decider/transition-table.js";
import type { TradingBreakerCommandType } from "./decider.js";
import type { TradingBreakerStatus } from "./state.js";

/** CLOSED → OPEN on the first breach of any limit; OPEN → CLOSED only by a manual reset. */
export const TRADING_BREAKER_TABLE = defineTransitionTable<
  TradingBreakerStatus,
  TradingBreakerCommandType
>({
  machine: "trading circuit breaker",
  states: ["CLOSED", "OPEN"],
  commands: [
    "ObserveEquity",
    "RecordTradeResult",
    "RecordApiError",
    "RecordOrderFailure",
    "RecordFailedTrade",
    "ResetBreaker",
  ],
  initial: "CLOSED",
  terminal: [],
  transitions: [
    {
      from: "CLOSED",
      on: "ObserveEquity",
      to: "OPEN",
      when: "drawdown today ≥ 5%, this week ≥ 10% or in total ≥ 20%",
    },
    { from: "CLOSED", on: "RecordTradeResult", to: "OPEN", when: "10 consecutive losing trades" },
    { from: "CLOSED", on: "RecordApiError", to: "OPEN", when: "≥ 3 API errors within 60 s" },
    { from: "CLOSED", on: "RecordOrderFailure", to: "OPEN", when: "≥ 5 order failures" },
    { from: "CLOSED", on: "RecordFailedTrade", to: "OPEN", when: "≥ 5 failed trades within 1 h" },
    { from: "OPEN", on: "ResetBreaker", to: "CLOSED", when: "operator and reason" },
  ],
});
