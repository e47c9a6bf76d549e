import { CorruptionError, type StoreStateError, TornTailError } from "../port.js";
import type { StreamIndex } from "../stream-index.js";
import type { StreamReport } from "./reports.js";
import { EMPTY_END, type FileProblem, type FileScan, type StreamEnd } from "./stream-file.js";

/** What the file store knows about one stream file. */
export interface StreamState {
  readonly stream: string;
  readonly file: string;
  /** Where the committed events end; reads never go past it. */
  end: StreamEnd;
  /** The highest position the file may hold, never to be handed out again (a torn tail's are reused). */
  highestPosition: number;
  /** Known once a readAll needed it (to open files only when the merge reaches them). */
  firstPosition: number | undefined;
  /** Built by the first append (a full verification of the file). */
  index: StreamIndex | undefined;
  /** Why appends are refused: a torn tail, corruption, or a failed write. */
  problem: TornTailError | CorruptionError | StoreStateError | undefined;
}

export function newStreamState(stream: string, file: string): StreamState {
  return {
    stream,
    file,
    end: EMPTY_END,
    highestPosition: -1,
    firstPosition: undefined,
    index: undefined,
    problem: undefined,
  };
}

export function setEnd(state: StreamState, end: StreamEnd): void {
  state.end = {
    committedEnd: end.committedEnd,
    events: end.events,
    lastPosition: end.lastPosition,
    lastChecksum: end.lastChecksum,
  };
  state.highestPosition = Math.max(state.highestPosition, end.lastPosition);
}

export function applyScan(state: StreamState, scan: FileScan): void {
  setEnd(state, scan);
  // Positions in a torn tail were never acknowledged and are reused; past corruption nothing is sure.
  if (scan.problem?.kind === "corrupt")
    state.highestPosition = Math.max(state.highestPosition, scan.highestPosition);
  if (scan.problem) state.problem = problemError(state.stream, state.file, scan.problem);
}

export function problemError(
  stream: string,
  file: string,
  problem: FileProblem,
): TornTailError | CorruptionError {
  return problem.kind === "torn"
    ? new TornTailError(stream, file, problem.line, problem.reason)
    : new CorruptionError(stream, file, problem.line, problem.rule);
}

export function knownCorruption(state: StreamState): CorruptionError | undefined {
  return state.problem instanceof CorruptionError ? state.problem : undefined;
}

export function streamReport(stream: string, file: string, scan: FileScan): StreamReport {
  const base = { stream, file, committedEvents: scan.events, bytes: scan.size };
  if (!scan.problem) return { ...base, status: "ok" };
  if (scan.problem.kind === "torn") {
    const { line, bytes, reason } = scan.problem;
    return { ...base, status: "torn", line, tornBytes: bytes, reason };
  }
  return { ...base, status: "corrupt", line: scan.problem.line, rule: scan.problem.rule };
}
