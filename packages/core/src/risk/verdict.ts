/**
 * What every gate and check returns: a pass, or a failure with one stable snake_case reason
 * code from the funnel vocabulary (SPEC §7), a message in plain words with the numbers, and the
 * numbers themselves in `detail`. Expected outcomes are values; only bad input throws.
 */
export type GateFailure<Code extends string = string> = {
  readonly pass: false;
  readonly code: Code;
  readonly message: string;
  readonly detail: Readonly<Record<string, unknown>>;
};

export type GateVerdict<Code extends string = string> = { readonly pass: true } | GateFailure<Code>;

export const GATE_PASSED: { readonly pass: true } = { pass: true };

export function gateFailure<Code extends string>(
  code: Code,
  message: string,
  detail: Readonly<Record<string, unknown>>,
): GateFailure<Code> {
  return { pass: false, code, message, detail };
}
