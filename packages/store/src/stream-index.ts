import type { StreamFacts } from "./append-rules.js";
import type { AppendResult } from "./port.js";

/**
 * What the append rules need to know about one stream: its revision, which ids it holds, and what
 * each append returned (so a retried batch gets the original result). Both stores keep one per
 * stream; the file store builds it by verifying the stream's file before its first append.
 */
export class StreamIndex implements StreamFacts {
  private readonly revisionById = new Map<string, number>();
  // Parallel arrays (one entry per append, ascending) rather than objects: a stream of a million
  // single-event appends stays small.
  private readonly batchEndRevisions: number[] = [];
  private readonly batchEndPositions: number[] = [];

  get revision(): number | "no_stream" {
    const last = this.batchEndRevisions.at(-1);
    return last === undefined ? "no_stream" : last;
  }

  revisionOf(id: string): number | undefined {
    return this.revisionById.get(id);
  }

  /** Records one stored event; `batchEnd` is the revision of the last event of its append. */
  record(id: string, revision: number, position: number, batchEnd: number): void {
    this.revisionById.set(id, revision);
    if (revision === batchEnd) {
      this.batchEndRevisions.push(revision);
      this.batchEndPositions.push(position);
    }
  }

  resultOf(revision: number): AppendResult {
    // The first append whose last revision is ≥ revision is the one that wrote it.
    let low = 0;
    let high = this.batchEndRevisions.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.batchEndRevisions[middle] as number) < revision) low = middle + 1;
      else high = middle;
    }
    const nextRevision = this.batchEndRevisions[low];
    const position = this.batchEndPositions[low];
    if (nextRevision === undefined || position === undefined || nextRevision < revision) {
      throw new RangeError(`StreamIndex: no append wrote revision ${revision}`);
    }
    return { nextRevision, position, written: true };
  }
}
