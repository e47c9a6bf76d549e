import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

describe("docs/property-testing.md", () => {
  it("shows the example test exactly as it runs here, with package imports", () => {
    const example = readFileSync(
      new URL("./property-testing.example.test.ts", import.meta.url),
      "utf8",
    )
      .replace('"../index.js"', '"@trader/core"')
      .replace('"../testing/index.js"', '"@trader/core/testing"');
    const doc = readFileSync(
      new URL("../../../../docs/property-testing.md", import.meta.url),
      "utf8",
    );
    expect(doc).toContain(`\`\`\`ts\n${example}\`\`\``);
  });
});
