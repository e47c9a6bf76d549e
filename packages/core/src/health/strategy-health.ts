import { dateOfEpochDay, epochDay } from "../calendar/trading-calendar.js";
import { formatPercent } from "../format.js";
import { assertCents, type Cents, formatCents } from "../money.js";
import { DEFAULT_HEALTH_CONFIG, type HealthConfig } from "./config.js";

/** A closed trade of the strategy: its realized P&L and the date it closed (YYYY-MM-DD). */
export interface ClosedTrade {
  readonly closedOn: string;
  readonly pnlCents: Cents;
}

/** One day of the strategy's signal funnel: signals raised (RAW) and signals stopped. */
export interface FunnelDay {
  readonly date: string;
  readonly signals: number;
  readonly rejections: number;
}

export interface StrategyHealthInput {
  readonly strategy: string;
  /** The last date of both windows (inclusive). Trades and funnel days after it are ignored. */
  readonly asOf: string;
  /** The capital the strategy trades; the drawdown is a fraction of it. */
  readonly capitalCents: Cents;
  readonly trades: readonly ClosedTrade[];
  readonly funnel: readonly FunnelDay[];
}

export interface HealthWindow {
  /** Calendar days, ending on `to` inclusive. */
  readonly days: number;
  readonly from: string;
  readonly to: string;
  readonly trades: number;
  readonly signals: number;
  readonly rejections: number;
  /** rejections / signals; 0 when there were no signals. */
  readonly rejectionRate: number;
  readonly netPnlCents: Cents;
  /** Mean P&L per closed trade, cents (not rounded); null with no trades. */
  readonly expectancyCents: number | null;
  /** Share of trades with P&L > 0; null with no trades. */
  readonly winRate: number | null;
  /** Mean of the winning trades' P&L; null with none. */
  readonly averageWinCents: number | null;
  /** Mean of the losing trades' P&L (negative); null with none. */
  readonly averageLossCents: number | null;
  /** Gross wins / gross losses; null when nothing was lost. */
  readonly profitFactor: number | null;
  /**
   * Largest fall of cumulative closed-trade P&L from its running peak (which starts at 0),
   * trades taken in closing-date order; in cents and as a fraction of capital.
   */
  readonly maxDrawdownCents: Cents;
  readonly maxDrawdown: number;
}

export const HEALTH_STATUSES = ["HEALTHY", "WARNING", "DEGRADED", "CRITICAL"] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

/** Points per component; their sum, rounded to a whole number, is the score. */
export interface HealthComponents {
  readonly activity: number;
  readonly expectancy: number;
  readonly rejectionRate: number;
  readonly drawdown: number;
}

interface HealthBase {
  readonly strategy: string;
  readonly asOf: string;
  readonly short: HealthWindow;
  readonly long: HealthWindow;
}

export type StrategyHealth =
  | (HealthBase & {
      readonly status: "INSUFFICIENT_DATA";
      readonly score: null;
      readonly message: string;
    })
  | (HealthBase & {
      readonly status: HealthStatus;
      readonly score: number;
      readonly components: HealthComponents;
      /** Each component short of full points, in words with the numbers. */
      readonly findings: readonly string[];
      readonly message: string;
    });

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
const mean = (values: readonly number[]) =>
  values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;

