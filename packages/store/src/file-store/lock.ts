/**
 * One writer per store directory. `<dir>/LOCK` holds the writer's pid, host and start time as
 * JSON; it is created atomically with its content (written to a private file, then hard-linked
 * to LOCK, which fails if LOCK exists), so nobody ever sees a half-written lock. A lock whose
 * holder was on this host and is no longer running is stale and taken over. The lock cannot
 * vouch for other hosts: it is not a lock for a directory shared over the network.
 */
import { randomUUID } from "node:crypto";
import { link, readFile, rename, rm, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { StoreLockedError } from "../port.js";

export const LOCK_FILE = "LOCK";

export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
}

export function describeHolder(holder: LockHolder): string {
  return `pid ${holder.pid} on host ${holder.host}, writing since ${holder.startedAt}`;
}

/** Takes the directory's writer lock or fails with StoreLockedError naming the holder; resolves to its release. */
export async function acquireLock(dir: string): Promise<() => Promise<void>> {
  const lockPath = join(dir, LOCK_FILE);
  const content = `${JSON.stringify({ pid: process.pid, host: hostname(), startedAt: new Date().toISOString() })}\n`;
  const draft = join(dir, `${LOCK_FILE}.${process.pid}.${randomUUID()}.draft`);
  await writeFile(draft, content, { flag: "wx" });
  try {
    // A few rounds: each either takes the lock, fails on a live holder, or clears a stale one.
    for (let round = 0; round < 3; round++) {
      try {
        await link(draft, lockPath);
        return () => releaseLock(lockPath, content);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      const held = await readLockFile(lockPath);
      if (held === undefined) continue; // released in the meantime
      const holder = parseHolder(held);
      if (!holder) {
        throw new StoreLockedError(
          dir,
          `unreadable lock file ${lockPath}: ${JSON.stringify(held.slice(0, 200))}; delete it if no writer is running`,
        );
      }
      if (!isStale(holder)) throw new StoreLockedError(dir, describeHolder(holder));
      await clearStaleLock(dir, lockPath, held);
    }
    throw new StoreLockedError(dir, "several processes are competing for the lock; try again");
  } finally {
    await rm(draft, { force: true });
  }
}

/** On this host and no longer running. (A reused pid makes a dead holder look alive: refused, never unsafe.) */
function isStale(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/**
 * Moves the stale lock aside (one atomic rename, so of two openers only one gets it) and checks
 * it really was the stale one; if another opener had already replaced it with its own live lock,
 * that lock is put back and this opener reports it.
 */
async function clearStaleLock(dir: string, lockPath: string, staleContent: string): Promise<void> {
  const aside = join(dir, `${LOCK_FILE}.${process.pid}.${randomUUID()}.stale`);
  try {
    await rename(lockPath, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  const moved = await readFile(aside, "utf8");
  if (moved !== staleContent) {
    await link(aside, lockPath).catch(() => undefined);
    await rm(aside, { force: true });
    const holder = parseHolder(moved);
    throw new StoreLockedError(
      dir,
      holder ? describeHolder(holder) : "another process that just took over a stale lock",
    );
  }
  await rm(aside, { force: true });
}

async function releaseLock(lockPath: string, content: string): Promise<void> {
  // Remove the lock only while it is still ours.
  if ((await readLockFile(lockPath)) === content) await rm(lockPath, { force: true });
}

async function readLockFile(lockPath: string): Promise<string | undefined> {
  try {
    return await readFile(lockPath, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(text) as Partial<LockHolder> | null;
    if (
      typeof holder?.pid === "number" &&
      Number.isInteger(holder.pid) &&
      holder.pid > 0 &&
      typeof holder.host === "string" &&
      typeof holder.startedAt === "string"
    ) {
      return { pid: holder.pid, host: holder.host, startedAt: holder.startedAt };
    }
  } catch {
    // not JSON: unreadable
  }
  return undefined;
}
