/** The signal funnel (SPEC §7): every signal passes these in order and ends at exactly one. */
export const FUNNEL_STAGES = [
  "RAW",
  "DATA_QUALITY",
  "REGIME",
  "CORRELATION",
  "RISK",
  "EXECUTED",
] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

/** The stages that can stop a signal (RAW only counts; EXECUTED is the end). */
export const STOPPING_STAGES = ["DATA_QUALITY", "REGIME", "CORRELATION", "RISK"] as const;
export type StoppingStage = (typeof STOPPING_STAGES)[number];

/** A signal stopped at these stages waits as PENDING and is re-evaluated (SPEC §9). */
export const PENDING_STAGES = ["CORRELATION", "RISK"] as const satisfies readonly StoppingStage[];

export function stageIndex(stage: FunnelStage): number {
  return FUNNEL_STAGES.indexOf(stage);
}
