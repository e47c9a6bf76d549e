import type { GovernorState } from "../governor/state.js";
import type { GovernorView } from "./precedence.js";

/** What precedence needs of the governor's state: its status and, while cooling down, why and until when. */
export function governorView(state: GovernorState): GovernorView {
  const { cooldown } = state;
  if (!cooldown) return { status: state.status };
  return {
    status: state.status,
    detail: {
      since: cooldown.since,
      drawdown: cooldown.drawdownAtTrigger,
      cooldownEndsOn: cooldown.endsOn,
    },
  };
}
