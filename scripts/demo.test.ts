import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// The README's main job, run for real as a process against a fresh durable store.
const root = new URL("..", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "trader-demo-"));
const demo = () =>
  execFileSync(
    join(root, "node_modules/.bin/tsx"),
    ["--conditions=@trader/source", join(root, "scripts/demo.ts"), "--dir", dir],
    { encoding: "utf8", cwd: root },
  );

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("pnpm demo", () => {
  it("halts at $920, extends the cooldown after a failed check, ramps up and resumes, all on disk", () => {
    const output = demo();
    expect(output).toMatch(/2026-11-13 +\$920\.00 +HALT +× 0 +GovernorHalted/);
    expect(output).toMatch(/GovernorCooldownExtended/);
    expect(output).toMatch(
      /RAMPUP × 0\.5 +GovernorHealthChecksPassed, GovernorPeakRebased, GovernorRampUpStarted/,
    );
    expect(output).toMatch(/NORMAL × 1 +GovernorNormalResumed/);
    expect(output).toMatch(/all intact/);
    const files = readdirSync(join(dir, "streams"));
    expect(files).toContain("day-demo-2026-11-13.jsonl");
    const halted = readFileSync(join(dir, "streams", "day-demo-2026-11-13.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(halted.map((line) => line.type)).toEqual([
      "RunStarted",
      "GovernorEquityObserved",
      "GovernorHalted",
      "RunCompleted",
    ]);
  });

  it("appends nothing when run again: every event id is deterministic", () => {
    expect(demo()).toMatch(/0 events appended this run/);
  });
});
