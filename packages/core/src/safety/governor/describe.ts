import { formatPercent as percent } from "../../format.js";
import { formatCents } from "../../money.js";
import { type GovernorState, sizingMultiplier } from "./state.js";

/**
 * The governor's binding constraint in words, for why-no-trade and status displays, e.g.
 * "HALT since 2026-11-12: drawdown 8.4%; cooldown ends 2026-11-26".
 */
export function describeGovernor(state: GovernorState): string {
  const { cooldown, rampUp } = state;
  if (cooldown) {
    const extended =
      cooldown.extensions === 0
        ? ""
        : ` (extended ${cooldown.extensions}× after failed health checks: ${cooldown.failedChecks.join(", ")})`;
    return `${state.status} since ${cooldown.since}: drawdown ${percent(cooldown.drawdownAtTrigger)}; cooldown ends ${cooldown.endsOn}${extended}`;
  }
  if (rampUp) {
    return `RAMPUP since ${rampUp.since}: sizing × ${sizingMultiplier(state)}; NORMAL from ${rampUp.endsOn}`;
  }
  if (state.peak === null) return "NORMAL: no equity observed yet";
  return `NORMAL: drawdown ${percent(state.drawdown)} from peak ${formatCents(state.peak)}`;
}
