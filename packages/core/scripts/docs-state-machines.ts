/** `pnpm docs:state-machines`: regenerates docs/state-machines.md from the exported transition tables. */
import { writeFileSync } from "node:fs";
import { renderStateMachinesDoc, SAFETY_MACHINES } from "../src/index.js";

const target = new URL("../../../docs/state-machines.md", import.meta.url);
writeFileSync(target, renderStateMachinesDoc(SAFETY_MACHINES));
console.log(`wrote ${target.pathname} (${SAFETY_MACHINES.length} machines)`);
