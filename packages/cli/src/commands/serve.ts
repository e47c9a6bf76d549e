import {
  type AlertsConfig,
  controlServer,
  createAlertChannels,
  createAlertDispatcher,
  dispatchPendingAlerts,
} from "@trader/runtime";
import { cliEngine, type GlobalOptions, ledgerOf, systemClock, withStore } from "../context.js";
import { CliError, EXIT_CODES } from "../exit-codes.js";
import { createOutput } from "../output.js";

/** Resolves when the process is asked to stop (Ctrl-C, SIGTERM). */
const untilStopped = () =>
  new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });

export interface ServeOptions extends GlobalOptions {
  readonly host?: string;
  readonly port?: string;
  readonly metricsPublic?: boolean;
}

/**
 * `trader serve`: the kill-switch control API and /metrics (SPEC §14) on 127.0.0.1 by default.
 * Refuses to start without KILL_SWITCH_SECRET of at least 32 bytes.
 */
export async function serveCommand(options: ServeOptions): Promise<number> {
  const output = createOutput(options.json ?? false);
  const engine = cliEngine(options);
  const port = Number(options.port ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new CliError(`--port "${options.port}" must be a whole number 0–65535`, EXIT_CODES.usage);
  }
  return withStore(engine, false, async (store) => {
    let server: Awaited<ReturnType<typeof controlServer>>;
    try {
      server = await controlServer({
        store,
        model: engine.model,
        account: ledgerOf(engine, options),
        clock: systemClock,
        secret: process.env.KILL_SWITCH_SECRET,
        host: options.host ?? "127.0.0.1",
        port,
        metricsPublic: options.metricsPublic ?? false,
        onError: (error: unknown) =>
          output.note(`control API: ${error instanceof Error ? error.message : String(error)}`),
      });
    } catch (error) {
      throw new CliError((error as Error).message, EXIT_CODES.usage);
    }
    output.note(`control API listening on ${server.url} (Ctrl-C stops it)`);
    await untilStopped();
    await server.close();
    return EXIT_CODES.ok;
  });
}

/**
 * `trader alerts [--once]`: deliver the alerts the account's events raise, each once (SPEC §14).
 * Long-running by default (follows the store); `--once` delivers what is pending and exits (cron).
 */
export async function alertsCommand(
  options: GlobalOptions & { readonly once?: boolean },
): Promise<number> {
  const output = createOutput(options.json ?? false);
  const engine = cliEngine(options);
  const config: AlertsConfig = engine.config.alerts;
  return withStore(engine, false, async (store) => {
    const channels = createAlertChannels(config, { env: process.env });
    const checkpoint = { name: ledgerOf(engine, options) };
    if (options.once) {
      const summary = await dispatchPendingAlerts({
        store,
        channels,
        config,
        clock: systemClock,
        checkpoint,
      });
      output.result(
        summary,
        () => `alerts: ${summary.sent} delivered, ${summary.failed} failed (retried next time)`,
      );
      return summary.failed > 0 ? EXIT_CODES.failure : EXIT_CODES.ok;
    }
    const dispatcher = createAlertDispatcher({
      store,
      channels,
      config,
      clock: systemClock,
      checkpoint,
      onError: (error) => output.note(`alerts: ${error.message}`),
    });
    await dispatcher.start();
    output.note("alerts: following the store (Ctrl-C stops)");
    await untilStopped();
    await dispatcher.stop();
    return EXIT_CODES.ok;
  });
}
