import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fold } from "../../decider/decider.js";
import { parseIsoInstant } from "../../ports/clock.js";
import { deepEqual } from "../../testing/deep-equal.js";
import { assertDeciderProperties } from "../../testing/properties.js";
import { type TradingBreakerConfig, tradingBreakerConfigSchema } from "./config.js";
import {
  createTradingBreaker,
  type TradingBreakerCommand,
  type TradingBreakerDecider,
} from "./decider.js";
import type { TradingBreakerEvent, TradingBreakerRule } from "./events.js";
import { type TradingBreakerState, tradingBreakerBlocks } from "./state.js";
import { TRADING_BREAKER_TABLE } from "./table.js";
import {
  commandOfStep,
  TRADING_BREAKER_START,
  type TradingBreakerCursor,
  type TradingBreakerStep,
  tradingBreakerCommand,
  tradingBreakerCommands,
  tradingBreakerStep,
} from "./testing.js";

/** No risk-increasing order while OPEN; the breaker never stops an exit. */
const blocksExactlyWhileOpen = (state: TradingBreakerState): string | null => {
  const increasing = tradingBreakerBlocks(state, "risk_increasing");
  if ((state.status === "OPEN") !== (increasing !== null)) {
    return `status ${state.status} but risk-increasing orders ${increasing ? "blocked" : "allowed"}`;
  }
  return tradingBreakerBlocks(state, "risk_reducing") ? "an exit was blocked" : null;
};

const CONFIGS: Record<string, Partial<TradingBreakerConfig>> = {
  defaults: {},
  "tight limits": {
    dailyDrawdown: 0.02,
    weeklyDrawdown: 0.03,
    totalDrawdown: 0.04,
    maxConsecutiveLosses: 3,
    maxApiErrors: 2,
    apiErrorWindowSeconds: 30,
    maxOrderFailures: 2,
    maxFailedTrades: 2,
    failedTradeWindowSeconds: 600,
  },
};

describe("trading breaker properties", () => {
  for (const [name, overrides] of Object.entries(CONFIGS)) {
    it(`obeys its table, keeps its invariants and rebuilds from its events (${name})`, () => {
      const config = tradingBreakerConfigSchema.parse(overrides);
      assertDeciderProperties({
        decider: createTradingBreaker({ config }),
        commands: tradingBreakerCommand(config),
        table: TRADING_BREAKER_TABLE,
        stateName: (state) => state.status,
        commandName: (command) => command.type,
        invariants: [blocksExactlyWhileOpen],
        parameters: { numRuns: 150 },
      });
    });
  }
});

// A reference model written plainly from SPEC §4: it keeps every input since the last reset
// and recomputes each limit from scratch.
interface Model {
  status: "CLOSED" | "OPEN";
  rule: TradingBreakerRule | null;
  /** Equity since the last reset; the first entry is the baseline (the reset's equity). */
  equities: { date: string; equity: number }[];
  losses: number;
  apiErrors: number[];
  orderFailures: number;
  failedTrades: number[];
}

const mondayOf = (date: string) => {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString().slice(0, 10);
};

const drawdown = (reference: number, equity: number) =>
  reference > 0 && equity < reference ? (reference - equity) / reference : 0;

const withinWindow = (times: number[], seconds: number) => {
  const latest = Math.max(...times);
  return times.filter((t) => latest - t <= seconds * 1000).length;
};

