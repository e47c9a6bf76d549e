/** File-system steps that must survive a crash: each fsyncs what it changed. */
import { mkdir, open, readdir, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { streamOfFileName } from "./stream-names.js";

export interface StreamFile {
  readonly stream: string;
  readonly file: string;
  readonly size: number;
}

/** The stream files in a streams directory (canonical names only), sorted by stream. */
export async function listStreamFiles(streamsDir: string): Promise<StreamFile[]> {
  let names: string[];
  try {
    names = await readdir(streamsDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const files: StreamFile[] = [];
  for (const name of names) {
    const stream = streamOfFileName(name);
    if (stream === undefined) continue;
    const file = join(streamsDir, name);
    const info = await stat(file);
    if (info.isFile()) files.push({ stream, file, size: info.size });
  }
  return files.sort((a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0));
}

/** mkdir -p, then fsync each parent whose entries changed, so the new directories survive a crash. */
export async function createDirectoryDurably(path: string): Promise<void> {
  const firstCreated = await mkdir(path, { recursive: true });
  if (firstCreated === undefined) return;
  const top = dirname(firstCreated);
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    await fsyncDirectory(dir);
    if (dir === top || dir === dirname(dir)) return;
  }
}

export async function fsyncDirectory(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Cuts a file to `size` bytes, or removes it when nothing is left. */
export async function truncateDurably(file: string, size: number): Promise<void> {
  if (size === 0) {
    await rm(file);
    await fsyncDirectory(dirname(file));
    return;
  }
  const handle = await open(file, "r+");
  try {
    await handle.truncate(size);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Copies bytes [from, end of file) of `file` into a new file `copy`. */
export async function copyTailDurably(file: string, from: number, copy: string): Promise<void> {
  const source = await open(file, "r");
  let bytes: Buffer;
  try {
    const { size } = await source.stat();
    bytes = Buffer.alloc(Math.max(0, size - from));
    const { bytesRead } = await source.read(bytes, 0, bytes.length, from);
    bytes = bytes.subarray(0, bytesRead);
  } finally {
    await source.close();
  }
  await mkdir(dirname(copy), { recursive: true });
  const target = await open(copy, "wx");
  try {
    await target.write(bytes);
    await target.sync();
  } finally {
    await target.close();
  }
  await fsyncDirectory(dirname(copy));
}
