/** Regenerates docs/configuration.md and the runbook's configuration reference from the schema. */
import { readFileSync, writeFileSync } from "node:fs";
import {
  configReferenceRows,
  renderConfigurationDoc,
  withConfigReference,
} from "../src/config/index.js";

const target = new URL("../../../docs/configuration.md", import.meta.url);
writeFileSync(target, renderConfigurationDoc());
console.log(`wrote ${target.pathname} (${configReferenceRows().length} settings)`);
const runbook = new URL("../../../docs/runbook.md", import.meta.url);
writeFileSync(runbook, withConfigReference(readFileSync(runbook, "utf8")));
console.log(`updated the configuration reference in ${runbook.pathname}`);
