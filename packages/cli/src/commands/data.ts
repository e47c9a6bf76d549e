import { alpacaCredentialsFromEnv } from "@trader/brokers";
import { createAlpacaMarketData, lastClosedSession, updateCsvDirectory } from "@trader/data";
import { checkDate, cliEngine, type GlobalOptions, systemClock } from "../context.js";
import { CliError, EXIT_CODES } from "../exit-codes.js";
import { createOutput } from "../output.js";
import { progressReporter } from "../progress.js";

export interface DataUpdateOptions extends GlobalOptions {
  readonly data?: string;
  readonly through?: string;
  readonly symbols?: string;
  readonly feed?: string;
  readonly since?: string;
}

/**
 * `trader data update --data <dir>` (SPEC §18): append the sessions after each CSV file's last bar
 * from Alpaca's market data, through the last closed session; running it twice appends nothing.
 * Keys from APCA_API_KEY_ID / APCA_API_SECRET_KEY; APCA_API_DATA_URL points it elsewhere.
 */
export async function dataUpdateCommand(options: DataUpdateOptions): Promise<number> {
  const output = createOutput(options.json ?? false);
  const engine = cliEngine(options);
  const dir =
    options.data ?? (engine.config.data.kind === "csv" ? engine.config.data.dir : undefined);
  if (!dir)
    throw new CliError(
      "data update needs --data <csv dir> (or data.kind csv in the config)",
      EXIT_CODES.usage,
    );
  const feed =
    options.feed ?? (engine.config.data.kind === "alpaca" ? engine.config.data.feed : "iex");
  if (feed !== "iex" && feed !== "sip")
    throw new CliError(`--feed must be iex or sip, got "${feed}"`, EXIT_CODES.usage);
  let credentials: { keyId: string; secret: string };
  try {
    credentials = alpacaCredentialsFromEnv(process.env);
  } catch (error) {
    throw new CliError((error as Error).message, EXIT_CODES.usage);
  }
  const provider = createAlpacaMarketData({
    keyId: credentials.keyId,
    secret: credentials.secret,
    feed,
    ...(process.env.APCA_API_DATA_URL ? { baseUrl: process.env.APCA_API_DATA_URL } : {}),
  });
  const through = options.through
    ? checkDate(engine, "--through", options.through)
    : lastClosedSession(engine.calendar, systemClock.now());
  const progress = progressReporter("data update", { quiet: output.json });
  try {
    const report = await updateCsvDirectory(dir, provider, {
      through,
      calendar: engine.calendar,
      clock: systemClock,
      ...(options.symbols
        ? { symbols: options.symbols.split(",").map((symbol) => symbol.trim()) }
        : {}),
      ...(options.since ? { startForNewFiles: checkDate(engine, "--since", options.since) } : {}),
      onProgress: (done, total, detail) => progress.update(done, total, detail),
    });
    progress.stop();
    output.result(report, () =>
      [
        `${dir}: ${report.appended} bar(s) appended from ${report.provider}, through ${report.through}`,
        ...report.symbols.map(
          (symbol) =>
            `  ${symbol.symbol.padEnd(6)} ${symbol.previousLastDate ?? "(new)"} → ${symbol.lastDate ?? "-"}  +${symbol.appended}${symbol.missingSessions.length > 0 ? `  (no bar for ${symbol.missingSessions.join(", ")})` : ""}`,
        ),
      ].join("\n"),
    );
    return EXIT_CODES.ok;
  } catch (error) {
    progress.stop();
    throw new CliError(`data update: ${(error as Error).message}`, EXIT_CODES.failure);
  }
}
