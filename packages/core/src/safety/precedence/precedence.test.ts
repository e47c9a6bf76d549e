import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fold, runCommands } from "../../decider/decider.js";
import { createKillSwitch } from "../kill-switch/decider.js";
import type { KillSwitchEvent } from "../kill-switch/events.js";
import {
  effectiveKillLevel,
  type KillSwitchState,
  killSwitchBlocks,
} from "../kill-switch/state.js";
import { KILL_SWITCH_TEST_STRATEGIES, killSwitchCommands } from "../kill-switch/testing.js";
import { createTradingBreaker } from "../trading-breaker/decider.js";
import type { TradingBreakerEvent } from "../trading-breaker/events.js";
import type { TradingBreakerState } from "../trading-breaker/state.js";
import { tradingBreakerCommands } from "../trading-breaker/testing.js";
import { ORDER_RISKS, type OrderRisk } from "./order.js";
import {
  decideOrderPermission,
  type GovernorView,
  type OrderBlockCode,
  type PositionLimitsView,
  type SafetySnapshot,
} from "./precedence.js";

const killSwitch = createKillSwitch();
const breaker = createTradingBreaker();
const AT = "2026-11-12T20:50:00Z";

const kill = (
  scope: { kind: "global" } | { kind: "strategy"; strategy: string },
  level: "entries" | "all",
): KillSwitchEvent => {
  const key = scope.kind === "global" ? "global" : `strategy:${scope.strategy}`;
  return {
    type: "KillSwitchActivated",
    data: {
      killId: `${key}/manual:cli`,
      scope,
      cause: "manual",
      source: "cli",
      level,
      operator: "ana",
      reason: "testing precedence",
      evidence: {},
      at: AT,
    },
  };
};

const openBreaker: TradingBreakerEvent[] = [
  {
    type: "TradingBreakerEquityObserved",
    data: { tradingDate: "2026-11-11", equity: 100_000, at: AT },
  },
  {
    type: "TradingBreakerOpened",
    data: {
      rule: "api_errors",
      observed: 3,
      threshold: 3,
      windowSeconds: 60,
      message: "3 broker API errors within 60 s (limit 3)",
      otherBreaches: [],
      at: AT,
    },
  },
];

// The order is always strategy "alpha". Each row: the kill-switch state and what it should block.
interface KillRow {
  readonly name: string;
  readonly events: KillSwitchEvent[];
  readonly increasing: OrderBlockCode | null;
  readonly reducing: OrderBlockCode | null;
}
const KILL_ROWS: readonly KillRow[] = [
  { name: "no kill", events: [], increasing: null, reducing: null },
  {
    name: "global entries",
    events: [kill({ kind: "global" }, "entries")],
    increasing: "kill_switch",
    reducing: null,
  },
  {
    name: "global all",
    events: [kill({ kind: "global" }, "all")],
    increasing: "kill_switch",
    reducing: "kill_switch",
  },
  {
    name: "alpha entries",
    events: [kill({ kind: "strategy", strategy: "alpha" }, "entries")],
    increasing: "strategy_disabled",
    reducing: null,
  },
  {
    name: "alpha all",
    events: [kill({ kind: "strategy", strategy: "alpha" }, "all")],
    increasing: "strategy_disabled",
    reducing: "strategy_disabled",
  },
  {
    name: "beta all (another strategy)",
    events: [kill({ kind: "strategy", strategy: "beta" }, "all")],
    increasing: null,
    reducing: null,
  },
  {
    name: "global entries + alpha all",
    events: [
      kill({ kind: "global" }, "entries"),
      kill({ kind: "strategy", strategy: "alpha" }, "all"),
    ],
    increasing: "kill_switch",
    reducing: "strategy_disabled",
  },
];
const BREAKER_ROWS = [
  { name: "CLOSED", events: [] as TradingBreakerEvent[], increasing: null },
  { name: "OPEN", events: openBreaker, increasing: "circuit_open" as const },
];
const GOVERNOR_ROWS: readonly { view: GovernorView; increasing: OrderBlockCode | null }[] = [
  { view: { status: "NORMAL" }, increasing: null },
  { view: { status: "RAMPUP" }, increasing: null },
  { view: { status: "HALT" }, increasing: "drawdown_halt" },
  { view: { status: "PANIC" }, increasing: "drawdown_panic" },
];
const LIMIT_ROWS: readonly {
  view: PositionLimitsView | undefined;
  increasing: OrderBlockCode | null;
}[] = [
  { view: undefined, increasing: null },
  { view: { breached: false }, increasing: null },
  {
    view: { breached: true, code: "position_limit_symbol", message: "TQQQ would be 34% > 30%" },
    increasing: "position_limit_symbol",
  },
];

