import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { withConfigReference } from "./runbook-section.js";

const runbook = readFileSync(new URL("../../../../docs/runbook.md", import.meta.url), "utf8");

describe("docs/runbook.md", () => {
  it("its configuration reference is the one generated from the schema (pnpm docs:configuration)", () => {
    expect(runbook).toBe(withConfigReference(runbook));
  });

  it("documents the seeds' environment variables an operator reaches for", () => {
    for (const name of [
      "TRADING_DISABLED",
      "DRAWDOWN_HALT_THRESHOLD",
      "DRY_RUN",
      "HALT_COOLDOWN_DAYS",
    ]) {
      expect(runbook).toContain(name);
    }
  });

  it("refuses a runbook without the section's markers", () => {
    expect(() => withConfigReference("# no markers")).toThrow(/config-reference/);
  });
});
