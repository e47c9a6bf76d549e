import { type Bar, barSchema } from "@trader/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CsvFormatError, formatCsvBars, parseCsvBars } from "./csv.js";

const HEADER = "date,open,high,low,close,volume";
const GOOD = [
  HEADER,
  "2026-03-05,448.1,451.2,446.9,450.25,41000000",
  "2026-03-06,450.3,452,447.5,449.8,38000000",
].join("\n");

/** The message parseCsvBars throws for QQQ.csv with these data rows under the plain header. */
const errorFor = (...rows: string[]): string => {
  try {
    parseCsvBars([HEADER, ...rows].join("\n"), "QQQ.csv");
  } catch (error) {
    return (error as Error).message;
  }
  return "no error";
};
const ROW = "2026-03-05,448.1,451.2,446.9,450.25,41000000";

describe("reading a symbol's CSV", () => {
  it("reads a good file", () => {
    expect(parseCsvBars(`${GOOD}\n`, "QQQ.csv")).toEqual([
      {
        date: "2026-03-05",
        open: 448.1,
        high: 451.2,
        low: 446.9,
        close: 450.25,
        volume: 41_000_000,
      },
      { date: "2026-03-06", open: 450.3, high: 452, low: 447.5, close: 449.8, volume: 38_000_000 },
    ]);
  });

  it("reads adj_close, CRLF line ends and a byte-order mark", () => {
    const text = `\uFEFF${HEADER},adj_close\r\n2026-03-05,448.1,451.2,446.9,450.25,41000000,447.9\r\n`;
    expect(parseCsvBars(text, "QQQ.csv")).toEqual([
      {
        date: "2026-03-05",
        open: 448.1,
        high: 451.2,
        low: 446.9,
        close: 450.25,
        volume: 41_000_000,
        adjClose: 447.9,
      },
    ]);
  });

  it("names file, line and column of a value that is not a number", () => {
    expect(errorFor(ROW, "2026-03-06,450.3,452,447.5,abc,38000000")).toBe(
      'QQQ.csv line 3, column close: "abc" is not a number',
    );
    expect(errorFor("2026-03-05,NaN,451.2,446.9,450.25,41000000")).toBe(
      'QQQ.csv line 2, column open: "NaN" is not a number',
    );
    expect(errorFor("2026-03-05,448.1,451.2,446.9,,41000000")).toBe(
      "QQQ.csv line 2, column close: empty, expected a number",
    );
  });

  it("names the rule a value breaks", () => {
    expect(errorFor("2026-03-05,448.1,451.2,-1,450.25,41000000")).toBe(
      "QQQ.csv line 2, column low: -1 must be a finite price > 0",
    );
    expect(errorFor("2026-03-05,448.1,451.2,446.9,450.25,1.5")).toBe(
      "QQQ.csv line 2, column volume: 1.5 must be a whole number ≥ 0",
    );
    expect(errorFor("2026/03/05,448.1,451.2,446.9,450.25,41000000")).toBe(
      'QQQ.csv line 2, column date: "2026/03/05" is not a date written YYYY-MM-DD',
    );
    expect(errorFor("2026-02-30,448.1,451.2,446.9,450.25,41000000")).toMatch(/column date/);
    expect(errorFor("2026-03-05,448.1,445,446.9,450.25,41000000")).toBe(
      "QQQ.csv line 2, column high: 445 is below low 446.9",
    );
    expect(errorFor("2026-03-05,448.1,451.2,446.9,452,41000000")).toBe(
      "QQQ.csv line 2, column high: 451.2 is below close 452",
    );
  });

  it("refuses a row with too few values and an empty line in the middle", () => {
    expect(errorFor("2026-03-05,448.1,451.2,446.9,450.25")).toBe(
      "QQQ.csv line 2: expected 6 values (date,open,high,low,close,volume), got 5",
    );
    expect(errorFor(ROW, "", "2026-03-06,450.3,452,447.5,449.8,38000000")).toBe(
      "QQQ.csv line 3: empty line",
    );
  });

  it("refuses dates out of order or repeated", () => {
    expect(errorFor("2026-03-06,450.3,452,447.5,449.8,38000000", ROW)).toBe(
      "QQQ.csv line 3, column date: 2026-03-05 comes before 2026-03-06 on line 2; dates must ascend",
    );
    expect(errorFor(ROW, ROW)).toBe(
      "QQQ.csv line 3, column date: 2026-03-05 repeats line 2; each date appears once",
    );
  });

  it("refuses an empty file, a missing header, a missing or misplaced column", () => {
    expect(() => parseCsvBars("", "QQQ.csv")).toThrow("QQQ.csv: file is empty");
    expect(() => parseCsvBars("\n\n", "QQQ.csv")).toThrow("QQQ.csv: file is empty");
    expect(() => parseCsvBars(ROW, "QQQ.csv")).toThrow(
      'QQQ.csv line 1: header has an unexpected column "2026-03-05"',
    );
    expect(() => parseCsvBars("date,open,high,low,close\n", "QQQ.csv")).toThrow(
      'QQQ.csv line 1: header is missing column "volume"',
    );
    expect(() => parseCsvBars("date,open,high,low,volume,close\n", "QQQ.csv")).toThrow(
      "QQQ.csv line 1: header must be exactly date,open,high,low,close,volume, got date,open,high,low,volume,close",
    );
  });

  it("reads a header-only file as no bars", () => {
    expect(parseCsvBars(`${HEADER}\n`, "QQQ.csv")).toEqual([]);
  });

  it("throws a CsvFormatError carrying file, line, column and rule", () => {
    try {
      parseCsvBars(`${HEADER}\n2026-03-05,448.1,451.2,446.9,abc,41000000`, "QQQ.csv");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CsvFormatError);
      expect(error).toMatchObject({
        file: "QQQ.csv",
        line: 2,
        column: "close",
        rule: '"abc" is not a number',
      });
    }
  });
});

