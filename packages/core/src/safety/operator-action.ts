import { type Refusal, refuse } from "../decider/decider.js";

export type OperatorActionRefusalCode = "missing_operator" | "missing_reason";

/**
 * Every manual action on a safety machine (a kill, a reset, a forced resume) must say who did it
 * and why, so the audit trail can answer for it. Returns the refusal when either is blank.
 */
export function refuseUnattributed(
  action: string,
  command: { readonly operator: string; readonly reason: string },
): { readonly ok: false; readonly refusal: Refusal<OperatorActionRefusalCode> } | null {
  if (command.operator.trim() === "") {
    return refuse("missing_operator", `${action} must say who does it (operator)`);
  }
  if (command.reason.trim() === "") {
    return refuse("missing_reason", `${action} must say why (reason)`);
  }
  return null;
}
