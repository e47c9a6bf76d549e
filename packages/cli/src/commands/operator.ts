import { KILL_LEVELS, type KillLevel, type PriceHistory } from "@trader/core";
import {
  closesOn,
  emergencyExit,
  forceSync,
  OperatorActionRefused,
  type OperatorContext,
  override,
  pullKill,
  resetKill,
  signedRequest,
  typedAccountStore,
} from "@trader/runtime";
import type { EventStore } from "@trader/store";
import { STRATEGIES } from "@trader/strategies";
import {
  cliBroker,
  cliEngine,
  type GlobalOptions,
  ledgerOf,
  loadMarket,
  systemClock,
  today,
  withStore,
} from "../context.js";
import { CliError, EXIT_CODES } from "../exit-codes.js";
import { createOutput } from "../output.js";

export interface OperatorOptions extends GlobalOptions {
  readonly operator?: string;
  readonly reason?: string;
  readonly strategy?: string;
  readonly level?: string;
  readonly mode?: string;
  /** A running control API to send the action to (signed), instead of the local store. */
  readonly remote?: string;
}

function attribution(options: OperatorOptions): { operator: string; reason: string } {
  if (!options.operator?.trim() || !options.reason?.trim()) {
    throw new CliError(
      "this action needs --operator <name> and --reason <why>: both are recorded with it",
      EXIT_CODES.usage,
    );
  }
  return { operator: options.operator, reason: options.reason };
}

async function act<T>(
  options: OperatorOptions,
  use: (
    context: OperatorContext,
    store: EventStore,
    engine: ReturnType<typeof cliEngine>,
  ) => Promise<T>,
): Promise<T> {
  const who = attribution(options);
  const engine = cliEngine(options);
  return withStore(engine, false, async (store) => {
    const context: OperatorContext = {
      store: typedAccountStore(store),
      model: engine.model,
      account: ledgerOf(engine, options),
      mode: options.mode === "live" ? "live" : options.mode === "dry-run" ? "dry-run" : "paper",
      clock: systemClock,
      tradingDate: today(engine),
      ...who,
    };
    try {
      return await use(context, store, engine);
    } catch (error) {
      if (error instanceof OperatorActionRefused) {
        throw new CliError(`refused (${error.code}): ${error.message}`, EXIT_CODES.refused);
      }
      throw error;
    }
  });
}

/** `--strategy` must name a known strategy: a kill on a typo would stop nothing (SPEC §3). */
function strategyScope(options: OperatorOptions): { strategy?: string } {
  if (options.strategy === undefined) return {};
  if (!Object.hasOwn(STRATEGIES, options.strategy)) {
    throw new CliError(
      `--strategy "${options.strategy}" is not a known strategy; known strategies: ${Object.keys(STRATEGIES).join(", ")}`,
      EXIT_CODES.usage,
    );
  }
  return { strategy: options.strategy };
}

/**
 * `--remote <url>`: the same action through a running control API (`trader serve`), signed with
 * KILL_SWITCH_SECRET (HMAC-SHA256; see docs/alerts-and-control.md).
 */
async function remoteCall(
  options: OperatorOptions,
  url: string,
  path: string,
  body: Record<string, unknown>,
): Promise<number> {
  const output = createOutput(options.json ?? false);
  const secret = process.env.KILL_SWITCH_SECRET;
  if (!secret)
    throw new CliError("--remote needs KILL_SWITCH_SECRET in the environment", EXIT_CODES.usage);
  let response: { status: number; body: unknown; text: string };
  try {
    response = await signedRequest({ url, method: "POST", path, body, secret, clock: systemClock });
  } catch (error) {
    throw new CliError(`--remote ${url}: ${(error as Error).message}`, EXIT_CODES.failure);
  }
  if (response.status === 401)
    throw new CliError(
      `${url}${path}: 401 (is KILL_SWITCH_SECRET the server's?)`,
      EXIT_CODES.usage,
    );
  if (response.status === 409) throw new CliError(`refused: ${response.text}`, EXIT_CODES.refused);
  if (response.status < 200 || response.status >= 300) {
    throw new CliError(
      `${url}${path}: HTTP ${response.status} ${response.text}`,
      EXIT_CODES.failure,
    );
  }
  output.result(response.body, () => `${url}${path}: ${response.status}\n${response.text}`);
  return EXIT_CODES.ok;
}

const describe = (events: readonly { type: string; data: unknown }[]) =>
  events.map((event) => `  recorded ${event.type}`).join("\n") || "  nothing changed";

