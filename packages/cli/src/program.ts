import { Command, CommanderError } from "commander";
import {
  exportCommand,
  redecideCommand,
  replayCommand,
  statusCommand,
  whyCommand,
} from "./commands/audit.js";
import { backtestCommand } from "./commands/backtest.js";
import { dataUpdateCommand } from "./commands/data.js";
import {
  calendarCommand,
  configCheckCommand,
  storeRepairCommand,
  storeVerifyCommand,
} from "./commands/maintenance.js";
import {
  emergencyExitCommand,
  killCommand,
  overrideCommand,
  resetCommand,
  syncCommand,
} from "./commands/operator.js";
import { runCommand } from "./commands/run.js";
import { healthCommand, scheduleCommand } from "./commands/schedule.js";
import { alertsCommand, serveCommand } from "./commands/serve.js";
import { validateCommand } from "./commands/validate.js";
import { CliError, EXIT_CODES } from "./exit-codes.js";

const EXIT_CODE_HELP = `
Exit codes:
  0  done (a run that traded, did not trade, or found the market closed)
  1  unexpected failure (bug or broken infrastructure)
  2  invalid configuration, arguments or market data: nothing was done
  3  the run could not trade safely (pre-flight failed, e.g. a damaged store): nothing was sent
  4  an operator action was refused by the safety machines
  5  a problem was found (store verify: damaged file; redecide: a decision diverged)`;

