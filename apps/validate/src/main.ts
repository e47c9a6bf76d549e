/**
 * apps/validate: post-market validation (SPEC §13) of the last session (or --date): re-decide it
 * on the official close, GREEN / YELLOW / RED with the rolling 20-session view, recorded once.
 * Thin: config + wiring. Run it after the close + 15 min (cron), or let `trader schedule` do it.
 *
 *   pnpm --filter @trader/app-validate start -- [--config paper.yaml] [--date 2026-11-20]
 */
import { argumentsOf, main } from "@trader/cli";

process.exitCode = await main(["node", "trader", "validate", ...argumentsOf(process.argv)]);