/** `trader kill`: pull the kill switch (global, or --strategy), at --level entries|all. */
export async function killCommand(options: OperatorOptions): Promise<number> {
  const output = createOutput(options.json ?? false);
  if (options.level && !(KILL_LEVELS as readonly string[]).includes(options.level)) {
    throw new CliError(`--level must be one of ${KILL_LEVELS.join(", ")}`, EXIT_CODES.usage);
  }
  if (options.remote) {
    const who = attribution(options);
    return remoteCall(options, options.remote, "/api/v1/safety/kill-switch/trigger", {
      reason: who.reason,
      triggered_by: who.operator,
      ...(options.level ? { level: options.level } : {}),
      ...(options.strategy ? { strategy: options.strategy } : {}),
    });
  }
  const scope = strategyScope(options);
  const events = await act(options, (context) =>
    pullKill(context, {
      ...scope,
      ...(options.level ? { level: options.level as KillLevel } : {}),
    }),
  );
  output.result({ events }, () => `kill switch pulled\n${describe(events)}`);
  return EXIT_CODES.ok;
}

/** `trader reset`: lift the kills on a scope. */
export async function resetCommand(options: OperatorOptions): Promise<number> {
  const output = createOutput(options.json ?? false);
  if (options.remote) {
    const who = attribution(options);
    return remoteCall(options, options.remote, "/api/v1/safety/kill-switch/reset", {
      reason: who.reason,
      reset_by: who.operator,
      ...(options.strategy ? { strategy: options.strategy } : {}),
    });
  }
  const scope = strategyScope(options);
  const events = await act(options, (context) => resetKill(context, scope));
  output.result({ events }, () => `kill switch reset\n${describe(events)}`);
  return EXIT_CODES.ok;
}

const OVERRIDES = ["force-resume", "reset-governor", "reset-breaker"] as const;

/** `trader override <action>`: governor force resume / reset, trading breaker reset. */
export async function overrideCommand(action: string, options: OperatorOptions): Promise<number> {
  const output = createOutput(options.json ?? false);
  if (!(OVERRIDES as readonly string[]).includes(action)) {
    throw new CliError(`override action must be one of ${OVERRIDES.join(", ")}`, EXIT_CODES.usage);
  }
  const events = await act(options, (context) =>
    override(context, action as (typeof OVERRIDES)[number]),
  );
  output.result({ events }, () => `${action} recorded\n${describe(events)}`);
  return EXIT_CODES.ok;
}

async function brokerOf(
  engine: ReturnType<typeof cliEngine>,
  store: EventStore,
  context: OperatorContext,
  /** Given: bad market data is reported here and the broker's own prices are used instead. */
  warnWithoutMarketData?: (line: string) => void,
) {
  let history: PriceHistory = {};
  try {
    history = await loadMarket(engine, context.tradingDate);
  } catch (error) {
    if (!(warnWithoutMarketData && error instanceof CliError)) throw error;
    warnWithoutMarketData(`warning: ${error.message}; pricing from the broker's positions instead`);
  }
  const priceOf = closesOn(history, context.tradingDate);
  const broker = await cliBroker(engine, {
    store,
    mode: context.mode,
    clock: systemClock,
    env: process.env,
    marks: priceOf,
  });
  return { broker, priceOf };
}

/** `trader sync --force`: adopt the broker's positions and cash, audited (SPEC §10). */
export async function syncCommand(
  options: OperatorOptions & { readonly force?: boolean },
): Promise<number> {
  const output = createOutput(options.json ?? false);
  if (!options.force) {
    throw new CliError(
      "sync replaces the projection with the broker's state: pass --force to confirm",
      EXIT_CODES.usage,
    );
  }
  const events = await act(options, async (context, store, engine) => {
    const { broker } = await brokerOf(engine, store, context);
    return forceSync(context, broker);
  });
  output.result({ events }, () => `broker state adopted\n${describe(events)}`);
  return EXIT_CODES.ok;
}

/** `trader emergency-exit`: flatten everything, then kill at level `all` (SPEC §3). */
export async function emergencyExitCommand(options: OperatorOptions): Promise<number> {
  const output = createOutput(options.json ?? false);
  const report = await act(options, async (context, store, engine) => {
    // Bad market data must not stop an emergency exit: it sells at market either way.
    const { broker, priceOf } = await brokerOf(engine, store, context, (line) =>
      process.stderr.write(`${line}\n`),
    );
    return emergencyExit(context, broker, { slippage: engine.config.slippage, priceOf });
  });
  output.result(report, () =>
    [
      report.flat
        ? "emergency exit complete: flat, kill switch at level all"
        : "emergency exit INCOMPLETE",
      ...report.sold.map((sold) => `  sold ${sold.quantity} ${sold.symbol}`),
      ...report.remaining.map((held) => `  STILL HELD ${held.quantity} ${held.symbol}`),
      `  took ${report.elapsedMs} ms`,
    ].join("\n"),
  );
  return report.flat ? EXIT_CODES.ok : EXIT_CODES.failure;
}
