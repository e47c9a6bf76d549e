/**
 * `pnpm demo`: the foundation demo, until the cycle runner arrives. Walks the runbook's
 * "Scenario 1" (a $1,000 account falls to $920) through the drawdown governor session by
 * session, appending every decision to the embedded durable store (./.trader by default), then
 * reads the days back (checksums and hash chain verified) and prints why trading stopped and
 * how it resumed. Run it twice: the second run appends nothing, because every event id is
 * deterministic and a retried append is a no-op.
 *
 *   pnpm demo [--dir <store directory>]
 */
import {
  createEventRegistry,
  createGovernor,
  describeGovernor,
  fixedClock,
  formatCents,
  formatRunId,
  GOVERNOR_EVENTS,
  type GovernorCommand,
  type GovernorState,
  RUN_EVENTS,
  runDecider,
  seededIds,
  sizingMultiplier,
  weekdayCalendar,
} from "@trader/core";
import { createTypedStore, openFileStore } from "@trader/store";

const dirFlag = process.argv.indexOf("--dir");
const dir = dirFlag > 0 ? process.argv[dirFlag + 1] : ".trader";
if (!dir) {
  console.error("demo: --dir needs a directory");
  process.exit(2);
}

const ACCOUNT = "demo";
const calendar = weekdayCalendar(["2026-11-26", "2026-12-25"]); // Thanksgiving, Christmas
const governor = createGovernor({ calendar });
const registry = createEventRegistry([...RUN_EVENTS, ...GOVERNOR_EVENTS]);
const fileStore = await openFileStore({ dir, onTornTail: "repair" });
const store = createTypedStore(fileStore, registry);

// Equity at each session's close, in cents: a peak of $1,000, a slide to $920 (8%: HALT).
const equityPath = [100_000, 99_000, 96_500, 94_000, 92_000, 92_500, 93_000];
const healthy = (at: string) => ({
  lastReconciliation: "PASS" as const,
  marketDataUpdatedAt: at,
  lastDuplicateIntentAt: null,
  enabledStrategies: 1,
});

let state: GovernorState = governor.initialState;
let session = "2026-11-06";
let appended = 0;
const timeline: string[] = [];

for (let day = 0; day < 30; day++) {
  session = calendar.nextSession(session);
  const at = `${session}T20:50:00.000Z`;
  const runId = formatRunId({
    mode: "backtest",
    account: ACCOUNT,
    tradingDate: session,
    slot: "close",
  });
  const context = {
    clock: fixedClock(at),
    ids: seededIds(runId),
    runId,
    mode: "backtest" as const,
  };
  const equity = equityPath[Math.min(day, equityPath.length - 1)] ?? 93_000;

  const commands: GovernorCommand[] = [
    { type: "ObserveEquity", at, session, equity, positions: [] },
  ];
  if (state.cooldown && session >= state.cooldown.endsOn) {
    // The first check after the cooldown finds the last reconciliation failed: extend by 5.
    const firstCheck = state.cooldown.extensions === 0;
    const health = {
      ...healthy(at),
      lastReconciliation: firstCheck ? ("FAIL" as const) : ("PASS" as const),
    };
    commands.push({ type: "RunHealthChecks", at, session, health });
  }

  const decided = [];
  for (const command of commands) {
    const result = runDecider(governor, state, command);
    if (!result.ok)
      throw new Error(`governor refused ${command.type} on ${session}: ${result.refusal.message}`);
    state = result.state;
    decided.push(...result.events);
  }
  const events = registry.stamp(
    [
      {
        type: "RunStarted",
        data: { runId, mode: "backtest", account: ACCOUNT, tradingDate: session, slot: "close" },
      },
      ...decided,
      { type: "RunCompleted", data: { runId, outcome: "no_trade", ordersSubmitted: 0 } },
    ],
    context,
  );
  const result = await store.append(`day-${ACCOUNT}-${session}`, events, {
    expectedRevision: "any",
  });
  if (result.written) appended += events.length;
  const changes = decided
    .filter((event) => event.type !== "GovernorEquityObserved")
    .map((event) => event.type);
  timeline.push(
    `${session}  ${formatCents(equity).padStart(9)}  ${state.status.padEnd(6)} × ${String(sizingMultiplier(state)).padEnd(3)}  ${changes.join(", ")}`,
  );
  if (state.status === "NORMAL" && day > 10) break;
}

// Read every day back from disk: each line's checksum and the hash chain are verified as it reads.
let readBack = 0;
for (const stream of await fileStore.listStreams(`day-${ACCOUNT}-`)) {
  for await (const _event of store.readStream(stream)) readBack++;
}
const report = await fileStore.verify();
await fileStore.close();

console.log("Runbook scenario 1: a $1,000 account falls to $920 (8% drawdown).\n");
console.log("session     equity     state  sizing  decisions");
for (const line of timeline) console.log(line);
console.log(`\nNow: ${describeGovernor(state)}`);
console.log(
  `\nStore ${dir}: ${appended} events appended this run (0 on a rerun: ids are deterministic), ` +
    `${readBack} read back and verified; ${report.streams.length} day streams, ${report.ok ? "all intact" : "PROBLEMS FOUND"}.`,
);
console.log(`Each day is one file: ls ${dir}/streams  ·  jq . ${dir}/streams/<day>.jsonl`);