describe("order permission precedence (SPEC §3): every combination", () => {
  const rows = KILL_ROWS.flatMap((killRow) =>
    BREAKER_ROWS.flatMap((breakerRow) =>
      GOVERNOR_ROWS.flatMap((governorRow) =>
        LIMIT_ROWS.flatMap((limitRow) =>
          ORDER_RISKS.map((risk) => ({ killRow, breakerRow, governorRow, limitRow, risk })),
        ),
      ),
    ),
  );

  it("covers 7 kill states × 2 breaker states × 4 governor states × 3 limit outcomes × 2 risks", () => {
    expect(rows).toHaveLength(336);
  });

  it.each(
    rows.map((row) => [
      `${row.risk}, kill: ${row.killRow.name}, breaker ${row.breakerRow.name}, governor ${row.governorRow.view.status}, limits ${row.limitRow.view?.breached ?? "n/a"}`,
      row,
    ]),
  )("%s", (_name, { killRow, breakerRow, governorRow, limitRow, risk }) => {
    const safety: SafetySnapshot = {
      killSwitch: fold(killSwitch, killRow.events),
      tradingBreaker: fold(breaker, breakerRow.events),
      governor: governorRow.view,
      ...(limitRow.view === undefined ? {} : { positionLimits: limitRow.view }),
    };
    // Strongest layer first; only the kill switch can stop a risk-reducing order.
    const expected =
      risk === "risk_reducing"
        ? killRow.reducing
        : (killRow.increasing ??
          breakerRow.increasing ??
          governorRow.increasing ??
          limitRow.increasing);
    const permission = decideOrderPermission(safety, { strategy: "alpha", symbol: "TQQQ", risk });
    expect(permission.allowed ? null : permission.reason.code).toBe(expected);
  });
});

describe("order permission: reasons in words", () => {
  const closed = breaker.initialState;
  const noKill = killSwitch.initialState;

  it("names the governor's state, drawdown and cooldown end as why-no-trade shows them", () => {
    const permission = decideOrderPermission(
      {
        killSwitch: noKill,
        tradingBreaker: closed,
        governor: {
          status: "HALT",
          detail: { since: "2026-11-12", drawdown: 0.084, cooldownEndsOn: "2026-11-26" },
        },
      },
      { strategy: "alpha", symbol: "TQQQ", risk: "risk_increasing" },
    );
    expect(permission).toEqual({
      allowed: false,
      reason: {
        code: "drawdown_halt",
        layer: "drawdown_governor",
        message:
          "HALT since 2026-11-12: drawdown 8.4%; cooldown ends 2026-11-26: new entries blocked",
        detail: {
          status: "HALT",
          since: "2026-11-12",
          drawdown: 0.084,
          cooldownEndsOn: "2026-11-26",
          alsoBlockedBy: [],
        },
      },
    });
  });

  it("reports the lower layers that also block, for why-no-trade", () => {
    const permission = decideOrderPermission(
      {
        killSwitch: fold(killSwitch, [kill({ kind: "global" }, "entries")]),
        tradingBreaker: fold(breaker, openBreaker),
        governor: { status: "PANIC" },
        positionLimits: { breached: true },
      },
      { strategy: "alpha", symbol: "TQQQ", risk: "risk_increasing" },
    );
    expect(permission.allowed).toBe(false);
    if (permission.allowed) return;
    expect(permission.reason.code).toBe("kill_switch");
    expect(permission.reason.message).toBe(
      "kill switch (entries) since 2026-11-12T20:50:00Z: manual (ana via cli): testing precedence",
    );
    expect(permission.reason.detail.alsoBlockedBy).toEqual([
      "circuit_open",
      "drawdown_panic",
      "position_limit_exceeded",
    ]);
  });

  it("the open breaker's reason names its rule and numbers", () => {
    const permission = decideOrderPermission(
      {
        killSwitch: noKill,
        tradingBreaker: fold(breaker, openBreaker),
        governor: { status: "NORMAL" },
      },
      { strategy: "alpha", symbol: "TQQQ", risk: "risk_increasing" },
    );
    expect(!permission.allowed && permission.reason).toMatchObject({
      code: "circuit_open",
      message:
        "trading circuit breaker open since 2026-11-12T20:50:00Z: 3 broker API errors within 60 s (limit 3)",
      detail: { rule: "api_errors", observed: 3, threshold: 3, since: AT },
    });
  });
});

