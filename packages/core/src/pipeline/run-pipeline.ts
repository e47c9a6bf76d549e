import type { DomainEvent, Mode } from "../events/envelope.js";
import type { EventOf } from "../events/registry.js";
import { type PlannedOrder, planRebalance } from "../execution/rebalance-planner.js";
import { checkDataQuality, dataQualityVerdict } from "../gates/data-quality/gate.js";
import { deterministicId } from "../hash.js";
import { returnCorrelation } from "../indicators/return-correlation.js";
import { rollingStd } from "../indicators/rolling-std.js";
import type { Bar, PriceHistory, Quote } from "../market/bars.js";
import type { Cents } from "../money.js";
import { riskLimitsFor } from "../risk/config.js";
import { correlationGate } from "../risk/correlation-sizing.js";
import { applyOrders, type RiskPortfolio } from "../risk/portfolio.js";
import { runRiskGates } from "../risk/run-risk-gates.js";
import { intentBook } from "../safety/intents/decider.js";
import { intentTimeBucket } from "../safety/intents/intent-id.js";
import { killSwitchBlocks } from "../safety/kill-switch/state.js";
import type { PendingSignalCommand } from "../safety/pending-signals/commands.js";
import type { PendingSignalsDecider } from "../safety/pending-signals/decider.js";
import {
  type PendingSignal,
  type PendingSignalsState,
  signalsDueForReevaluation,
} from "../safety/pending-signals/state.js";
import type { SafetySnapshot } from "../safety/precedence/precedence.js";
import type { PositionView, Signal, Strategy } from "../strategy/api.js";
import { DEFAULT_PIPELINE_CONFIG, type PipelineConfig } from "./config.js";
import type { PIPELINE_EVENTS } from "./events.js";
import { dailyReturns, prepareMarket } from "./market-inputs.js";
import { pointInTimeSnapshot } from "./snapshot.js";
import type { StoppingStage } from "./stages.js";
import { runStrategy } from "./strategy-runner.js";

/** Everything one run decides from. The runtime records these as events before deciding. */
export interface PipelineInputs {
  readonly runId: string;
  readonly mode: Mode;
  /** The exchange trading date being decided, YYYY-MM-DD. */
  readonly tradingDate: string;
  /** The decision instant, ISO-8601 UTC. */
  readonly at: string;
  /** Daily bars per symbol, oldest first. Bars after `tradingDate` are never shown to strategies. */
  readonly history: PriceHistory;
  /** Current quotes (the 3:55 protocol); a second source for a symbol is cross-checked. */
  readonly quotes?: readonly Quote[];
  readonly account: {
    readonly cashCents: Cents;
    readonly positions: readonly PositionView[];
    /** Equity at the previous close: the daily-loss gate measures today from it. */
    readonly dayStartEquityCents: Cents;
    readonly buyingPowerCents?: Cents;
  };
  /** Kill switch, trading breaker and governor, as precedence reads them. */
  readonly safety: SafetySnapshot;
  /** The governor's sizing multiplier: 0 in HALT/PANIC, 0.5 in RAMPUP, 1 in NORMAL. */
  readonly sizingMultiplier: number;
  /**
   * Signals stopped by correlation or risk on earlier runs (SPEC §9). With it, such stops are
   * deferred as PENDING, pending signals are re-evaluated on each run (re-raised if the strategy
   * does not raise them again) and expire after the decay window; without it, stops are only
   * marked `pending` on their events.
   */
  readonly pendingSignals?: {
    readonly decider: PendingSignalsDecider;
    readonly state: PendingSignalsState;
  };
}

export interface DecidedOrder extends PlannedOrder {
  readonly strategy: string;
  readonly signalId: string;
  readonly intentId: string;
}

export interface PipelineResult {
  /** The run's decisions, in order: append them before acting on any. */
  readonly events: DomainEvent[];
  /** The orders to send, sells first, each with its intent id (the broker's client order id). */
  readonly orders: DecidedOrder[];
}

type PipelineEvent = EventOf<typeof PIPELINE_EVENTS>;

/** One symbol of one strategy's decision, as it travels the funnel. */
interface FunnelSignal {
  readonly signalId: string;
  readonly symbol: string;
  readonly targetWeight: number;
  readonly confidence: number;
  readonly regime: string;
}

