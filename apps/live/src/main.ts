/**
 * apps/live: the schedule against a real broker. Thin: config + mode + wiring, no logic of its
 * own. It refuses to start without Alpaca credentials (APCA_API_KEY_ID / APCA_API_SECRET_KEY),
 * `broker.kind: alpaca` with `broker.paper: false`, and an explicit acknowledgement
 * (--i-understand-this-is-live or TRADER_LIVE_ACKNOWLEDGED=yes). `--once` for cron.
 *
 *   pnpm --filter @trader/app-live start -- --config live.yaml [--once]
 */
import { argumentsOf, main } from "@trader/cli";

process.exitCode = await main([
  "node",
  "trader",
  "schedule",
  "--mode",
  "live",
  ...argumentsOf(process.argv),
]);
