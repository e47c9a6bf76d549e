import { type Bar, barSchema } from "@trader/core";

/**
 * The CSV format of one symbol's daily bars: a header of exactly
 * `date,open,high,low,close,volume` or `date,open,high,low,close,volume,adj_close`, then one row
 * per trading date, ascending, no repeats. Plain comma-separated values (no quoting); a UTF-8
 * byte-order mark and CRLF line ends are accepted. A bad row is an error naming the file, line
 * and column and the rule broken — never a skipped row or a NaN that flows on.
 */

export const CSV_COLUMNS = ["date", "open", "high", "low", "close", "volume"] as const;
export const CSV_ADJ_CLOSE_COLUMN = "adj_close";
type Column = (typeof CSV_COLUMNS)[number] | typeof CSV_ADJ_CLOSE_COLUMN;

/** A CSV file that breaks the format; `line` is 1-based, `column` the header name. */
export class CsvFormatError extends Error {
  override readonly name = "CsvFormatError";
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly column: string | null,
    readonly rule: string,
  ) {
    const where = [
      line === null ? null : `line ${line}`,
      column === null ? null : `column ${column}`,
    ]
      .filter((part) => part !== null)
      .join(", ");
    super(where ? `${file} ${where}: ${rule}` : `${file}: ${rule}`);
  }
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const HEADER_WORDS = `${CSV_COLUMNS.join(",")} (optionally followed by ,${CSV_ADJ_CLOSE_COLUMN})`;

function parseHeader(file: string, line: string): readonly Column[] {
  const columns = line.split(",").map((column) => column.trim());
  const allowed: readonly string[] = [...CSV_COLUMNS, CSV_ADJ_CLOSE_COLUMN];
  const unknown = columns.find((column) => !allowed.includes(column));
  if (unknown !== undefined) {
    throw new CsvFormatError(
      file,
      1,
      null,
      `header has an unexpected column "${unknown}"; expected ${HEADER_WORDS}`,
    );
  }
  const missing = CSV_COLUMNS.filter((column) => !columns.includes(column));
  if (missing.length > 0) {
    throw new CsvFormatError(
      file,
      1,
      null,
      `header is missing column${missing.length > 1 ? "s" : ""} ${missing.map((column) => `"${column}"`).join(", ")}; expected ${HEADER_WORDS}`,
    );
  }
  const expected: readonly Column[] = columns.includes(CSV_ADJ_CLOSE_COLUMN)
    ? [...CSV_COLUMNS, CSV_ADJ_CLOSE_COLUMN]
    : CSV_COLUMNS;
  if (columns.join(",") !== expected.join(",")) {
    throw new CsvFormatError(
      file,
      1,
      null,
      `header must be exactly ${expected.join(",")}, got ${columns.join(",")}`,
    );
  }
  return expected;
}

function parseNumber(file: string, line: number, column: Column, text: string): number {
  if (text === "") throw new CsvFormatError(file, line, column, "empty, expected a number");
  if (!NUMBER.test(text)) throw new CsvFormatError(file, line, column, `"${text}" is not a number`);
  return Number(text);
}

const FIELD_COLUMN: Readonly<Record<string, Column>> = {
  date: "date",
  open: "open",
  high: "high",
  low: "low",
  close: "close",
  volume: "volume",
  adjClose: CSV_ADJ_CLOSE_COLUMN,
};

function ruleFor(column: Column, value: unknown): string {
  if (column === "date") return `"${String(value)}" is not a date written YYYY-MM-DD`;
  if (column === "volume") return `${String(value)} must be a whole number ≥ 0`;
  return `${String(value)} must be a finite price > 0`;
}

/** High and low must bracket open and close; the first broken rule, or null. */
function rangeProblem(bar: Bar): { column: Column; rule: string } | null {
  if (bar.high < bar.low) return { column: "high", rule: `${bar.high} is below low ${bar.low}` };
  if (bar.high < bar.open) return { column: "high", rule: `${bar.high} is below open ${bar.open}` };
  if (bar.high < bar.close)
    return { column: "high", rule: `${bar.high} is below close ${bar.close}` };
  if (bar.low > bar.open) return { column: "low", rule: `${bar.low} is above open ${bar.open}` };
  if (bar.low > bar.close) return { column: "low", rule: `${bar.low} is above close ${bar.close}` };
  return null;
}

