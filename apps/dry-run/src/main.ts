/**
 * apps/dry-run: the full schedule with broker writes blocked (the dry-run guard): reads go to the
 * configured broker, orders are recorded as hypothetical in the dry-run ledger, log lines start
 * `[DRY_RUN]`. Thin: config + mode + wiring. `--once` for cron.
 *
 *   pnpm --filter @trader/app-dry-run start -- [--config paper.yaml] [--once]
 */
import { argumentsOf, main } from "@trader/cli";

process.exitCode = await main([
  "node",
  "trader",
  "schedule",
  "--mode",
  "dry-run",
  ...argumentsOf(process.argv),
]);
