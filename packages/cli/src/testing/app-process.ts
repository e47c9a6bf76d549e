import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = new URL("../../../../", import.meta.url).pathname;

export interface AppResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Starts an app (`apps/<name>/src/main.ts`) for real as a process, on its TypeScript source, with
 * only the environment given (plus PATH), and waits for it to exit.
 */
export async function startApp(
  name: "live" | "paper" | "dry-run" | "validate",
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<AppResult> {
  try {
    const { stdout, stderr } = await run(
      join(root, "node_modules/.bin/tsx"),
      ["--conditions=@trader/source", join(root, "apps", name, "src/main.ts"), ...args],
      { cwd: root, env: { PATH: process.env.PATH ?? "", ...env }, encoding: "utf8" },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}
