import { INITIAL_KILL_SWITCH_STATE } from "../kill-switch/state.js";
import { INITIAL_TRADING_BREAKER_STATE } from "../trading-breaker/state.js";
import type { SafetySnapshot } from "./precedence.js";

/** Every safety machine in its initial state: no kill, breaker closed, governor NORMAL. */
export const SAFETY_AT_REST: SafetySnapshot = {
  killSwitch: INITIAL_KILL_SWITCH_STATE,
  tradingBreaker: INITIAL_TRADING_BREAKER_STATE,
  governor: { status: "NORMAL" },
};
