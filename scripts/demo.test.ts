import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// The README's main job, run for real as a process against a fresh durable store (a shorter
// backtest than the README's, to keep the suite fast).
const root = new URL("..", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "trader-demo-"));
const demo = () =>
  execFileSync(
    join(root, "node_modules/.bin/tsx"),
    [
      "--conditions=@trader/source",
      join(root, "scripts/demo.ts"),
      "--dir",
      dir,
      "--from",
      "2026-06-01",
    ],
    { encoding: "utf8", cwd: root, stdio: ["ignore", "pipe", "pipe"] },
  );
const storeBytes = () =>
  readdirSync(join(dir, "streams")).reduce(
    (sum, file) => sum + statSync(join(dir, "streams", file)).size,
    0,
  );

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("pnpm demo", () => {
  it("backtests the reference strategy, runs today's dry-run cycle, explains it and shows the status", () => {
    const output = demo();
    expect(output).toMatch(/Backtest 2026-06-01 → \d{4}-\d{2}-\d{2}: \d+ sessions/);
    expect(output).toMatch(/total return/);
    expect(output).toMatch(/days without a trade: \d+ of \d+/);
    expect(output).toMatch(/dry-run:default\.dry-run:\d{4}-\d{2}-\d{2}:close: (traded|no_trade)/);
    expect(output).toMatch(/default\.dry-run \d{4}-\d{2}-\d{2}: /);
    expect(output).toMatch(/governor +NORMAL/);
    expect(output).toMatch(/kill switch +INACTIVE/);
    const files = readdirSync(join(dir, "streams"));
    expect(files.some((file) => file.startsWith("day-backtest-2026-06-01"))).toBe(true);
    expect(files).toContain("sim-backtest.jsonl");
    expect(files).toContain("dry-run-default.jsonl");
  });

  it("does nothing twice when run again: every run id is deterministic", () => {
    const before = storeBytes();
    const output = demo();
    expect(output).toMatch(/already done/);
    expect(storeBytes()).toBe(before);
  });
});
