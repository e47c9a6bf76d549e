/**
 * `pnpm bench`: runs every package's bench/index.ts and prints one table.
 * Timing lives here, never in pass/fail tests. `pnpm bench -- <filter>` runs matching names only.
 */
import { existsSync, readdirSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Benchmark, BenchResult } from "./bench-kit.js";

const root = new URL("..", import.meta.url).pathname;
const filter = process.argv
  .slice(2)
  .find((arg) => arg !== "--")
  ?.toLowerCase();

function formatNumber(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString("en-US") : value.toFixed(2);
}

const rows: (BenchResult & { pkg: string })[] = [];
for (const dir of ["packages", "apps"]) {
  for (const pkg of readdirSync(join(root, dir)).sort()) {
    const entry = join(root, dir, pkg, "bench", "index.ts");
    if (!existsSync(entry)) continue;
    const benchmarks = (await import(pathToFileURL(entry).href)).default as Benchmark[];
    for (const benchmark of benchmarks) {
      if (filter && !`${pkg} ${benchmark.name}`.toLowerCase().includes(filter)) continue;
      process.stderr.write(`running ${pkg}: ${benchmark.name} …\n`);
      rows.push({ pkg, ...(await benchmark.run()) });
    }
  }
}

const header = ["package", "benchmark", "result", "unit", "target", "met"];
const table = rows.map((row) => {
  const target = row.target
    ? `${row.target.better === "higher" ? "≥" : "≤"} ${formatNumber(row.target.value)}`
    : "";
  const met = row.target
    ? (
        row.target.better === "higher"
          ? row.value >= row.target.value
          : row.value <= row.target.value
      )
      ? "yes"
      : "NO"
    : "";
  return [row.pkg, row.name, formatNumber(row.value), row.unit, target, met];
});
const widths = header.map((title, i) =>
  Math.max(title.length, ...table.map((cells) => (cells[i] ?? "").length)),
);
const line = (cells: string[]) =>
  `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(" | ")} |`;
console.log(
  `machine: ${cpus().length} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
);
console.log(line(header));
console.log(line(widths.map((w) => "-".repeat(w))));
for (const cells of table) console.log(line(cells));
for (const row of rows.filter((r) => r.note)) console.log(`- ${row.name}: ${row.note}`);
