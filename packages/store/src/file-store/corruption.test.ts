import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CorruptionError, type RecordedEvent } from "../port.js";
import { collect, rejectionOf, sampleEvents } from "../testing/events.js";
import { tempDirs } from "../testing/temp-dirs.js";
import { openFileStore } from "./file-store.js";

const dirs = tempDirs("corrupt");
afterEach(() => dirs.removeAll());

/** A store with stream "day" (four single-event appends) and stream "other", closed; and day's lines. */
async function storeWithDay() {
  const dir = await dirs.make();
  const store = await openFileStore({ dir });
  for (let i = 0; i < 4; i++)
    await store.append("day", sampleEvents(1), { expectedRevision: "any" });
  await store.append("other", sampleEvents(2), { expectedRevision: "no_stream" });
  await store.close();
  const dayFile = join(dir, "streams", "day.jsonl");
  const lines = (await readFile(dayFile, "utf8")).split("\n").slice(0, -1);
  const rewrite = (edited: string[]) => writeFile(dayFile, `${edited.join("\n")}\n`);
  return { dir, dayFile, lines, rewrite };
}

/** Reads until the stream fails: what came before, and the error. */
async function readUntilFailure(events: AsyncIterable<RecordedEvent>) {
  const delivered: RecordedEvent[] = [];
  try {
    for await (const event of events) delivered.push(event);
  } catch (error) {
    return { delivered, error };
  }
  return { delivered, error: undefined };
}

describe("file store: corruption", () => {
  it("reports a flipped byte in a committed line with file and line, refuses writes to that stream only", async () => {
    const { dir, dayFile, lines, rewrite } = await storeWithDay();
    await rewrite(lines.map((line, i) => (i === 1 ? line.replace('"SPY"', '"SPZ"') : line)));
    const untouched = await readFile(dayFile);

    const store = await openFileStore({ dir }); // opening reads only the tails: it succeeds
    const read = await readUntilFailure(store.readStream("day"));
    expect(read.delivered.map((event) => event.revision)).toEqual([0]);
    expect(read.error).toBeInstanceOf(CorruptionError);
    expect(read.error).toMatchObject({ stream: "day", file: dayFile, line: 2 });
    expect((read.error as Error).message).toMatch(/checksum mismatch/);
    expect((read.error as Error).message).toContain(dayFile);

    const refused = await rejectionOf(
      store.append("day", sampleEvents(1), { expectedRevision: 3 }),
    );
    expect(refused).toBeInstanceOf(CorruptionError);
    expect(refused).toMatchObject({ file: dayFile, line: 2 });

    expect(await store.append("other", sampleEvents(1), { expectedRevision: 1 })).toMatchObject({
      written: true,
    });
    expect(await collect(store.readStream("other"))).toHaveLength(3);
    await expect(collect(store.readAll())).rejects.toBeInstanceOf(CorruptionError);

    const report = await store.verify();
    expect(report.streams).toEqual([
      expect.objectContaining({
        stream: "day",
        status: "corrupt",
        line: 2,
        rule: expect.stringMatching(/checksum/),
      }),
      expect.objectContaining({ stream: "other", status: "ok", committedEvents: 3 }),
    ]);
    const repair = await store.repair();
    expect(repair.repaired).toEqual([]);
    expect(repair.after.ok).toBe(false);
    expect(await readFile(dayFile)).toEqual(untouched);
    await store.close();
  });

  it("does not mistake damage to the last committed line for a torn write", async () => {
    const { dir, dayFile, lines, rewrite } = await storeWithDay();
    await rewrite(lines.map((line, i) => (i === 3 ? line.replace('"qty":10', '"qty":90') : line)));
    const store = await openFileStore({ dir, onTornTail: "repair" });
    expect(store.repairedAtOpen).toEqual([]);
    const [report] = (await store.verify()).streams;
    expect(report).toMatchObject({ stream: "day", status: "corrupt", line: 4 });
    expect((await readFile(dayFile, "utf8")).split("\n")).toHaveLength(5);
    await expect(
      store.append("day", sampleEvents(1), { expectedRevision: "any" }),
    ).rejects.toBeInstanceOf(CorruptionError);
    await store.close();
  });

  const reseal = (line: string, edit: (covered: string) => string) => {
    const covered = edit(line.slice(0, line.lastIndexOf(',"checksum":"')));
    return `${covered},"checksum":"${createHash("sha256").update(covered).digest("hex")}"}`;
  };
  const tamperings: [string, (lines: string[]) => string[], number, RegExp][] = [
    ["a removed line", (lines) => lines.filter((_, i) => i !== 1), 2, /hash chain/],
    [
      "two swapped lines",
      (lines) => [lines[0], lines[2], lines[1], lines[3]] as string[],
      2,
      /hash chain/,
    ],
    [
      "an edited line whose checksum was recomputed",
      (lines) =>
        lines.map((line, i) =>
          i === 1 ? reseal(line, (c) => c.replace('"buy"', '"sell"')) : line,
        ),
      3,
      /hash chain/,
    ],
    ["a repeated line", (lines) => [...lines, lines[3] as string], 5, /hash chain/],
    [
      "a line from another stream",
      (lines) => [lines[0], lines[1]?.replace('"day"', '"dax"')] as string[],
      2,
      /not an event of this stream/,
    ],
    [
      "a hand-written line at the end",
      (lines) => [...lines, '{"note":"fixed by hand"}'],
      5,
      /too short to be an event/,
    ],
  ];
  it.each(tamperings)(
    "detects %s at the line where the file stops being what the store wrote",
    async (_case, tamper, line, rule) => {
      const { dir, lines, rewrite } = await storeWithDay();
      await rewrite(tamper(lines));
      const store = await openFileStore({ dir });
      const [report] = (await store.verify()).streams;
      expect(report).toMatchObject({
        stream: "day",
        status: "corrupt",
        line,
        rule: expect.stringMatching(rule),
      });
      await expect(
        store.append("day", sampleEvents(1), { expectedRevision: "any" }),
      ).rejects.toBeInstanceOf(CorruptionError);
      await store.close();
    },
  );
});