/** The `trader` command line. Each action resolves to the process exit code. */
export function buildProgram(setExitCode: (code: number) => void): Command {
  const program = new Command("trader")
    .description("An event-sourced trading engine: run, audit and control it.")
    .option("-c, --config <file>", "config file (.json, .yaml, .yml); default $TRADER_CONFIG")
    .option("-a, --account <name>", "account (default: the config's, or TRADER_ACCOUNT)")
    .option("--store-dir <dir>", "embedded store directory (default .trader)")
    .option("--json", "machine-readable output")
    .option("--dry-run", "the dry-run ledger (<account>.dry-run); with run: --mode dry-run")
    .addHelpText("after", EXIT_CODE_HELP)
    .showHelpAfterError();
  const globals = () => program.opts();
  const action =
    <A extends unknown[]>(run: (...args: A) => Promise<number>) =>
    async (...args: A) => {
      setExitCode(await run(...args));
    };
  const attributed = (command: Command) =>
    command
      .option("--operator <name>", "who is doing this (recorded)")
      .option("--reason <why>", "why (recorded)");

  program
    .command("run")
    .description("run one decision cycle now (record inputs, reconcile, decide, execute)")
    .option("--mode <mode>", "paper | dry-run | live", "paper")
    .option("--date <date>", "trading date: YYYY-MM-DD, today, last-session", "today")
    .option("--slot <slot>", "which run of the day (part of the run id)")
    .option("--i-understand-this-is-live", "required for --mode live")
    .action(
      action(async (options) =>
        runCommand({ ...globals(), ...options, liveAcknowledged: options.iUnderstandThisIsLive }),
      ),
    );
  program
    .command("backtest")
    .description(
      "backtest over a CSV directory or the synthetic market: one run per session at the close",
    )
    .option("--strategy <name>", "strategy to test (default: the config's)")
    .option("--data <dir>", "CSV directory (one <SYMBOL>.csv per symbol)")
    .option("--synthetic", "use the seeded synthetic market")
    .option("--seed <text>", "synthetic market seed")
    .option("--from <date>", "first session", "2016-01-04")
    .option("--to <date>", "last session (default: the last session before today)")
    .option("--initial-cash <dollars>", "starting cash", "100000")
    .option("--memory", "keep the events in memory instead of the store")
    .action(action(async (options) => backtestCommand({ ...globals(), ...options })));
  program
    .command("replay")
    .description("the audit timeline of a day, one line per event")
    .option("--date <date>", "trading date (default: the latest recorded)")
    .action(action(async (options) => replayCommand({ ...globals(), ...options })));
  program
    .command("why")
    .description("why a day traded or did not (default: the latest recorded day)")
    .option("--date <date>", "trading date")
    .action(action(async (options) => whyCommand({ ...globals(), ...options })));
  program
    .command("redecide")
    .description(
      "feed a day's recorded inputs through the current code: identical, or the first divergence",
    )
    .option("--date <date>", "trading date (default: the latest recorded)")
    .action(action(async (options) => redecideCommand({ ...globals(), ...options })));
  program
    .command("data")
    .description("market data")
    .command("update")
    .description("append the latest sessions to the CSV files from Alpaca (idempotent)")
    .option("--data <dir>", "the CSV directory (default: the config's data.dir)")
    .option("--through <date>", "last session to fetch (default: the last closed session)")
    .option("--symbols <list>", "comma-separated symbols (default: the directory's files)")
    .option("--since <date>", "first session for a symbol that has no file yet")
    .option("--feed <feed>", "iex | sip")
    .action(action(async (options) => dataUpdateCommand({ ...globals(), ...options })));
  program
    .command("schedule")
    .description(
      "the day's steps relative to each NYSE close; --once: what is due now, then exit (cron)",
    )
    .option("--mode <mode>", "paper | dry-run | live", "paper")
    .option("--once", "do what is due now, idempotently, and exit")
    .option("--at <instant>", "with --once: act as if it were this ISO-8601 instant")
    .option("--i-understand-this-is-live", "required for --mode live")
    .action(
      action(async (options) =>
        scheduleCommand({
          ...globals(),
          ...options,
          liveAcknowledged: options.iUnderstandThisIsLive,
        }),
      ),
    );
  program
    .command("health")
    .description(
      "broker connectivity, store integrity, free disk, schedule sanity, once (for cron)",
    )
    .option("--mode <mode>", "paper | dry-run | live", "paper")
    .action(action(async (options) => healthCommand({ ...globals(), ...options })));
  program
    .command("serve")
    .description("the kill-switch control API and /metrics (needs KILL_SWITCH_SECRET, ≥ 32 bytes)")
    .option("--host <host>", "address to bind", "127.0.0.1")
    .option("--port <port>", "port (0: any free one)", "8787")
    .option("--metrics-public", "serve /metrics without a signature (for a Prometheus scraper)")
    .action(action(async (options) => serveCommand({ ...globals(), ...options })));
  program
    .command("alerts")
    .description("deliver the alerts the account's events raise, each once; --once for cron")
    .option("--once", "deliver what is pending and exit")
    .action(action(async (options) => alertsCommand({ ...globals(), ...options })));
  program
    .command("validate")
    .description(
      "post-market validation: re-decide a day on the official close; GREEN / YELLOW / RED",
    )
    .option("--date <date>", "trading date (default: the last session)")
    .option("--show", "only show the recorded report")
    .action(action(async (options) => validateCommand({ ...globals(), ...options })));
  program
    .command("status")
    .description("governor, kill switch, breakers, positions, last run, pending signals")
    .action(action(async () => statusCommand(globals())));
  program
    .command("export")
    .description("a day's events as JSON; with --trades, the trade log (JSON, or CSV with --csv)")
    .option("--date <date>", "trading date (default: the latest recorded)")
    .option("--trades", "every fill with its intent and slippage")
    .option("--csv", "with --trades: CSV instead of JSON")
    .option("--from <date>", "with --trades: first trading date")
    .option("--to <date>", "with --trades: last trading date")
    .action(action(async (options) => exportCommand({ ...globals(), ...options })));
  attributed(
    program
      .command("kill")
      .description("pull the kill switch (global, or one strategy)")
      .option("--remote <url>", "through a running control API (signed with KILL_SWITCH_SECRET)")
      .option("--strategy <name>", "only this strategy")
      .option("--level <level>", "entries (exits still allowed) | all"),
  ).action(action(async (options) => killCommand({ ...globals(), ...options })));
  attributed(
    program
      .command("reset")
      .description("lift the kill switch (global, or one strategy)")
      .option("--remote <url>", "through a running control API (signed with KILL_SWITCH_SECRET)")
      .option("--strategy <name>", "only this strategy"),
  ).action(action(async (options) => resetCommand({ ...globals(), ...options })));
  attributed(
    program
      .command("override")
      .description("operator override: force-resume | reset-governor | reset-breaker")
      .argument("<action>", "force-resume | reset-governor | reset-breaker"),
  ).action(
    action(async (what: string, options) => overrideCommand(what, { ...globals(), ...options })),
  );
  attributed(
    program
      .command("sync")
      .description("adopt the broker's positions and cash as the projection (audited)")
      .option("--force", "confirm"),
  ).action(action(async (options) => syncCommand({ ...globals(), ...options })));
  attributed(
    program
      .command("emergency-exit")
      .description("flatten every position, then set the kill switch at level all")
      .option("--mode <mode>", "paper | dry-run | live", "paper"),
  ).action(action(async (options) => emergencyExitCommand({ ...globals(), ...options })));
  const store = program.command("store").description("the embedded store's files");
  store
    .command("verify")
    .description("check every file's checksums and hash chain")
    .action(action(async () => storeVerifyCommand(globals())));
  store
    .command("repair")
    .description("truncate torn tails (kept under torn/)")
    .action(action(async () => storeRepairCommand(globals())));
  program
    .command("config")
    .description("configuration")
    .command("check")
    .description("print the effective config and where each value came from")
    .action(action(async () => configCheckCommand(globals())));
  program
    .command("calendar")
    .description("NYSE sessions with their open and close")
    .option("--from <date>", "first date")
    .option("--to <date>", "last date")
    .action(action(async (options) => calendarCommand({ ...globals(), ...options })));
  return program;
}

/** Runs the CLI with `argv` (as process.argv); resolves to the exit code. Errors become messages. */
export async function main(argv: readonly string[]): Promise<number> {
  let exitCode: number = EXIT_CODES.ok;
  const program = buildProgram((code) => {
    exitCode = code;
  });
  program.exitOverride();
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
    }
    if (error instanceof CliError) {
      process.stderr.write(`trader: ${error.message}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    process.stderr.write(`trader: ${message}\n`);
    return EXIT_CODES.failure;
  }
}

/** An app's own arguments: what follows the script, without the `--` a package runner may pass on. */
export function argumentsOf(argv: readonly string[]): string[] {
  const rest = argv.slice(2);
  return rest[0] === "--" ? rest.slice(1) : rest;
}