const PENDING_CODES_STAGES: readonly StoppingStage[] = ["CORRELATION", "RISK"];
const PLANNER_CODES = new Set(["below_rebalance_threshold", "zero_shares_after_rounding"]);

/**
 * The decision pipeline (SPEC §7–§9) as one pure function: recorded inputs + account state +
 * config → the run's events and orders. Every signal passes RAW → DATA_QUALITY → REGIME →
 * CORRELATION → RISK → EXECUTED and ends as an order intent or stopped at exactly one stage with
 * one reason code. The same inputs give byte-identical events.
 */
export function runPipeline(
  strategies: readonly Strategy[],
  inputs: PipelineInputs,
  config: PipelineConfig = DEFAULT_PIPELINE_CONFIG,
): PipelineResult {
  const events: DomainEvent[] = [];
  const emit = (event: PipelineEvent | DomainEvent) => events.push(event);
  const orders: DecidedOrder[] = [];

  const window =
    Math.max(config.dataQuality.minHistoryBars, ...strategies.map((s) => s.historyBars)) + 1;
  const market = prepareMarket(
    inputs.history,
    inputs.quotes ?? [],
    inputs.tradingDate,
    config,
    window,
  );
  if (!market.ok) {
    emit({
      type: "RunAborted",
      data: {
        runId: inputs.runId,
        code: market.abort.code,
        message: market.abort.message,
        detail: market.abort.detail as Record<string, unknown>,
      },
    });
    return { events, orders };
  }
  const when = { at: inputs.at, session: inputs.tradingDate };
  let pendingState = inputs.pendingSignals?.state;
  // A refusal here is expected (e.g. a second run on the deferral day) and changes nothing.
  const decidePending = (command: PendingSignalCommand) => {
    if (!inputs.pendingSignals || !pendingState) return;
    const decision = inputs.pendingSignals.decider.decide(command, pendingState);
    if (!decision.ok) return;
    for (const event of decision.events) {
      pendingState = inputs.pendingSignals.decider.evolve(pendingState, event);
      emit(event);
    }
  };
  decidePending({ type: "ExpirePendingSignals", ...when });
  const snapshot = pointInTimeSnapshot(market.history, inputs.tradingDate, inputs.at);
  const barsOf = (symbol: string): readonly Bar[] => {
    try {
      return snapshot.bars(symbol);
    } catch {
      return [];
    }
  };
  const universe = [...new Set(strategies.flatMap((s) => s.universe))]
    .filter((s) => barsOf(s).length > 0)
    .sort();
  const quality = checkDataQuality(
    {
      at: inputs.at,
      symbols: universe.map((symbol) => ({ symbol, bars: barsOf(symbol).slice(-window) })),
      historyBars: window - 1,
    },
    config.dataQuality,
  );

  const prices: Record<string, number> = {};
  for (const symbol of Object.keys(market.history)) {
    const last = barsOf(symbol).at(-1);
    if (last) prices[symbol] = last.close;
  }
  // The account as the risk gates see it; updated as each accepted order is planned.
  let account: RiskPortfolio = {
    cashCents: inputs.account.cashCents,
    holdings: inputs.account.positions
      .filter((position) => position.quantity !== 0)
      .map((position) => ({
        symbol: position.symbol,
        strategy: position.strategy,
        quantity: position.quantity,
        price: prices[position.symbol] ?? position.averagePrice,
      })),
  };
  const returnsOf = (symbol: string, days: number) => dailyReturns(barsOf(symbol), days);
  let intents = intentBook.initialState;

  for (const strategy of strategies) {
    const portfolio = {
      cash: account.cashCents,
      equity: equityOf(account),
      positions: inputs.account.positions,
    };
    const outcome = runStrategy(strategy, snapshot, portfolio);
    if (!outcome.ok) {
      emit({
        type: "StrategyFailed",
        data: {
          strategy: strategy.name,
          kind: outcome.kind,
          message: outcome.message,
          detail: outcome.detail,
        },
      });
      continue;
    }
    const own = account.holdings.filter((holding) => holding.strategy === strategy.name);
    const due = new Map<string, PendingSignal>(
      (pendingState ? signalsDueForReevaluation(pendingState, inputs.tradingDate) : [])
        .filter((pending) => pending.strategy === strategy.name)
        .map((pending) => [pending.symbol, pending]),
    );
    const signals = withPendingReevaluations(
      funnelSignals(strategy.name, inputs.runId, outcome.signals, outcome.regime, own, account),
      due,
      outcome.regime,
    );
    emit({
      type: "StrategyDecided",
      data: { strategy: strategy.name, regime: outcome.regime, signals: signals.length },
    });

    const stop = (
      signal: FunnelSignal,
      stage: StoppingStage,
      code: string,
      message: string,
      detail: Record<string, unknown>,
    ) => {
      const pending = PENDING_CODES_STAGES.includes(stage) && !PLANNER_CODES.has(code);
      emit({
        type: "SignalStopped",
        data: {
          signalId: signal.signalId,
          strategy: strategy.name,
          symbol: signal.symbol,
          stage,
          code,
          message,
          detail,
          pending,
        },
      });
      if (due.has(signal.symbol)) {
        decidePending({
          type: "ReevaluateSignal",
          ...when,
          signalId: signal.signalId,
          outcome: { verdict: "blocked", stage, reason: code },
        });
      } else if (pending) {
        decidePending({
          type: "DeferSignal",
          ...when,
          signalId: signal.signalId,
          strategy: strategy.name,
          symbol: signal.symbol,
          stage: stage as "CORRELATION" | "RISK",
          reason: code,
          // What a later run needs to raise it again if the strategy does not.
          detail: {
            targetWeight: signal.targetWeight,
            confidence: signal.confidence,
            regime: signal.regime,
          },
        });
      }
    };

    const survivors: FunnelSignal[] = [];
    for (const signal of signals) {
      emit({
        type: "SignalRaised",
        data: {
          signalId: signal.signalId,
          strategy: strategy.name,
          symbol: signal.symbol,
          intent: { kind: "target_weight", weight: signal.targetWeight },
          confidence: signal.confidence,
          regime: signal.regime,
        },
      });
      const currentWeight = weightOf(account, strategy.name, signal.symbol);
      const increasing = signal.targetWeight > currentWeight;

      // DATA_QUALITY
      const verdict = universe.includes(signal.symbol)
        ? dataQualityVerdict(quality, signal.symbol)
        : null;
      if (!verdict?.pass) {
        stop(
          signal,
          "DATA_QUALITY",
          "data_quality",
          verdict?.pass === false
            ? verdict.message
            : `${signal.symbol}: no market data in this run`,
          verdict?.pass === false ? { ...verdict.detail } : {},
        );
        continue;
      }
      // REGIME
      if (increasing && config.disabledRegimes[strategy.name]?.includes(signal.regime)) {
        stop(
          signal,
          "REGIME",
          "regime_disabled",
          `${strategy.name} does not add risk in regime ${signal.regime}`,
          { regime: signal.regime },
        );
        continue;
      }
      const ownKill = increasing
        ? killSwitchBlocks(inputs.safety.killSwitch, {
            strategy: strategy.name,
            risk: "risk_increasing",
          })
        : null;
      if (ownKill?.code === "strategy_disabled") {
        stop(signal, "REGIME", "strategy_disabled", ownKill.message, { level: ownKill.level });
        continue;
      }
      // CORRELATION: only an increase can add correlated risk.
      let target = signal.targetWeight;
      if (increasing) {
        const held = account.holdings
          .filter((h) => h.quantity !== 0 && h.symbol !== signal.symbol)
          .map((h) => h.symbol);
        const correlations: Record<string, number> = {};
        for (const other of held)
          correlations[other] = correlationOf(
            barsOf(signal.symbol),
            barsOf(other),
            config.returnLookbackDays,
          );
        const sizing = correlationGate(
          { symbol: signal.symbol, heldSymbols: held, correlations },
          config.correlation,
        );
        if (!sizing.pass) {
          stop(signal, "CORRELATION", sizing.code, sizing.message, { ...sizing.detail });
          continue;
        }
        target = currentWeight + (signal.targetWeight - currentWeight) * sizing.multiplier;
      }
      survivors.push({ ...signal, targetWeight: target });
    }

    // RISK: plan the surviving targets, then gate each order in plan order (sells first).
    const targetWeights: Record<string, number> = {};
    for (const holding of own)
      targetWeights[holding.symbol] = weightOf(account, strategy.name, holding.symbol);
    for (const signal of survivors) targetWeights[signal.symbol] = signal.targetWeight;
    const planPrices: Record<string, number> = {};
    for (const symbol of Object.keys(targetWeights)) planPrices[symbol] = prices[symbol] as number;
    const plan = planRebalance(
      {
        cashCents: account.cashCents,
        holdings: Object.fromEntries(own.map((h) => [h.symbol, h.quantity])),
        prices: planPrices,
        targetWeights,
        // HALT/PANIC block entries through precedence; exits must still be planned, so 0 sizes nothing down.
        sizingMultiplier: inputs.sizingMultiplier === 0 ? 1 : inputs.sizingMultiplier,
      },
      config.rebalance,
    );
    const bySymbol = new Map(survivors.map((signal) => [signal.symbol, signal]));
    for (const skipped of plan.skipped) {
      const signal = bySymbol.get(skipped.symbol);
      if (!signal) continue;
      bySymbol.delete(skipped.symbol);
      stop(signal, "RISK", skipped.code, skipped.message, { ...skipped.detail });
    }
    const limits = riskLimitsFor(config.risk, strategy.name);
    for (const order of plan.orders) {
      const signal = bySymbol.get(order.symbol);
      if (!signal) continue;
      bySymbol.delete(order.symbol);
      const proposed = applyOrders(account, strategy.name, [order]);
      const held = [
        ...new Set(proposed.holdings.filter((h) => h.quantity !== 0).map((h) => h.symbol)),
      ];
      const gates = runRiskGates(
        {
          strategy: strategy.name,
          symbol: order.symbol,
          confidence: signal.confidence,
          current: account,
          proposed,
          dayStartEquityCents: inputs.account.dayStartEquityCents,
          ...(inputs.account.buyingPowerCents === undefined
            ? {}
            : { buyingPowerCents: inputs.account.buyingPowerCents }),
          dailyVolatility: Object.fromEntries(
            held.map((s) => [s, volatilityOf(returnsOf(s, config.volatilityDays))]),
          ),
          dailyReturns: alignedReturns(held, (s) => returnsOf(s, config.varLookbackDays)),
          safety: inputs.safety,
        },
        limits,
      );
      if (!gates.pass) {
        stop(signal, "RISK", gates.code, gates.message, { ...gates.detail, gate: gates.gate });
        continue;
      }
      // EXECUTED: the intent is decided (and deduplicated) by the intent book.
      const created = intentBook.decide(
        {
          type: "CreateIntent",
          at: inputs.at,
          runId: inputs.runId,
          strategy: strategy.name,
          symbol: order.symbol,
          side: order.side,
          targetQuantity: order.quantity,
          timeBucket: intentTimeBucket(inputs.at),
        },
        intents,
      );
      if (!created.ok) {
        stop(signal, "RISK", created.refusal.code, created.refusal.message, {
          ...created.refusal.detail,
        });
        continue;
      }
      for (const event of created.events) {
        intents = intentBook.evolve(intents, event);
        emit(event);
      }
      const intentId = intentIdOf(created.events);
      emit({
        type: "SignalExecuted",
        data: {
          signalId: signal.signalId,
          strategy: strategy.name,
          symbol: order.symbol,
          intentId,
          side: order.side,
          quantity: order.quantity,
          expectedPrice: order.expectedPrice,
        },
      });
      orders.push({ ...order, strategy: strategy.name, signalId: signal.signalId, intentId });
      if (due.has(signal.symbol)) {
        decidePending({
          type: "ReevaluateSignal",
          ...when,
          signalId: signal.signalId,
          outcome: { verdict: "executed" },
        });
      }
      account = proposed;
    }
    // Whatever is left reached the planner without an order or a skip: already at its target.
    for (const signal of bySymbol.values()) {
      stop(
        signal,
        "RISK",
        "below_rebalance_threshold",
        `${signal.symbol} is already at its target weight`,
        {},
      );
    }
  }
  return { events, orders };
}

