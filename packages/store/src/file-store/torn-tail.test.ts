import { appendFile, readFile, stat, truncate } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { TornTailError } from "../port.js";
import { collect, rejectionOf, sampleEvents } from "../testing/events.js";
import { tempDirs } from "../testing/temp-dirs.js";
import { openFileStore } from "./file-store.js";

const dirs = tempDirs("torn");
afterEach(() => dirs.removeAll());

/** A store with stream "day" (three events in two appends) and stream "other" (one event), closed. */
async function storeWithTwoStreams() {
  const dir = await dirs.make();
  const store = await openFileStore({ dir });
  await store.append("day", sampleEvents(2), { expectedRevision: "no_stream" });
  await store.append("day", sampleEvents(1), { expectedRevision: 1 });
  await store.append("other", sampleEvents(1), { expectedRevision: "no_stream" });
  await store.close();
  const dayFile = join(dir, "streams", "day.jsonl");
  return { dir, dayFile, committed: await readFile(dayFile) };
}

describe("file store: torn tails", () => {
  it("reports a final fragment, refuses appends to its stream, keeps its events readable, and repairs only the fragment", async () => {
    const { dir, dayFile, committed } = await storeWithTwoStreams();
    const fragment = '{"stream":"day","revision":3,"posi';
    await appendFile(dayFile, fragment);

    const store = await openFileStore({ dir });
    expect((await collect(store.readStream("day"))).map((event) => event.revision)).toEqual([
      0, 1, 2,
    ]);
    const report = await store.verify();
    expect(report.ok).toBe(false);
    expect(report.streams).toEqual([
      expect.objectContaining({
        stream: "day",
        file: dayFile,
        status: "torn",
        line: 4,
        tornBytes: fragment.length,
      }),
      expect.objectContaining({ stream: "other", status: "ok", committedEvents: 1 }),
    ]);

    const refused = await rejectionOf(
      store.append("day", sampleEvents(1), { expectedRevision: 2 }),
    );
    expect(refused).toBeInstanceOf(TornTailError);
    expect((refused as Error).message).toMatch(/repair/);
    expect((refused as Error).message).toContain(dayFile);
    expect(await store.append("other", sampleEvents(1), { expectedRevision: 0 })).toMatchObject({
      position: 4,
    });

    const repair = await store.repair();
    expect(repair.repaired).toEqual([
      expect.objectContaining({ stream: "day", file: dayFile, line: 4, bytes: fragment.length }),
    ]);
    expect(repair.after.ok).toBe(true);
    expect(await readFile(dayFile)).toEqual(committed);
    expect(await readFile(repair.repaired[0]?.savedTo as string, "utf8")).toBe(fragment);

    expect(await store.append("day", sampleEvents(1), { expectedRevision: 2 })).toMatchObject({
      nextRevision: 3,
      position: 5,
    });
    expect(await collect(store.readStream("day"))).toHaveLength(4);
    await store.close();
  });

  it("treats a final line that is not JSON as torn, and repairs it at open with onTornTail: repair", async () => {
    const { dir, dayFile, committed } = await storeWithTwoStreams();
    await appendFile(dayFile, Buffer.from([0, 0, 0, 0, 0x0a]));

    const store = await openFileStore({ dir, onTornTail: "repair" });
    expect(store.repairedAtOpen).toEqual([
      expect.objectContaining({ stream: "day", line: 4, bytes: 5 }),
    ]);
    expect(await readFile(dayFile)).toEqual(committed);
    expect(await store.append("day", sampleEvents(1), { expectedRevision: 2 })).toMatchObject({
      nextRevision: 3,
    });
    await store.close();
  });

  it("treats whole lines of an append that stops short of its batchEnd as torn", async () => {
    const dir = await dirs.make();
    const writer = await openFileStore({ dir });
    await writer.append("day", sampleEvents(1), { expectedRevision: "no_stream" });
    await writer.append("day", sampleEvents(3), { expectedRevision: 0 });
    await writer.close();
    const dayFile = join(dir, "streams", "day.jsonl");
    const lines = (await readFile(dayFile, "utf8")).split("\n");
    const firstLineBytes = Buffer.byteLength(`${lines[0]}\n`);
    await truncate(dayFile, Buffer.byteLength(`${lines.slice(0, 3).join("\n")}\n`)); // the append's last line is lost

    const store = await openFileStore({ dir });
    const [report] = (await store.verify()).streams;
    expect(report).toMatchObject({ status: "torn", line: 2, committedEvents: 1 });
    expect(report?.status === "torn" && report.reason).toMatch(
      /stops at revision 2 but was to end at revision 3/,
    );
    expect(await collect(store.readStream("day"))).toHaveLength(1);
    expect(await store.streamRevision("day")).toBe(0);
    await store.repair();
    expect((await stat(dayFile)).size).toBe(firstLineBytes);
    await store.close();
  });

  it("removes a stream whose only content is torn", async () => {
    const dir = await dirs.make();
    await openFileStore({ dir }).then((store) => store.close());
    const file = join(dir, "streams", "fresh.jsonl");
    await appendFile(file, '{"stream":"fresh","rev');

    const store = await openFileStore({ dir, onTornTail: "repair" });
    expect(store.repairedAtOpen).toHaveLength(1);
    await expect(stat(file)).rejects.toThrow(/ENOENT/);
    expect(await store.listStreams()).toEqual([]);
    expect(
      await store.append("fresh", sampleEvents(1), { expectedRevision: "no_stream" }),
    ).toMatchObject({
      nextRevision: 0,
      position: 0,
    });
    await store.close();
  });
});
