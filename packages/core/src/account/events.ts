import { z } from "zod";
import { defineEvent } from "../events/registry.js";
import { SLIPPAGE_LEVELS } from "../execution/slippage.js";
import { barSchema, quoteSchema } from "../market/bars.js";

const instant = z.iso.datetime();
const date = z.iso.date();
const text = z.string().min(1);
const cents = z.number().int();
const detail = z.record(z.string(), z.unknown());

export const heldPositionSchema = z.object({
  symbol: text,
  /** Whole shares; negative for a short. */
  quantity: z.number().int(),
  averagePriceCents: cents.nonnegative(),
});
export type HeldPosition = z.infer<typeof heldPositionSchema>;

/** What the broker said about the account at an instant (a recorded input). */
export const brokerSnapshotSchema = z.object({
  broker: text,
  cashCents: cents,
  equityCents: cents,
  buyingPowerCents: cents,
  positions: z.array(heldPositionSchema),
});
export type BrokerSnapshot = z.infer<typeof brokerSnapshotSchema>;

/**
 * The account's first event: the projection starts from the broker's state (or a backtest's
 * funding), so the first reconciliation compares like with like.
 */
export const AccountOpened = defineEvent({
  type: "AccountOpened",
  schema: z.object({
    account: text,
    at: instant,
    cashCents: cents,
    positions: z.array(heldPositionSchema),
    source: z.enum(["broker_snapshot"]),
  }),
});

/** A forced sync (SPEC §10): the broker's state becomes the projection's, audited; nothing is deleted. */
export const BrokerStateAdopted = defineEvent({
  type: "BrokerStateAdopted",
  schema: z.object({
    at: instant,
    operator: text,
    reason: text,
    cashCents: cents,
    positions: z.array(heldPositionSchema),
    previous: z.object({ cashCents: cents, positions: z.array(heldPositionSchema) }),
  }),
});

/** The effective config a run used; recorded when it differs from the last one recorded. */
export const ConfigRecorded = defineEvent({
  type: "ConfigRecorded",
  schema: z.object({ digest: text, config: detail }),
});

/**
 * A run's recorded inputs (SPEC §1). Bars are recorded once: each run records the bars newer
 * than the last recorded for that symbol, and the digest of the whole window it decided from,
 * so a replay can rebuild the window from the stream and prove it is the same.
 */
export const RunInputsRecorded = defineEvent({
  type: "RunInputsRecorded",
  schema: z.object({
    runId: text,
    /** The clock reading the run decided at. */
    at: instant,
    tradingDate: date,
    /** Bars per symbol the decision saw (the window's length); replays rebuild it from the stream. */
    window: z.number().int().positive(),
    newBars: z.record(z.string(), z.array(barSchema)),
    /** SHA-256 over the bars (≤ trading date) of every symbol the run decided from. */
    historyDigest: text,
    quotes: z.array(quoteSchema),
    broker: brokerSnapshotSchema,
    configDigest: text,
  }),
});

/**
 * Pre-flight (SPEC §12) beyond the session check and the broker read: store integrity, free disk.
 * Any failure stops the run before it decides ("better to miss a day than to trade wrong").
 */
export const PreflightRecorded = defineEvent({
  type: "PreflightRecorded",
  schema: z.object({
    runId: text,
    checks: z.array(z.object({ name: text, ok: z.boolean(), detail: text })),
  }),
});

/** The reconciliation gate's verdict before a run that may trade (SPEC §10). */
export const ReconciliationRecorded = defineEvent({
  type: "ReconciliationRecorded",
  schema: z.object({
    runId: text,
    at: instant,
    status: z.enum(["PASS", "WARN", "FAIL"]),
    severity: z.enum(["INFO", "WARNING", "CRITICAL"]),
    message: text,
    issues: z.array(z.object({ code: text, message: text, detail })),
  }),
});

/** The run's decision is complete and appended; execution may start (a resumed run skips deciding). */
export const RunDecided = defineEvent({
  type: "RunDecided",
  schema: z.object({
    runId: text,
    orders: z.number().int().nonnegative(),
    /** How many events before this one belong to the decision (a replay compares exactly those). */
    decisionEvents: z.number().int().nonnegative(),
  }),
});

/** A fill compared with the price the decision expected (SPEC §10). */
export const SlippageRecorded = defineEvent({
  type: "SlippageRecorded",
  schema: z.object({
    intentId: text,
    symbol: text,
    side: z.enum(["buy", "sell"]),
    expectedPrice: z.number().positive(),
    fillPrice: z.number().positive(),
    /** Adverse slippage as a fraction (negative when the fill was better). */
    adverse: z.number(),
    level: z.enum(SLIPPAGE_LEVELS),
    message: text,
  }),
});

/** A partial fill: the remainder is sent again under `clientOrderId`, or accepted as it is (WARNING). */
export const PartialFillHandled = defineEvent({
  type: "PartialFillHandled",
  schema: z.object({
    intentId: text,
    attempt: z.number().int().nonnegative(),
    filled: z.number().int().nonnegative(),
    ordered: z.number().int().positive(),
    action: z.enum(["retry_remainder", "accept_partial"]),
    clientOrderId: text.nullable(),
  }),
});

/** The rest of the run's orders are not sent (a critical slippage, SPEC §10). */
export const RunExecutionAborted = defineEvent({
  type: "RunExecutionAborted",
  schema: z.object({ runId: text, code: text, message: text, canceledIntents: z.array(text) }),
});

/**
 * Flatten-on-panic (SPEC §2): after the run's own orders, a sell for what is still held of a
 * position the governor asked to close; the price is the decision's (for slippage).
 */
export const FlattenOrdered = defineEvent({
  type: "FlattenOrdered",
  schema: z.object({
    runId: text,
    intentId: text,
    symbol: text,
    quantity: z.number().int().positive(),
    expectedPrice: z.number().positive(),
  }),
});

/** Emergency exit (SPEC §3): flatten everything, then kill at level `all`. */
export const EmergencyExitStarted = defineEvent({
  type: "EmergencyExitStarted",
  schema: z.object({
    at: instant,
    operator: text,
    reason: text,
    positions: z.array(heldPositionSchema),
  }),
});
export const EmergencyExitCompleted = defineEvent({
  type: "EmergencyExitCompleted",
  schema: z.object({
    at: instant,
    flat: z.boolean(),
    remaining: z.array(heldPositionSchema),
    elapsedMs: z.number().nonnegative(),
  }),
});

/**
 * The account's state at the end of a trading day, so start-up reads the last snapshot plus the
 * events after it instead of the whole history. `through` is the stream revision it includes.
 */
export const AccountSnapshotTaken = defineEvent({
  type: "AccountSnapshotTaken",
  schema: z.object({
    tradingDate: date,
    at: instant,
    through: z.number().int().nonnegative(),
    state: detail,
  }),
});

export const ACCOUNT_EVENTS = [
  AccountOpened,
  BrokerStateAdopted,
  ConfigRecorded,
  RunInputsRecorded,
  PreflightRecorded,
  ReconciliationRecorded,
  RunDecided,
  SlippageRecorded,
  PartialFillHandled,
  RunExecutionAborted,
  FlattenOrdered,
  EmergencyExitStarted,
  EmergencyExitCompleted,
  AccountSnapshotTaken,
] as const;
