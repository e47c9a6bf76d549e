/** What verify() and repair() report, one entry per stream file. */

interface StreamReportBase {
  readonly stream: string;
  readonly file: string;
  /** Events in whole, verified appends at the start of the file. */
  readonly committedEvents: number;
  readonly bytes: number;
}

export type StreamReport =
  | (StreamReportBase & { readonly status: "ok" })
  /** The file ends in an interrupted append from `line` on (`tornBytes` bytes); repair() removes it. */
  | (StreamReportBase & {
      readonly status: "torn";
      readonly line: number;
      readonly tornBytes: number;
      readonly reason: string;
    })
  /** A committed line breaks a rule; the store refuses to write to the stream. */
  | (StreamReportBase & {
      readonly status: "corrupt";
      readonly line: number;
      readonly rule: string;
    });

export interface VerifyReport {
  readonly dir: string;
  /** True when every stream is ok. */
  readonly ok: boolean;
  readonly streams: readonly StreamReport[];
}

export interface RepairedTail {
  readonly stream: string;
  readonly file: string;
  /** The first line removed. */
  readonly line: number;
  readonly bytes: number;
  readonly reason: string;
  /** Where the removed bytes were saved, in case an operator wants to look at them. */
  readonly savedTo: string;
}

export interface RepairReport {
  readonly repaired: readonly RepairedTail[];
  /** The verification after the repair; corrupt streams are reported, never changed. */
  readonly after: VerifyReport;
}
