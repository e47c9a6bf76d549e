/**
 * `pnpm demo`: the README's main job. On the embedded store (./.trader, no server, no
 * credentials) it shows what the engine is for, through the real `trader` command:
 *
 *   1. a backtest of the reference strategy (Hierarchical Adaptive v3.5b) over about three years
 *      of synthetic NYSE sessions: one cycle per session at the close, every decision recorded;
 *   2. today's dry-run cycle (the latest session): full logic, broker writes blocked;
 *   3. `why`: why that day traded or did not; 4. `status`: every safety machine and the ledger.
 *
 * Run it again and nothing is done twice: every run id is deterministic, so each run reports
 * "already done" and the backtest's summary is read back from the store.
 *
 *   pnpm demo [--dir <store directory>] [--from <first backtest session>]
 */
import { main } from "@trader/cli";

const flag = (name: string, fallback: string): string => {
  const at = process.argv.indexOf(name);
  return at > 0 ? (process.argv[at + 1] ?? fallback) : fallback;
};
const dir = flag("--dir", ".trader");
const from = flag("--from", "2024-01-02");

const steps: { title: string; args: string[] }[] = [
  {
    title: `Backtest: hierarchical-adaptive-v3.5b on synthetic data from ${from} (account "backtest")`,
    args: ["--account", "backtest", "backtest", "--synthetic", "--from", from],
  },
  {
    title: "Today's dry-run cycle (the latest session; orders are recorded, never sent)",
    args: ["run", "--mode", "dry-run", "--date", "last-session"],
  },
  { title: "Why did that day trade, or not?", args: ["--dry-run", "why"] },
  {
    title: "Status: governor, kill switch, breakers, positions, last run",
    args: ["--dry-run", "status"],
  },
];

for (const step of steps) {
  process.stdout.write(`\n== ${step.title}\n$ trader ${step.args.join(" ")}\n`);
  const code = await main(["node", "trader", "--store-dir", dir, ...step.args]);
  if (code !== 0) {
    process.stderr.write(`demo: step failed with exit code ${code}\n`);
    process.exit(code);
  }
}
process.stdout.write(
  [
    "",
    `Every event is in ${dir} (one JSON-lines file per account and day). Try:`,
    "  pnpm trader --dry-run replay                     # the dry-run day's audit timeline",
    "  pnpm trader --account backtest why --date 2024-03-01",
    "  pnpm trader --account backtest redecide          # re-decide the latest day: identical?",
    "  pnpm trader store verify                         # checksums and hash chain of every file",
    "",
  ].join("\n"),
);
