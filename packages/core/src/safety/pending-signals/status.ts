/** A pending signal's states, in the spec's names; EXECUTED and EXPIRED are final. */
export const PENDING_SIGNAL_STATUSES = ["PENDING", "EXECUTED", "EXPIRED"] as const;
export type PendingSignalStatus = (typeof PENDING_SIGNAL_STATUSES)[number];

/** The funnel stages whose stop makes a signal PENDING rather than final (SPEC §9). */
export const DEFERRABLE_STAGES = ["CORRELATION", "RISK"] as const;
export type DeferrableStage = (typeof DEFERRABLE_STAGES)[number];
