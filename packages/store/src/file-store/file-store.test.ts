import { createHash } from "node:crypto";
import { copyFile, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { firstValueFrom, toArray } from "rxjs";
import { afterEach, describe, expect, it } from "vitest";
import { CorruptionError, StoreInputError, StoreStateError } from "../port.js";
import { collect, rejectionOf, sampleEvents } from "../testing/events.js";
import { tempDirs } from "../testing/temp-dirs.js";
import { openFileStore } from "./file-store.js";

const dirs = tempDirs("file");
afterEach(() => dirs.removeAll());

const streamFile = (dir: string, encoded: string) => join(dir, "streams", `${encoded}.jsonl`);
const linesOf = async (file: string) => (await readFile(file, "utf8")).split("\n").slice(0, -1);

describe("file store: durability and reopening", () => {
  it("keeps everything across close and reopen, and continues revisions and positions", async () => {
    const dir = await dirs.make();
    const first = await openFileStore({ dir });
    await first.append("day-1", sampleEvents(3), { expectedRevision: "no_stream" });
    await first.append("day-2", sampleEvents(2), { expectedRevision: "no_stream" });
    const before = await collect(first.readAll());
    await first.close();

    const second = await openFileStore({ dir });
    expect(await collect(second.readAll())).toEqual(before);
    expect(await second.listStreams()).toEqual(["day-1", "day-2"]);
    expect(await second.streamRevision("day-1")).toBe(2);
    const next = await second.append("day-1", sampleEvents(1), { expectedRevision: 2 });
    expect(next).toEqual({ nextRevision: 3, position: 5, written: true });
    const fresh = await second.append("day-3", sampleEvents(1), { expectedRevision: "no_stream" });
    expect(fresh.position).toBe(6);
    await second.close();
  });

  it("recognizes a retried append after a reopen and returns the original result", async () => {
    const dir = await dirs.make();
    const batch = sampleEvents(4);
    const first = await openFileStore({ dir });
    const original = await first.append("orders", batch, { expectedRevision: "no_stream" });
    await first.close();

    const second = await openFileStore({ dir });
    expect(await second.append("orders", batch, { expectedRevision: "no_stream" })).toEqual({
      ...original,
      written: false,
    });
    expect(await collect(second.readStream("orders"))).toHaveLength(4);
    await second.close();
  });

  it("has the appended lines in the file once append resolves", async () => {
    const dir = await dirs.make();
    const store = await openFileStore({ dir });
    const batch = sampleEvents(2);
    await store.append("day", batch, { expectedRevision: "no_stream" });
    const lines = await linesOf(streamFile(dir, "day"));
    expect(lines.map((line) => JSON.parse(line).id)).toEqual(batch.map((event) => event.id));
    await store.close();
  });

  it("writes one valid JSON object per line whose checksums form the documented hash chain", async () => {
    const dir = await dirs.make();
    const store = await openFileStore({ dir });
    const batches = [sampleEvents(2), sampleEvents(1), sampleEvents(3)];
    for (const batch of batches) await store.append("day", batch, { expectedRevision: "any" });
    await store.append("other", sampleEvents(1), { expectedRevision: "any" });
    await store.close();

    const lines = await linesOf(streamFile(dir, "day"));
    let prev = "0".repeat(64);
    lines.forEach((line, revision) => {
      const parsed = JSON.parse(line);
      expect(Object.keys(parsed)).toEqual([
        "stream",
        "revision",
        "position",
        "batchEnd",
        "id",
        "type",
        "data",
        "metadata",
        "prev",
        "checksum",
      ]);
      expect(parsed).toMatchObject({ stream: "day", revision, prev });
      const covered = line.slice(0, line.lastIndexOf(',"checksum":"'));
      expect(createHash("sha256").update(covered).digest("hex")).toBe(parsed.checksum);
      prev = parsed.checksum;
    });
    expect(lines.map((line) => JSON.parse(line).batchEnd)).toEqual([1, 1, 2, 5, 5, 5]);
    expect(lines.map((line) => JSON.parse(line).position)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("keeps a stream's name readable and reversible in its file name", async () => {
    const dir = await dirs.make();
    const store = await openFileStore({ dir });
    const name = "acct/1 day:2026-01-02 é";
    await store.append(name, sampleEvents(1), { expectedRevision: "no_stream" });
    await store.append("paper_acct-1.2026-01-02", sampleEvents(1), {
      expectedRevision: "no_stream",
    });
    await store.close();
    expect((await readdir(join(dir, "streams"))).sort()).toEqual([
      "acct%2F1%20day%3A2026-01-02%20%C3%A9.jsonl",
      "paper_acct-1.2026-01-02.jsonl",
    ]);
    // Files that are not canonical stream files are ignored.
    await writeFile(join(dir, "streams", "%61.jsonl"), "not a stream\n");
    await writeFile(join(dir, "streams", "notes.txt"), "hello\n");
    const reopened = await openFileStore({ dir });
    expect(await reopened.listStreams()).toEqual([name, "paper_acct-1.2026-01-02"]);
    expect((await reopened.verify()).ok).toBe(true);
    await reopened.close();
  });

  it("refuses a stream name too long for a file name, naming the limit", async () => {
    const store = await openFileStore({ dir: await dirs.make() });
    const error = await rejectionOf(
      store.append("é".repeat(60), sampleEvents(1), { expectedRevision: "any" }),
    );
    expect(error).toBeInstanceOf(StoreInputError);
    expect((error as Error).message).toMatch(/255/);
    expect(await store.listStreams()).toEqual([]);
    await store.close();
  });

  it("defaults to ./.trader in the working directory", async () => {
    const dir = await dirs.make();
    const previous = process.cwd();
    process.chdir(dir);
    try {
      const store = await openFileStore();
      expect(store.dir).toBe(join(dir, ".trader"));
      await store.close();
    } finally {
      process.chdir(previous);
    }
  });
});

describe("file store: global order", () => {
  it("merges many stream files by position, also from a position and after a reopen", async () => {
    const dir = await dirs.make();
    const store = await openFileStore({ dir });
    const order: string[] = [];
    for (let round = 0; round < 4; round++) {
      for (const stream of ["c", "a", "b"]) {
        const batch = sampleEvents(round + 1, stream);
        await store.append(stream, batch, { expectedRevision: "any" });
        order.push(...batch.map((event) => event.id));
      }
    }
    await store.close();
    const reopened = await openFileStore({ dir });
    const all = await collect(reopened.readAll());
    expect(all.map((event) => event.id)).toEqual(order);
    expect(all.map((event) => event.position)).toEqual(order.map((_, i) => i));
    const tail = await collect(reopened.readAll({ fromPosition: 17 }));
    expect(tail).toEqual(all.slice(17));
    await reopened.close();
  });

  it("refuses to merge two streams that claim the same position", async () => {
    const [dir, elsewhere] = [await dirs.make(), await dirs.make()];
    for (const [target, stream] of [
      [dir, "a"],
      [elsewhere, "b"],
    ] as const) {
      const store = await openFileStore({ dir: target });
      await store.append(stream, sampleEvents(2), { expectedRevision: "no_stream" });
      await store.close();
    }
    await copyFile(streamFile(elsewhere, "b"), streamFile(dir, "b"));
    const store = await openFileStore({ dir });
    const error = await rejectionOf(collect(store.readAll()));
    expect(error).toBeInstanceOf(CorruptionError);
    expect((error as Error).message).toMatch(/position 0 is also used by stream "a"/);
    await store.close();
  });
});

describe("file store: subscriptions and close", () => {
  it("completes live subscriptions when the store closes, after delivering appends made before close", async () => {
    const store = await openFileStore({ dir: await dirs.make() });
    const received = firstValueFrom(store.subscribe().pipe(toArray()));
    const appended = store.append("s", sampleEvents(3), { expectedRevision: "no_stream" });
    await store.close();
    await appended;
    expect((await received).map((event) => event.revision)).toEqual([0, 1, 2]);
    await expect(collect(store.readStream("s"))).rejects.toBeInstanceOf(StoreStateError);
  });
});

describe("file store: read-only", () => {
  it("reads while a writer holds the store, refuses appends and repair, and takes no lock", async () => {
    const dir = await dirs.make();
    const writer = await openFileStore({ dir });
    await writer.append("day", sampleEvents(2), { expectedRevision: "no_stream" });
    const reader = await openFileStore({ dir, readOnly: true });
    expect(reader.readOnly).toBe(true);
    expect(await collect(reader.readStream("day"))).toHaveLength(2);
    const refused = await rejectionOf(
      reader.append("day", sampleEvents(1), { expectedRevision: "any" }),
    );
    expect(refused).toBeInstanceOf(StoreStateError);
    expect((refused as Error).message).toMatch(/read-only/);
    await expect(reader.repair()).rejects.toBeInstanceOf(StoreStateError);
    expect((await reader.verify()).ok).toBe(true);
    await reader.close();
    await writer.append("day", sampleEvents(1), { expectedRevision: 1 });
    await writer.close();
  });

  it("refuses to open a directory that does not exist, rather than creating it", async () => {
    const dir = join(await dirs.make(), "missing");
    await expect(openFileStore({ dir, readOnly: true })).rejects.toThrow(/no event store/);
    await expect(
      openFileStore({ dir, readOnly: true, onTornTail: "repair" }),
    ).rejects.toBeInstanceOf(StoreInputError);
  });
});
