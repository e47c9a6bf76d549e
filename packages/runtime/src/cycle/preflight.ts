import { statfs } from "node:fs/promises";
import type { FileEventStore } from "@trader/store";

/** One pre-flight check's verdict (SPEC §12), recorded with the run. */
export interface PreflightCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** The checks a live, paper or dry-run cycle runs before anything else; backtests pass none. */
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
      detail: `${(free / GIB).toFixed(1)} GiB free in ${dir} (needs more than ${(minimumBytes / GIB).toFixed(1)} GiB)`,
    };
  } catch (error) {
    return {
      name: "free_disk",
      ok: false,
      detail: `cannot read free space of ${dir}: ${(error as Error).message}`,
    };
  }
}

/** Every stream file of the embedded store reads back with valid checksums and hash chain. */
export async function storeIntegrityCheck(store: FileEventStore): Promise<PreflightCheck> {
  const report = await store.verify();
  const bad = report.streams.filter((stream) => stream.status !== "ok");
  return {
    name: "store_integrity",
    ok: report.ok,
    detail: report.ok
      ? `${report.streams.length} stream files verified`
      : `${bad.length} damaged stream file(s): ${bad.map((stream) => stream.stream).join(", ")} (trader store verify)`,
  };
}

/** The pre-flight probe for the embedded store: its integrity and the free disk under it. */
export function fileStorePreflight(store: FileEventStore, minimumFreeBytes = GIB): PreflightProbe {
  return async () => [
    await storeIntegrityCheck(store),
    await freeDiskCheck(store.dir, minimumFreeBytes),
  ];
}
