import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Temporary directories under os.tmpdir(), all removed by `removeAll` (call it in afterAll/afterEach). */
export function tempDirs(label: string) {
  const created: string[] = [];
  return {
    async make(): Promise<string> {
      const dir = await mkdtemp(join(tmpdir(), `trader-store-${label}-`));
      created.push(dir);
      return dir;
    },
    async removeAll(): Promise<void> {
      await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
}
