import type { DocumentedMachine } from "../docs/state-machines-doc.js";
import { BROKER_BREAKER_TABLE } from "./broker-breaker/table.js";
import { GOVERNOR_TABLE } from "./governor/table.js";
import { INTENT_TABLE } from "./intents/table.js";
import { KILL_SWITCH_TABLE } from "./kill-switch/table.js";
import { PENDING_SIGNALS_TABLE } from "./pending-signals/table.js";
import { TRADING_BREAKER_TABLE } from "./trading-breaker/table.js";

/** Every safety machine, in the order the docs present them. */
export const SAFETY_MACHINES: readonly DocumentedMachine[] = [
  {
    title: "Drawdown governor (SPEC §2)",
    summary:
      "Blocks new entries at 8% drawdown (HALT, 10-session cooldown) and 10% (PANIC, 20 sessions, optional flatten); health checks at cooldown end lead to RAMPUP at 0.5 sizing for 5 sessions, or extend the cooldown by 5.",
    table: GOVERNOR_TABLE,
  },
  {
    title: "Kill switch (SPEC §3)",
    summary:
      "The strictest active kill anywhere: INACTIVE, ENTRIES (risk-increasing orders blocked) or ALL (every order blocked). Manual kills and automatic ones (reconciliation failure, duplicate intent, excessive rejections, consecutive failed runs); a reconciliation kill clears on a passing reconciliation, every other needs a manual reset.",
    table: KILL_SWITCH_TABLE,
  },
  {
    title: "Trading circuit breaker (SPEC §4)",
    summary:
      "Opens on the first breach of daily 5% / weekly 10% / total 20% drawdown, 10 losing trades in a row, 3 API errors in 60 s, 5 order failures, or 5 failed trades in 1 h. Manual reset only.",
    table: TRADING_BREAKER_TABLE,
  },
  {
    title: "Broker call breaker (SPEC §5)",
    summary:
      "Opens after 5 consecutive failed broker calls and fails fast; after 60 s (doubling on each re-open, capped) one trial call goes through in HALF_OPEN.",
    table: BROKER_BREAKER_TABLE,
  },
  {
    title: "Order intent (SPEC §6)",
    summary:
      "The lifecycle of one order intent, keyed by its deterministic id. UNKNOWN is a submission whose outcome is not known; only broker evidence moves it.",
    table: INTENT_TABLE,
  },
  {
    title: "Pending signal (SPEC §9)",
    summary:
      "A signal stopped by correlation or risk waits as PENDING and is re-evaluated on each run for 3 sessions, then EXPIRED (or EXECUTED when a run lets it through).",
    table: PENDING_SIGNALS_TABLE,
  },
];