describe("order permission: property over reachable states", () => {
  const killStates = killSwitchCommands({ maxLength: 30 }).map(
    (commands) => runCommands(killSwitch, commands).state,
  );
  const breakerStates = tradingBreakerCommands(undefined, { maxLength: 30 }).map(
    (commands) => runCommands(breaker, commands).state,
  );
  const governors = fc.record(
    {
      status: fc.constantFrom(
        "NORMAL" as const,
        "HALT" as const,
        "PANIC" as const,
        "RAMPUP" as const,
      ),
    },
    { requiredKeys: ["status"] },
  );
  const limits = fc.option(
    fc.record({
      breached: fc.boolean(),
      code: fc.constantFrom("position_limit_symbol" as const, "position_limit_count" as const),
    }),
    { nil: undefined },
  );
  const orders = fc.record({
    strategy: fc.constantFrom(...KILL_SWITCH_TEST_STRATEGIES, "gamma"),
    symbol: fc.constantFrom("TQQQ", "TMF"),
    risk: fc.constantFrom(...ORDER_RISKS),
  });

  /** The layers that block, strongest first, each judged on its own. */
  const activeLayers = (
    killState: KillSwitchState,
    breakerState: TradingBreakerState,
    governor: GovernorView,
    positionLimits: PositionLimitsView | undefined,
    strategy: string,
    risk: OrderRisk,
  ): string[] => {
    const layers: string[] = [];
    if (killSwitchBlocks(killState, { strategy, risk })) layers.push("kill_switch");
    if (risk === "risk_increasing") {
      if (breakerState.status === "OPEN") layers.push("trading_breaker");
      if (governor.status === "HALT" || governor.status === "PANIC")
        layers.push("drawdown_governor");
      if (positionLimits?.breached) layers.push("position_limits");
    }
    return layers;
  };

  it("the reason is always the strongest active block; exits pass unless a kill is at level all", () => {
    fc.assert(
      fc.property(
        killStates,
        breakerStates,
        governors,
        limits,
        orders,
        (k, b, governor, positionLimits, order) => {
          const safety: SafetySnapshot = {
            killSwitch: k,
            tradingBreaker: b,
            governor,
            ...(positionLimits === undefined ? {} : { positionLimits }),
          };
          const permission = decideOrderPermission(safety, order);
          const layers = activeLayers(k, b, governor, positionLimits, order.strategy, order.risk);
          expect(permission.allowed ? null : permission.reason.layer).toBe(layers[0] ?? null);
          if (order.risk === "risk_reducing") {
            expect(permission.allowed).toBe(effectiveKillLevel(k, order.strategy) !== "all");
          }
          if (!permission.allowed)
            expect(permission.reason.detail.alsoBlockedBy).toHaveLength(layers.length - 1);
        },
      ),
      { numRuns: 300 },
    );
  });
});
