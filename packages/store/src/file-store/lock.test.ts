import { type ChildProcess, execFile, spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { StoreLockedError } from "../port.js";
import { rejectionOf, sampleEvents } from "../testing/events.js";
import { tempDirs } from "../testing/temp-dirs.js";
import { openFileStore } from "./file-store.js";

const dirs = tempDirs("lock");
afterEach(() => dirs.removeAll());

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
const childScript = fileURLToPath(new URL("../testing/open-store-process.ts", import.meta.url));
const childArgs = (dir: string, mode = "") => [
  "--import",
  "tsx",
  "--conditions=@trader/source",
  childScript,
  dir,
  mode,
];

/** Opens the store in another Node process and returns what it printed. */
async function openInAnotherProcess(
  dir: string,
): Promise<{ opened: boolean; name?: string; message?: string }> {
  const { stdout } = await promisify(execFile)(process.execPath, childArgs(dir), {
    cwd: repoRoot,
    timeout: 20_000,
  });
  return JSON.parse(stdout.trim());
}

/** A process that holds the store open until its stdin closes. */
async function holdInAnotherProcess(dir: string): Promise<{ child: ChildProcess; pid: number }> {
  const child = spawn(process.execPath, childArgs(dir, "hold"), {
    cwd: repoRoot,
    stdio: ["pipe", "pipe", "inherit"],
  });
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout?.once("data", (chunk: Buffer) => resolve(chunk.toString()));
    child.once("exit", (code) =>
      reject(new Error(`child exited with ${code} before opening the store`)),
    );
  });
  const printed = JSON.parse(line) as { opened: boolean; pid: number };
  expect(printed.opened).toBe(true);
  return { child, pid: printed.pid };
}

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""]);
  await new Promise((resolve) => child.once("exit", resolve));
  return child.pid as number;
}

describe("file store: single-writer lock", () => {
  it("makes a second writer process fail fast with StoreLockedError naming this process", async () => {
    const dir = await dirs.make();
    const store = await openFileStore({ dir });
    const started = Date.now();
    const second = await openInAnotherProcess(dir);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(second).toMatchObject({ opened: false, name: "StoreLockedError" });
    expect(second.message).toContain(`pid ${process.pid}`);
    expect(second.message).toContain(hostname());
    await store.close();
    expect(await openInAnotherProcess(dir)).toMatchObject({ opened: true });
  });

  it("refuses to open a store another process is writing, naming its pid", async () => {
    const dir = await dirs.make();
    const { child, pid } = await holdInAnotherProcess(dir);
    try {
      const error = await rejectionOf(openFileStore({ dir }));
      expect(error).toBeInstanceOf(StoreLockedError);
      expect((error as StoreLockedError).holder).toContain(`pid ${pid}`);
      expect((error as Error).message).toContain(dir);
      const reader = await openFileStore({ dir, readOnly: true });
      expect(await reader.listStreams()).toEqual([]);
      await reader.close();
    } finally {
      child.stdin?.end();
      await new Promise((resolve) => child.once("exit", resolve));
    }
    const store = await openFileStore({ dir });
    await store.close();
  });

  it("refuses a second writer in the same process too", async () => {
    const dir = await dirs.make();
    const store = await openFileStore({ dir });
    await expect(openFileStore({ dir })).rejects.toBeInstanceOf(StoreLockedError);
    await store.close();
  });

  it("takes over the lock of a writer on this host that is no longer running", async () => {
    const dir = await dirs.make();
    await openFileStore({ dir }).then((store) => store.close());
    const pid = await deadPid();
    await writeFile(
      join(dir, "LOCK"),
      JSON.stringify({ pid, host: hostname(), startedAt: "2026-01-02T14:00:00.000Z" }),
    );
    const store = await openFileStore({ dir });
    expect(JSON.parse(await readFile(join(dir, "LOCK"), "utf8"))).toMatchObject({
      pid: process.pid,
      host: hostname(),
    });
    await store.append("day", sampleEvents(1), { expectedRevision: "no_stream" });
    await store.close();
  });

  it("does not take over a lock held on another host, whose liveness it cannot check", async () => {
    const dir = await dirs.make();
    await openFileStore({ dir }).then((store) => store.close());
    await writeFile(
      join(dir, "LOCK"),
      JSON.stringify({ pid: 1, host: "elsewhere", startedAt: "2026-01-02T14:00:00.000Z" }),
    );
    const error = await rejectionOf(openFileStore({ dir }));
    expect(error).toBeInstanceOf(StoreLockedError);
    expect((error as Error).message).toContain(
      "pid 1 on host elsewhere, writing since 2026-01-02T14:00:00.000Z",
    );
  });

  it("refuses an unreadable lock file, saying how to clear it", async () => {
    const dir = await dirs.make();
    await openFileStore({ dir }).then((store) => store.close());
    await writeFile(join(dir, "LOCK"), "garbage");
    await expect(openFileStore({ dir })).rejects.toThrow(
      /unreadable lock file .*delete it if no writer is running/,
    );
  });
});
