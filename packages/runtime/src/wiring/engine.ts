import {
  alpacaCredentialsFromEnv,
  type Broker,
  type BrokerLogger,
  createAlpacaBroker,
  decisionPriceFillModel,
  dryRunGuard,
  openPaperSimulator,
} from "@trader/brokers";
import {
  type AccountModel,
  type Clock,
  createAccountModel,
  type Mode,
  type NyseCalendar,
  nyseCalendar,
  type PriceHistory,
  type Strategy,
  sha256Hex,
} from "@trader/core";
import { createAlpacaMarketData, loadCsvDirectory, syntheticMarket } from "@trader/data";
import type { EventStore } from "@trader/store";
import { openStoreFromConfig } from "@trader/store-esdb";
import { strategyByName } from "@trader/strategies";
import { redacted, type TraderConfig } from "../config/index.js";
import { historySource, type MarketSource } from "../cycle/market-source.js";
import {
  DEFAULT_PROVIDER_HISTORY_SESSIONS,
  providerMarketSource,
} from "../cycle/provider-source.js";
import type { CycleSettings } from "../cycle/run-cycle.js";

/** Everything the config decides, built once: the thin apps and the CLI only wire this. */
export interface Engine {
  readonly config: TraderConfig;
  readonly calendar: NyseCalendar;
  readonly model: AccountModel;
  readonly strategies: readonly Strategy[];
  readonly settings: CycleSettings;
}

export function engineFrom(config: TraderConfig): Engine {
  const calendar = nyseCalendar();
  const model = createAccountModel({
    calendar,
    governor: config.governor,
    killSwitch: config.killSwitch,
    tradingBreaker: config.tradingBreaker,
    brokerBreaker: config.brokerBreaker,
    pendingSignals: config.pendingSignals,
  });
  const strategies = config.strategies.map((entry) => strategyByName(entry.name, entry.params));
  const settings: CycleSettings = {
    pipeline: config.pipeline,
    reconciliation: config.reconciliation,
    reconciliationEnabled: config.reconciliation.enabled,
    slippage: config.slippage,
    partialFillRetries: config.execution.partialFillRetries,
    brokerBreaker: config.brokerBreaker,
    tradingDisabled: config.tradingDisabled,
    strategyDisabledList: config.strategyDisabledList,
    effectiveConfig: redacted(config) as unknown as Record<string, unknown>,
  };
  return { config, calendar, model, strategies, settings };
}

export function openEngineStore(engine: Engine): Promise<EventStore> {
  return openStoreFromConfig(engine.config.store);
}

/** A stable integer seed from the config's seed text (the synthetic market wants an integer). */
export function numericSeed(seed: string): number {
  return Number.parseInt(sha256Hex(seed).slice(0, 12), 16);
}

/** Alpaca's market data as the config names it, with keys from the environment. */
function alpacaMarketData(
  feed: "iex" | "sip",
  timeoutMs: number,
  env: Readonly<Record<string, string | undefined>>,
) {
  const { keyId, secret } = alpacaCredentialsFromEnv(env);
  return createAlpacaMarketData({ keyId, secret, feed, timeoutMs });
}

/** The market history the config names, through `to` (CSV directory, synthetic market, Alpaca). */
export async function loadHistory(
  engine: Engine,
  to: string,
  env: Readonly<Record<string, string | undefined>> = {},
): Promise<PriceHistory> {
  const { data } = engine.config;
  if (data.kind === "csv") return loadCsvDirectory(data.dir);
  const last = engine.calendar.isSession(to) ? to : engine.calendar.previousSession(to);
  if (data.kind === "alpaca") {
    const symbols = [...new Set(engine.strategies.flatMap((strategy) => strategy.universe))];
    const start = sessionsBefore(engine, last, DEFAULT_PROVIDER_HISTORY_SESSIONS);
    return alpacaMarketData(data.feed, data.timeoutMs, env).dailyBars(symbols, start, last);
  }
  return syntheticMarket({
    seed: numericSeed(data.seed),
    from: data.from,
    to: last,
    calendar: engine.calendar,
  }).history;
}

function sessionsBefore(engine: Engine, date: string, count: number): string {
  let session = date;
  for (let i = 0; i < count; i++) session = engine.calendar.previousSession(session);
  return session;
}

/**
 * The cycle's market source: history served point in time for CSV and synthetic data; for
 * Alpaca, daily bars plus live quotes (the 3:55 protocol), cross-checked against a second feed
 * when one is configured.
 */
export async function marketSourceFor(
  engine: Engine,
  to: string,
  options: {
    readonly env?: Readonly<Record<string, string | undefined>>;
    readonly clock?: Clock;
  } = {},
): Promise<MarketSource> {
  const { data } = engine.config;
  if (data.kind === "alpaca") {
    const env = options.env ?? {};
    const primary = alpacaMarketData(data.feed, data.timeoutMs, env);
    const secondary = data.secondaryFeed
      ? alpacaMarketData(data.secondaryFeed, data.timeoutMs, env)
      : undefined;
    return providerMarketSource(primary, {
      ...(secondary ? { secondary } : {}),
      calendar: engine.calendar,
      ...(options.clock ? { clock: options.clock } : {}),
    });
  }
  return historySource(
    data.kind === "csv" ? `csv ${data.dir}` : `synthetic ${data.seed}`,
    await loadHistory(engine, to),
  );
}

export interface BrokerWiring {
  readonly store: EventStore;
  readonly mode: Mode;
  readonly clock: Clock;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Latest prices in dollars (the simulator values positions with them). */
  readonly marks: (symbol: string) => number | undefined;
  readonly logger?: BrokerLogger;
}

/**
 * The broker for a mode: the simulator or Alpaca as configured; in dry-run mode (or with
 * DRY_RUN) wrapped in the dry-run guard so no write reaches it.
 */
export async function brokerFor(engine: Engine, wiring: BrokerWiring): Promise<Broker> {
  const { broker: brokerConfig, account } = engine.config;
  let broker: Broker;
  if (brokerConfig.kind === "simulator") {
    broker = await openPaperSimulator({
      store: wiring.store,
      account,
      clock: wiring.clock,
      initialCashCents: Math.round(brokerConfig.initialCash * 100),
      fillModel: decisionPriceFillModel({
        slippageBps: brokerConfig.slippageBps,
        noiseBps: brokerConfig.noiseBps,
        seed: brokerConfig.seed,
      }),
      marks: wiring.marks,
      mode: wiring.mode,
    });
  } else {
    const credentials = alpacaCredentialsFromEnv(wiring.env, { paper: brokerConfig.paper });
    broker = createAlpacaBroker({
      ...credentials,
      // The SDK's own variable for another endpoint (a proxy, or a local test server).
      ...(wiring.env.APCA_API_BASE_URL ? { baseUrl: wiring.env.APCA_API_BASE_URL } : {}),
      timeoutMs: brokerConfig.timeoutMs,
      ...(wiring.logger ? { logger: wiring.logger } : {}),
    });
  }
  if (wiring.mode === "dry-run" || engine.config.dryRun) {
    return dryRunGuard(broker, {
      store: wiring.store,
      account,
      clock: wiring.clock,
      marks: wiring.marks,
      ...(wiring.logger ? { logger: wiring.logger } : {}),
    });
  }
  return broker;
}