/** Parses one symbol's CSV text; `file` names it in errors (e.g. "QQQ.csv"). */
export function parseCsvBars(text: string, file: string): Bar[] {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  let end = lines.length;
  while (end > 0 && lines[end - 1]?.trim() === "") end--;
  const [headerLine] = lines;
  if (end === 0 || headerLine === undefined)
    throw new CsvFormatError(file, null, null, "file is empty");
  const columns = parseHeader(file, headerLine);

  const bars: Bar[] = [];
  let previous: { date: string; line: number } | null = null;
  for (let index = 1; index < end; index++) {
    const lineNumber = index + 1;
    const line = lines[index] as string;
    if (line.trim() === "") throw new CsvFormatError(file, lineNumber, null, "empty line");
    const values = line.split(",").map((value) => value.trim());
    if (values.length !== columns.length) {
      throw new CsvFormatError(
        file,
        lineNumber,
        null,
        `expected ${columns.length} values (${columns.join(",")}), got ${values.length}`,
      );
    }
    const raw: Record<string, string | number> = {};
    columns.forEach((column, position) => {
      const value = values[position] as string;
      const field = column === CSV_ADJ_CLOSE_COLUMN ? "adjClose" : column;
      raw[field] = column === "date" ? value : parseNumber(file, lineNumber, column, value);
    });
    const parsed = barSchema.safeParse(raw);
    if (!parsed.success) {
      const [issue] = parsed.error.issues;
      const column = FIELD_COLUMN[String(issue?.path[0])] ?? "date";
      const field = column === CSV_ADJ_CLOSE_COLUMN ? "adjClose" : column;
      throw new CsvFormatError(file, lineNumber, column, ruleFor(column, raw[field]));
    }
    const bar = parsed.data;
    const problem = rangeProblem(bar);
    if (problem) throw new CsvFormatError(file, lineNumber, problem.column, problem.rule);
    if (previous && bar.date === previous.date) {
      throw new CsvFormatError(
        file,
        lineNumber,
        "date",
        `${bar.date} repeats line ${previous.line}; each date appears once`,
      );
    }
    if (previous && bar.date < previous.date) {
      throw new CsvFormatError(
        file,
        lineNumber,
        "date",
        `${bar.date} comes before ${previous.date} on line ${previous.line}; dates must ascend`,
      );
    }
    previous = { date: bar.date, line: lineNumber };
    bars.push(bar);
  }
  return bars;
}

/**
 * One symbol's bars as CSV text (header, rows, final newline). Writes `adj_close` when the bars
 * carry adjusted closes; bars that carry it only partly are refused, since the file could not
 * be read back.
 */
export function formatCsvBars(bars: readonly Bar[], symbol = "bars"): string {
  const withAdjusted = bars.filter((bar) => bar.adjClose !== undefined).length;
  if (withAdjusted !== 0 && withAdjusted !== bars.length) {
    throw new RangeError(
      `${symbol}: ${withAdjusted} of ${bars.length} bars have an adjusted close; it must be all or none`,
    );
  }
  const columns: readonly Column[] =
    withAdjusted > 0 ? [...CSV_COLUMNS, CSV_ADJ_CLOSE_COLUMN] : CSV_COLUMNS;
  let previousDate = "";
  const rows = bars.map((candidate, index) => {
    const parsed = barSchema.safeParse(candidate);
    if (!parsed.success) {
      throw new RangeError(
        `${symbol} bar ${index} (${String(candidate.date)}) is invalid: ${parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`).join("; ")}`,
      );
    }
    const bar = parsed.data;
    if (bar.date <= previousDate) {
      throw new RangeError(
        `${symbol} bar ${index}: dates must ascend with no repeats, but ${bar.date} follows ${previousDate}`,
      );
    }
    previousDate = bar.date;
    const fields = [bar.date, bar.open, bar.high, bar.low, bar.close, bar.volume];
    if (withAdjusted > 0) fields.push(bar.adjClose as number);
    return fields.map(String).join(",");
  });
  return `${[columns.join(","), ...rows].join("\n")}\n`;
}