function equityOf(account: RiskPortfolio): Cents {
  return (
    account.cashCents +
    account.holdings.reduce((sum, h) => sum + Math.round(h.quantity * h.price * 100), 0)
  );
}

/** A strategy's current weight in a symbol, as a fraction of account equity. */
function weightOf(account: RiskPortfolio, strategy: string, symbol: string): number {
  const equity = equityOf(account);
  if (equity <= 0) return 0;
  const value = account.holdings
    .filter((h) => h.strategy === strategy && h.symbol === symbol)
    .reduce((sum, h) => sum + h.quantity * h.price * 100, 0);
  return value / equity;
}

/**
 * Splits a strategy's decision into one funnel signal per symbol, each a target weight: target
 * weights as given (held symbols left out are targeted at 0), an entry adds its fraction of
 * equity to the current weight, an exit removes its fraction of the position.
 */
function funnelSignals(
  strategy: string,
  runId: string,
  signals: readonly Signal[],
  regime: string,
  own: RiskPortfolio["holdings"],
  account: RiskPortfolio,
): FunnelSignal[] {
  const bySymbol = new Map<string, FunnelSignal>();
  const put = (
    symbol: string,
    targetWeight: number,
    confidence: number,
    signalRegime: string | undefined,
  ) =>
    bySymbol.set(symbol, {
      signalId: deterministicId([runId, strategy, symbol]),
      symbol,
      targetWeight: Math.min(1, Math.max(0, targetWeight)),
      confidence,
      regime: signalRegime ?? regime,
    });
  for (const signal of signals) {
    if (signal.kind === "target_weights") {
      for (const holding of own)
        if (!(holding.symbol in signal.weights))
          put(holding.symbol, 0, signal.confidence, signal.regime);
      for (const [symbol, weight] of Object.entries(signal.weights))
        put(symbol, weight, signal.confidence, signal.regime);
    } else {
      const current = weightOf(account, strategy, signal.symbol);
      const target =
        signal.kind === "entry" ? current + signal.fraction : current * (1 - signal.fraction);
      put(signal.symbol, target, signal.confidence, signal.regime);
    }
  }
  return [...bySymbol.values()].sort((a, b) =>
    a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0,
  );
}