function checkCount(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a whole number ≥ 0, got ${value}`);
  }
}

function measureWindow(input: StrategyHealthInput, days: number): HealthWindow {
  const last = epochDay(input.asOf);
  const first = last - days + 1;
  const within = (date: string) => {
    const day = epochDay(date);
    return day >= first && day <= last;
  };
  const trades = input.trades
    .map((trade, index) => ({ trade, index, day: epochDay(trade.closedOn) }))
    .filter(({ day }) => day >= first && day <= last)
    .sort((a, b) => a.day - b.day || a.index - b.index)
    .map(({ trade }) => trade.pnlCents);
  let signals = 0;
  let rejections = 0;
  for (const day of input.funnel) {
    if (!within(day.date)) continue;
    signals += day.signals;
    rejections += day.rejections;
  }
  const wins = trades.filter((pnl) => pnl > 0);
  const losses = trades.filter((pnl) => pnl < 0);
  const grossWins = wins.reduce((a, b) => a + b, 0);
  const grossLosses = -losses.reduce((a, b) => a + b, 0);
  let cumulative = 0;
  let peak = 0;
  let maxDrawdownCents = 0;
  for (const pnl of trades) {
    cumulative += pnl;
    peak = Math.max(peak, cumulative);
    maxDrawdownCents = Math.max(maxDrawdownCents, peak - cumulative);
  }
  return {
    days,
    from: dateOfEpochDay(first),
    to: input.asOf,
    trades: trades.length,
    signals,
    rejections,
    rejectionRate: signals === 0 ? 0 : rejections / signals,
    netPnlCents: grossWins - grossLosses,
    expectancyCents: mean(trades),
    winRate: trades.length === 0 ? null : wins.length / trades.length,
    averageWinCents: mean(wins),
    averageLossCents: mean(losses),
    profitFactor: grossLosses === 0 ? null : grossWins / grossLosses,
    maxDrawdownCents,
    maxDrawdown: maxDrawdownCents / input.capitalCents,
  };
}

function validate(input: StrategyHealthInput): void {
  epochDay(input.asOf);
  assertCents(input.capitalCents, "capitalCents");
  if (input.capitalCents <= 0) {
    throw new RangeError(`capitalCents must be > 0, got ${input.capitalCents}`);
  }
  for (const [index, trade] of input.trades.entries()) {
    epochDay(trade.closedOn);
    assertCents(trade.pnlCents, `trades[${index}].pnlCents`);
  }
  for (const [index, day] of input.funnel.entries()) {
    epochDay(day.date);
    checkCount(day.signals, `funnel[${index}].signals`);
    checkCount(day.rejections, `funnel[${index}].rejections`);
  }
}

/**
 * The score's components, all over the long (30-day) window, each linear and clamped:
 * - activity = 30 × min(1, trades / fullActivityTrades (10));
 * - expectancy = 0 when expectancy ≤ minExpectancy (0); otherwise
 *   30 × clamp((profit factor − 1) / (fullProfitFactor (1.5) − 1)), full when nothing was lost;
 * - rejection rate = 20 × clamp(1 − rejection rate / maxRejectionRate (0.8));
 * - drawdown = 20 × clamp(1 − max drawdown / maxDrawdown (10% of capital)).
 */
export function healthComponents(long: HealthWindow, config: HealthConfig): HealthComponents {
  const { points } = config;
  const expectancy = long.expectancyCents ?? 0;
  const edge =
    long.profitFactor === null
      ? 1
      : clamp01((long.profitFactor - 1) / (config.fullProfitFactor - 1));
  return {
    activity: points.activity * Math.min(1, long.trades / config.fullActivityTrades),
    expectancy: expectancy <= config.minExpectancyCents ? 0 : points.expectancy * edge,
    rejectionRate: points.rejectionRate * clamp01(1 - long.rejectionRate / config.maxRejectionRate),
    drawdown: points.drawdown * clamp01(1 - long.maxDrawdown / config.maxDrawdown),
  };
}

export function healthStatus(
  score: number,
  config: HealthConfig = DEFAULT_HEALTH_CONFIG,
): HealthStatus {
  if (score >= config.healthyFrom) return "HEALTHY";
  if (score >= config.warningFrom) return "WARNING";
  if (score >= config.degradedFrom) return "DEGRADED";
  return "CRITICAL";
}

function findingsOf(long: HealthWindow, config: HealthConfig): string[] {
  const findings: string[] = [];
  const days = `${long.days} days`;
  if (long.trades < config.fullActivityTrades) {
    findings.push(
      `${long.trades} trades in ${days} (full activity at ${config.fullActivityTrades})`,
    );
  }
  const expectancy = long.expectancyCents ?? 0;
  if (expectancy <= config.minExpectancyCents) {
    findings.push(
      `expectancy ${formatCents(Math.round(expectancy))} per trade ≤ minimum ${formatCents(Math.round(config.minExpectancyCents))}`,
    );
  } else if (long.profitFactor !== null && long.profitFactor < config.fullProfitFactor) {
    findings.push(
      `profit factor ${long.profitFactor.toFixed(2)} < ${config.fullProfitFactor.toFixed(2)}`,
    );
  }
  if (long.rejectionRate >= config.maxRejectionRate) {
    findings.push(
      `rejection rate ${formatPercent(long.rejectionRate)} ≥ max ${formatPercent(config.maxRejectionRate)}`,
    );
  }
  if (long.maxDrawdown > 0) {
    findings.push(
      `max drawdown ${formatPercent(long.maxDrawdown)} of capital (no points at ${formatPercent(config.maxDrawdown)})`,
    );
  }
  return findings;
}

/**
 * A strategy's health over the short (7-day) and long (30-day) windows of calendar days ending
 * on `asOf`, and its score 0–100 from the long window: HEALTHY ≥ 80, WARNING 60–79, DEGRADED
 * 40–59, CRITICAL < 40; fewer than `minTrades` (5) closed trades in the long window is
 * INSUFFICIENT_DATA with no score.
 */
export function strategyHealth(
  input: StrategyHealthInput,
  config: HealthConfig = DEFAULT_HEALTH_CONFIG,
): StrategyHealth {
  validate(input);
  const base: HealthBase = {
    strategy: input.strategy,
    asOf: input.asOf,
    short: measureWindow(input, config.shortWindowDays),
    long: measureWindow(input, config.longWindowDays),
  };
  const { long } = base;
  if (long.trades < config.minTrades) {
    return {
      ...base,
      status: "INSUFFICIENT_DATA",
      score: null,
      message: `${input.strategy}: insufficient data, ${long.trades} trades in ${long.days} days < ${config.minTrades} needed to score`,
    };
  }
  const components = healthComponents(long, config);
  const score = Math.round(
    components.activity + components.expectancy + components.rejectionRate + components.drawdown,
  );
  const status = healthStatus(score, config);
  return {
    ...base,
    status,
    score,
    components,
    findings: findingsOf(long, config),
    message: `${input.strategy}: ${status} (${score}/100)`,
  };
}
