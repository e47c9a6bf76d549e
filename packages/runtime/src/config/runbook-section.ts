import { renderConfigReference } from "./reference.js";

const START = "<!-- config-reference:start -->";
const END = "<!-- config-reference:end -->";

/**
 * The runbook with its configuration reference section regenerated from the schema (between the
 * `config-reference` markers), so the operator's guide never documents a setting that is gone.
 */
export function withConfigReference(runbook: string): string {
  const start = runbook.indexOf(START);
  const end = runbook.indexOf(END);
  if (start < 0 || end < start) {
    throw new RangeError(`the runbook has no ${START} … ${END} section to fill`);
  }
  return `${runbook.slice(0, start + START.length)}\n${renderConfigReference().trim()}\n${runbook.slice(end)}`;
}
