/**
 * An account as the fold of its events: the ledger the engine projects from fills, every safety
 * machine, the runs and their recorded inputs. The runtime appends; this folds.
 */
export * from "./account-model.js";
export * from "./events.js";