/** Applies a command to the model; false when the breaker must refuse it. */
function applyToModel(
  model: Model,
  command: TradingBreakerCommand,
  config: TradingBreakerConfig,
): boolean {
  const open = (rule: TradingBreakerRule) => {
    model.status = "OPEN";
    model.rule = rule;
  };
  const at = parseIsoInstant(command.at);
  if (command.type === "ResetBreaker") {
    if (command.operator.trim() === "" || command.reason.trim() === "" || model.status !== "OPEN") {
      return false;
    }
    const last = model.equities[model.equities.length - 1];
    Object.assign(model, {
      status: "CLOSED",
      rule: null,
      equities: last ? [last] : [],
      losses: 0,
      apiErrors: [],
      orderFailures: 0,
      failedTrades: [],
    });
    return true;
  }
  if (command.type === "ObserveEquity") {
    const last = model.equities[model.equities.length - 1];
    if (last && command.tradingDate < last.date) return false;
    model.equities.push({ date: command.tradingDate, equity: command.equity });
    if (model.status === "OPEN") return true;
    const earlier = (keep: (entry: { date: string }) => boolean) =>
      model.equities.slice(0, -1).filter(keep).pop() ?? model.equities[0];
    const week = mondayOf(command.tradingDate);
    const dayReference = earlier((entry) => entry.date < command.tradingDate)?.equity ?? 0;
    const weekReference = earlier((entry) => mondayOf(entry.date) < week)?.equity ?? 0;
    const peak = Math.max(...model.equities.map((entry) => entry.equity));
    if (drawdown(dayReference, command.equity) >= config.dailyDrawdown) open("daily_drawdown");
    else if (drawdown(weekReference, command.equity) >= config.weeklyDrawdown)
      open("weekly_drawdown");
    else if (drawdown(peak, command.equity) >= config.totalDrawdown) open("total_drawdown");
    return true;
  }
  if (model.status === "OPEN") return true;
  switch (command.type) {
    case "RecordTradeResult":
      model.losses = command.pnl < 0 ? model.losses + 1 : 0;
      if (model.losses >= config.maxConsecutiveLosses) open("consecutive_losses");
      break;
    case "RecordApiError":
      model.apiErrors.push(at);
      if (withinWindow(model.apiErrors, config.apiErrorWindowSeconds) >= config.maxApiErrors) {
        open("api_errors");
      }
      break;
    case "RecordOrderFailure":
      model.orderFailures += 1;
      if (model.orderFailures >= config.maxOrderFailures) open("order_failures");
      break;
    case "RecordFailedTrade":
      model.failedTrades.push(at);
      if (
        withinWindow(model.failedTrades, config.failedTradeWindowSeconds) >= config.maxFailedTrades
      ) {
        open("failed_trades");
      }
      break;
  }
  return true;
}

interface Real {
  state: TradingBreakerState;
  events: TradingBreakerEvent[];
  cursor: TradingBreakerCursor;
}

class BreakerStep implements fc.Command<Model, Real> {
  constructor(
    private readonly decider: TradingBreakerDecider,
    private readonly config: TradingBreakerConfig,
    private readonly step: TradingBreakerStep,
  ) {}
  check = () => true;
  run(model: Model, real: Real): void {
    const { command, cursor } = commandOfStep(real.cursor, this.step);
    real.cursor = cursor;
    const decision = this.decider.decide(command, real.state);
    const expectAccepted = applyToModel(model, command, this.config);
    expect(decision.ok, `accepted ${JSON.stringify(command)}`).toBe(expectAccepted);
    if (decision.ok) {
      real.events.push(...decision.events);
      real.state = fold(this.decider, decision.events, real.state);
    }
    expect(real.state.status).toBe(model.status);
    expect(real.state.trip?.rule ?? null).toBe(model.rule);
    expect(blocksExactlyWhileOpen(real.state)).toBeNull();
    // Rebuilding from every event emitted so far gives the live state.
    expect(deepEqual(fold(this.decider, real.events), real.state)).toBe(true);
  }
  toString = () => JSON.stringify(this.step);
}

describe("trading breaker against a reference model", () => {
  for (const [name, overrides] of Object.entries(CONFIGS)) {
    it(`opens on the same rule at the same step as the model, and only resets close it (${name})`, () => {
      const config = tradingBreakerConfigSchema.parse(overrides);
      const decider = createTradingBreaker({ config });
      const step = tradingBreakerStep(config).map((s) => new BreakerStep(decider, config, s));
      fc.assert(
        fc.property(fc.commands([step], { maxCommands: 80, size: "max" }), (commands) => {
          fc.modelRun(
            () => ({
              model: {
                status: "CLOSED" as const,
                rule: null,
                equities: [],
                losses: 0,
                apiErrors: [],
                orderFailures: 0,
                failedTrades: [],
              },
              real: { state: decider.initialState, events: [], cursor: TRADING_BREAKER_START },
            }),
            commands,
          );
        }),
        { numRuns: 60 },
      );
    });
  }

  it("the exported sequence arbitrary never moves time or trading dates backwards", () => {
    fc.assert(
      fc.property(tradingBreakerCommands(), (commands) =>
        commands.every((command, i) => {
          const previous = commands[i - 1];
          return !previous || parseIsoInstant(previous.at) <= parseIsoInstant(command.at);
        }),
      ),
      { numRuns: 50 },
    );
  });
});
