/**
 * apps/paper: the schedule in paper mode: Alpaca's paper account (`broker.kind: alpaca`,
 * `paper: true`) or the simulator (the default). Thin: config + mode + wiring. `--once` for cron.
 *
 *   pnpm --filter @trader/app-paper start -- [--config paper.yaml] [--once]
 */
import { argumentsOf, main } from "@trader/cli";

process.exitCode = await main([
  "node",
  "trader",
  "schedule",
  "--mode",
  "paper",
  ...argumentsOf(process.argv),
]);
