import { statfs } from "node:fs/promises";

/** One pre-flight check's verdict (SPEC §12), recorded with the run (`PreflightRecorded`). */
export interface PreflightCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/**
 * The checks a live, paper or dry-run cycle runs after the session check and before anything is
 * decided; backtests pass none. (The broker's auth and connectivity are checked by reading the
 * account; the store's integrity by the caller before it opens the run, since a damaged store
 * cannot be trusted to record.)
 */
export type PreflightProbe = () => Promise<readonly PreflightCheck[]>;

const GIB = 1024 ** 3;

/** Free disk where the store lives: more than `minimumBytes` (default 1 GiB, SPEC §12). */
export async function freeDiskCheck(dir: string, minimumBytes = GIB): Promise<PreflightCheck> {
  try {
    const stats = await statfs(dir);
    const free = stats.bavail * stats.bsize;
    return {
      name: "free_disk",
      ok: free > minimumBytes,
      detail: `${(free / GIB).toFixed(1)} GiB free in ${dir} (more than ${(minimumBytes / GIB).toFixed(1)} GiB needed)`,
    };
  } catch (error) {
    return {
      name: "free_disk",
      ok: false,
      detail: `cannot read the free space of ${dir}: ${(error as Error).message}`,
    };
  }
}
