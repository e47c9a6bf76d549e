import { type Mode, modeSchema } from "./events/envelope.js";

/** The parts of a deterministic run id `<mode>:<account>:<trading date>:<slot>`. */
export interface RunIdParts {
  readonly mode: Mode;
  readonly account: string;
  /** The exchange trading date, YYYY-MM-DD. */
  readonly tradingDate: string;
  /** Which run of the day, e.g. "close" for the daily run minutes before the close. */
  readonly slot: string;
}

const SEGMENT = /^[A-Za-z0-9._-]+$/;
const TRADING_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Builds the run id. The same run retried gets the same id, so its decisions dedupe. */
export function formatRunId(parts: RunIdParts): string {
  modeSchema.parse(parts.mode);
  for (const [name, value] of [
    ["account", parts.account],
    ["slot", parts.slot],
  ] as const) {
    if (!SEGMENT.test(value)) {
      throw new RangeError(`run id: ${name} "${value}" must be letters, digits, ".", "_" or "-"`);
    }
  }
  if (!TRADING_DATE.test(parts.tradingDate)) {
    throw new RangeError(`run id: trading date "${parts.tradingDate}" must be YYYY-MM-DD`);
  }
  return `${parts.mode}:${parts.account}:${parts.tradingDate}:${parts.slot}`;
}

/** Parses a run id; throws a RangeError naming the id and the expected shape. */
export function parseRunId(runId: string): RunIdParts {
  const segments = runId.split(":");
  const [mode, account, tradingDate, slot] = segments;
  const parsedMode = modeSchema.safeParse(mode);
  if (
    segments.length !== 4 ||
    !parsedMode.success ||
    account === undefined ||
    !SEGMENT.test(account) ||
    tradingDate === undefined ||
    !TRADING_DATE.test(tradingDate) ||
    slot === undefined ||
    !SEGMENT.test(slot)
  ) {
    throw new RangeError(
      `run id "${runId}" is not <mode>:<account>:<YYYY-MM-DD>:<slot> (mode one of ${modeSchema.options.join(", ")})`,
    );
  }
  return { mode: parsedMode.data, account, tradingDate, slot };
}
