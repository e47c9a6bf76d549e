import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SAFETY_MACHINES } from "../safety/documented-machines.js";
import { renderStateMachinesDoc } from "./state-machines-doc.js";

describe("docs/state-machines.md", () => {
  it("is exactly what `pnpm docs:state-machines` generates from the tables (run it after changing a table)", () => {
    const committed = readFileSync(
      new URL("../../../../docs/state-machines.md", import.meta.url),
      "utf8",
    );
    expect(committed).toBe(renderStateMachinesDoc(SAFETY_MACHINES));
  });

  it("draws every transition of every machine", () => {
    const doc = renderStateMachinesDoc(SAFETY_MACHINES);
    for (const { table } of SAFETY_MACHINES) {
      for (const { from, to } of table.transitions) expect(doc).toContain(`  ${from} --> ${to}: `);
    }
  });
});