/**
 * Today's funnel signals plus the re-evaluations of pending ones: a symbol the strategy raises
 * again keeps its pending signal's id; one it does not is raised again from what was deferred.
 */
function withPendingReevaluations(
  signals: readonly FunnelSignal[],
  due: ReadonlyMap<string, PendingSignal>,
  regime: string,
): FunnelSignal[] {
  const result = signals.map((signal) => {
    const pending = due.get(signal.symbol);
    return pending ? { ...signal, signalId: pending.signalId } : signal;
  });
  for (const [symbol, pending] of due) {
    if (result.some((signal) => signal.symbol === symbol)) continue;
    const { targetWeight, confidence } = pending.stoppedBy.detail;
    if (typeof targetWeight !== "number" || typeof confidence !== "number") continue;
    const deferredRegime = pending.stoppedBy.detail.regime;
    result.push({
      signalId: pending.signalId,
      symbol,
      targetWeight,
      confidence,
      regime: typeof deferredRegime === "string" ? deferredRegime : regime,
    });
  }
  return result.sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
}

/** Pearson ρ of daily returns over the lookback; 0 when the series are too short to say. */
function correlationOf(a: readonly Bar[], b: readonly Bar[], days: number): number {
  const length = Math.min(a.length, b.length, days + 1);
  if (length < 3) return 0;
  const series = returnCorrelation(
    a.slice(-length).map((bar) => bar.close),
    b.slice(-length).map((bar) => bar.close),
    length - 1,
  );
  return series.at(-1) ?? 0;
}

function volatilityOf(returns: readonly number[]): number {
  if (returns.length < 2) return 0;
  return rollingStd(returns, returns.length).at(-1) ?? 0;
}

/** Return series cut to a common length, so every VaR scenario day lines up across symbols. */
function alignedReturns(
  symbols: readonly string[],
  returnsOf: (symbol: string) => number[],
): Record<string, number[]> {
  const series = symbols.map((symbol) => [symbol, returnsOf(symbol)] as const);
  const length = Math.min(...series.map(([, returns]) => returns.length));
  return Object.fromEntries(
    series.map(([symbol, returns]) => [symbol, returns.slice(returns.length - length)]),
  );
}

/** The id the intent book gave the intent it just created. */
function intentIdOf(events: readonly { readonly data: unknown }[]): string {
  const data = events[0]?.data as { intentId?: unknown } | undefined;
  if (typeof data?.intentId !== "string") throw new Error("intent book created no intent: a bug");
  return data.intentId;
}