describe("writing a symbol's CSV", () => {
  it("writes adj_close only when every bar has one, and refuses a mixture", () => {
    const [first, second] = parseCsvBars(GOOD, "QQQ.csv") as [Bar, Bar];
    expect(formatCsvBars([first])).toBe(
      `${HEADER}\n2026-03-05,448.1,451.2,446.9,450.25,41000000\n`,
    );
    expect(() => formatCsvBars([{ ...first, adjClose: 447 }, second], "QQQ")).toThrow(
      "QQQ: 1 of 2 bars have an adjusted close; it must be all or none",
    );
    expect(() => formatCsvBars([second, first], "QQQ")).toThrow(/dates must ascend/);
  });

  it("reads back exactly what it wrote (property)", () => {
    const cents = fc.integer({ min: 1, max: 10_000_000 }).map((value) => value / 100);
    const bar = fc
      .record({
        open: cents,
        close: cents,
        up: cents,
        down: fc.integer({ min: 0, max: 99 }),
        volume: fc.nat(),
        adjClose: cents,
      })
      .map(({ open, close, up, down, volume, adjClose }) => {
        const low = Math.min(open, close);
        return {
          open,
          high: Math.max(open, close) + up,
          low: Number((low * (1 - down / 100)).toFixed(2)) || low,
          close,
          volume,
          adjClose,
        };
      });
    fc.assert(
      fc.property(fc.array(bar, { maxLength: 30 }), fc.boolean(), (rows, adjusted) => {
        const bars: Bar[] = rows.map((row, index) => {
          const date = new Date(Date.UTC(2020, 0, 1 + index)).toISOString().slice(0, 10);
          const { adjClose, ...rest } = row;
          return barSchema.parse(adjusted ? { date, ...rest, adjClose } : { date, ...rest });
        });
        expect(parseCsvBars(formatCsvBars(bars), "X.csv")).toEqual(bars);
      }),
    );
  });
});
