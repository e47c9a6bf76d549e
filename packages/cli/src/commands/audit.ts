import {
  accountStatus,
  explainRecordedDay,
  latestDay,
  readDay,
  redecideDay,
  renderRedecision,
  renderStatus,
  replayDay,
  tradeLog,
  tradeLogCsv,
  typedAccountStore,
} from "@trader/runtime";
import {
  checkDate,
  cliEngine,
  type GlobalOptions,
  ledgerOf,
  resolveDate,
  withStore,
} from "../context.js";
import { CliError, EXIT_CODES } from "../exit-codes.js";
import { createOutput } from "../output.js";

export interface DayOptions extends GlobalOptions {
  readonly date?: string;
}

async function dayOrLatest(
  store: ReturnType<typeof typedAccountStore>,
  account: string,
  date: string | undefined,
  resolve: (value: string) => string,
): Promise<string> {
  if (date) return resolve(date);
  const latest = await latestDay(store, account);
  if (!latest)
    throw new CliError(
      `account "${account}" has no recorded day yet (run a cycle first)`,
      EXIT_CODES.usage,
    );
  return latest;
}

/** `trader why`: why the day traded or did not (SPEC §7). */
export async function whyCommand(options: DayOptions): Promise<number> {
  const output = createOutput(options.json ?? false);
  const engine = cliEngine(options);
  const account = ledgerOf(engine, options);
  const recorded = await withStore(engine, true, async (raw) => {
    const store = typedAccountStore(raw);
    const date = await dayOrLatest(store, account, options.date, (value) =>
      resolveDate(engine, value),
    );
    return explainRecordedDay(store, engine.model, account, date);
  });
  // Nothing recorded on a weekend or holiday: say the market was closed, not just "no run".
  const closed =
    recorded.why.verdict === "no_run" && !engine.calendar.isSession(recorded.date)
      ? engine.calendar.closedReason(recorded.date)
      : null;
  const explanation = closed
    ? {
        ...recorded,
        context: [...recorded.context, `${recorded.date} is not a trading session (${closed})`],
      }
    : recorded;
  output.result(explanation, () =>
    [
      `${explanation.account} ${explanation.date}: ${explanation.why.summary}`,
      ...(explanation.why.verdict === "all_stopped"
        ? [
            `  binding constraint: ${explanation.why.bindingConstraint}`,
            ...explanation.why.topReasons.map(
              (reason) =>
                `  ${String(reason.count).padStart(3)} × ${reason.stage}/${reason.code}: ${reason.message}`,
            ),
          ]
        : []),
      ...explanation.context.map((line) => `  note: ${line}`),
    ].join("\n"),
  );
  return EXIT_CODES.ok;
}

/** `trader replay --date`: the day's audit timeline, one line per event. */
export async function replayCommand(options: DayOptions): Promise<number> {
  const output = createOutput(options.json ?? false);
  const engine = cliEngine(options);
  const account = ledgerOf(engine, options);
  const { date, lines } = await withStore(engine, true, async (raw) => {
    const store = typedAccountStore(raw);
    const day = await dayOrLatest(store, account, options.date, (value) =>
      resolveDate(engine, value),
    );
    return { date: day, lines: await replayDay(store, account, day) };
  });
  output.result({ account, date, timeline: lines }, () =>
    lines.length === 0 ? `${account} ${date}: nothing recorded` : lines.join("\n"),
  );
  return EXIT_CODES.ok;
}

export interface ExportOptions extends DayOptions {
  readonly trades?: boolean;
  readonly csv?: boolean;
  readonly from?: string;
  readonly to?: string;
}

/**
 * `trader export --date`: the day's events as JSON. `trader export --trades [--csv]`: the trade
 * log (every fill with its intent and slippage), as JSON or CSV.
 */
export async function exportCommand(options: ExportOptions): Promise<number> {
  const engine = cliEngine(options);
  const account = ledgerOf(engine, options);
  if (options.trades) {
    const range = {
      ...(options.from ? { from: checkDate(engine, "--from", options.from) } : {}),
      ...(options.to ? { to: checkDate(engine, "--to", options.to) } : {}),
    };
    const rows = await withStore(engine, true, (raw) =>
      tradeLog(typedAccountStore(raw), account, range),
    );
    process.stdout.write(
      options.csv ? tradeLogCsv(rows) : `${JSON.stringify({ account, trades: rows }, null, 2)}\n`,
    );
    return EXIT_CODES.ok;
  }
  if (options.csv) {
    throw new CliError("--csv exports the trade log: use it with --trades", EXIT_CODES.usage);
  }
  const document = await withStore(engine, true, async (raw) => {
    const store = typedAccountStore(raw);
    const date = await dayOrLatest(store, account, options.date, (value) =>
      resolveDate(engine, value),
    );
    const events = await readDay(store, account, date);
    return { account, date, events };
  });
  process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  return EXIT_CODES.ok;
}

/** `trader status`: governor, kill switch, breakers, positions, last run, pending signals. */
export async function statusCommand(options: GlobalOptions): Promise<number> {
  const output = createOutput(options.json ?? false);
  const engine = cliEngine(options);
  const status = await withStore(engine, true, (raw) =>
    accountStatus(typedAccountStore(raw), engine.model, ledgerOf(engine, options)),
  );
  output.result(status, () => renderStatus(status));
  return EXIT_CODES.ok;
}

/** `trader redecide --date`: the day's recorded inputs through the current code. */
export async function redecideCommand(options: DayOptions): Promise<number> {
  const output = createOutput(options.json ?? false);
  const engine = cliEngine(options);
  const account = ledgerOf(engine, options);
  const redecision = await withStore(engine, true, async (raw) => {
    const store = typedAccountStore(raw);
    const date = await dayOrLatest(store, account, options.date, (value) =>
      resolveDate(engine, value),
    );
    return redecideDay(
      store,
      engine.model,
      engine.strategies,
      engine.settings.pipeline,
      account,
      date,
    );
  });
  output.result(redecision, () => renderRedecision(redecision));
  return redecision.verdict === "diverged" ? EXIT_CODES.problemFound : EXIT_CODES.ok;
}
