import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

describe("README", () => {
  it("shows the SMA-crossover example exactly as it is in the package", () => {
    const example = readFileSync(new URL("./sma-crossover.ts", import.meta.url), "utf8");
    const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
    expect(readme).toContain(`\`\`\`ts\n${example}\`\`\``);
    expect(example.trim().split("\n").length).toBeLessThan(40);
  });
});
