/** Regenerates docs/configuration.md from the config schema and the environment table. */
import { writeFileSync } from "node:fs";
import { configReferenceRows, renderConfigurationDoc } from "../src/config/index.js";

const target = new URL("../../../docs/configuration.md", import.meta.url);
writeFileSync(target, renderConfigurationDoc());
console.log(`wrote ${target.pathname} (${configReferenceRows().length} settings)`);
