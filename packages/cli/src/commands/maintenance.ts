import { effectiveConfigJson, renderEffectiveConfig } from "@trader/runtime";
import { openFileStore } from "@trader/store";
import { cliEngine, describeDamage, type GlobalOptions, loadCliConfig } from "../context.js";
import { CliError, EXIT_CODES } from "../exit-codes.js";
import { createOutput, table } from "../output.js";

function fileStoreDir(options: GlobalOptions): string {
  const engine = cliEngine(options);
  if (engine.config.store.kind !== "file") {
    throw new CliError(
      'store verify/repair work on the embedded file store (store.kind "file")',
      EXIT_CODES.usage,
    );
  }
  return engine.config.store.dir;
}

/** `trader store verify`: every file's checksums and hash chain. */
export async function storeVerifyCommand(options: GlobalOptions): Promise<number> {
  const output = createOutput(options.json ?? false);
  const dir = fileStoreDir(options);
  const store = await openFileStore({ dir, readOnly: true });
  try {
    const report = await store.verify();
    output.result(report, () =>
      [
        `${dir}: ${report.ok ? "every stream intact" : "PROBLEMS FOUND"} (${report.streams.length} streams)`,
        ...report.streams
          .filter((stream) => stream.status !== "ok")
          .map((stream) => `  ${describeDamage(stream)}`),
      ].join("\n"),
    );
    return report.ok ? EXIT_CODES.ok : EXIT_CODES.problemFound;
  } finally {
    await store.close();
  }
}

/** `trader store repair`: truncate torn tails (the removed bytes are kept under torn/). */
export async function storeRepairCommand(options: GlobalOptions): Promise<number> {
  const output = createOutput(options.json ?? false);
  const dir = fileStoreDir(options);
  const store = await openFileStore({ dir });
  try {
    const report = await store.repair();
    output.result(report, () => `${dir}: ${JSON.stringify(report)}`);
    return EXIT_CODES.ok;
  } finally {
    await store.close();
  }
}

/** `trader config check`: the effective config and where each value came from. */
export async function configCheckCommand(options: GlobalOptions): Promise<number> {
  const loaded = loadCliConfig(options);
  process.stdout.write(
    `${options.json ? effectiveConfigJson(loaded) : renderEffectiveConfig(loaded)}\n`,
  );
  return EXIT_CODES.ok;
}

/** `trader calendar --from --to`: NYSE sessions with their open and close. */
export async function calendarCommand(
  options: GlobalOptions & { from?: string; to?: string },
): Promise<number> {
  const output = createOutput(options.json ?? false);
  if (!options.from || !options.to)
    throw new CliError("calendar needs --from and --to (YYYY-MM-DD)", EXIT_CODES.usage);
  const engine = cliEngine(options);
  let sessions: ReturnType<typeof engine.calendar.sessions>;
  try {
    sessions = engine.calendar.sessions(options.from, options.to);
  } catch (error) {
    throw new CliError((error as Error).message, EXIT_CODES.usage);
  }
  output.result(
    sessions.map((session) => ({
      date: session.date,
      openUtc: session.openUtc,
      closeUtc: session.closeUtc,
    })),
    () =>
      table(
        ["date", "open (UTC)", "close (UTC)", ""],
        sessions.map((session) => [
          session.date,
          session.openUtc,
          session.closeUtc,
          session.earlyClose ? "early close" : "",
        ]),
      ),
  );
  return EXIT_CODES.ok;
}
