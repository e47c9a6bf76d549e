/**
 * A multi-day paper session through the real `trader` command over the durable store (SPEC §2,
 * §7, §10): the drawdown governor goes NORMAL → HALT → (cooldown, failed health check, extension)
 * → RAMPUP → NORMAL, and `why` explains every idle day.
 */
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  atDecisionTime,
  brokerOrders,
  calendar,
  designCloses,
  exportedDay,
  smaPaperConfig,
  tempDirs,
  trader,
  traderJson,
  useRealClock,
  writeConfig,
  writePrices,
} from "./testing/cli-harness.js";

const dirs = tempDirs("paper-session");
afterEach(() => useRealClock());
afterAll(() => dirs.removeAll());

const ACCOUNT = "paper-1";
const FIRST_RUN = "2026-11-10";
const PEAK_DAY = "2026-11-11";
const HALT_DAY = "2026-11-12";

/**
 * QQQ climbs 0.20 a session to 100.00 on the first run (the SMA crossover buys 90%), peaks at
 * 101.00, drops to 91.00 (an 8.92% drawdown of the account: HALT, and the crossover sells),
 * then climbs 0.50 a session (the crossover wants back in while the governor says no).
 */
const QQQ = designCloses("2026-09-01", "2026-12-31", (date, previous) => {
  if (date <= FIRST_RUN) return 100 - 0.2 * calendar.sessionsBetween(date, FIRST_RUN);
  if (date === PEAK_DAY) return 101;
  if (date === HALT_DAY) return 91;
  return (previous as number) + 0.5;
});
const closeOn = (date: string) => QQQ.find((bar) => bar.date === date)?.close as number;

interface RunJson {
  runId: string;
  status: "completed" | "already_done";
  outcome: string;
  governor: string;
  cashCents: number;
  positions: { symbol: string; quantity: number }[];
}
interface WhyJson {
  date: string;
  why: {
    verdict: string;
    reason?: string;
    summary: string;
    bindingConstraint?: string;
    topReasons?: { stage: string; code: string; message: string }[];
  };
  context: string[];
}
interface StatusJson {
  governor: { status: string; description: string };
  killSwitch: { status: string };
  tradingBreaker: { status: string };
  cashCents: number;
  positions: { symbol: string; quantity: number }[];
}

async function paperAccount(label: string) {
  const root = await dirs.make();
  const storeDir = join(root, "store");
  const dataDir = join(root, "data");
  await writePrices(dataDir, { QQQ });
  // The 9.9% one-day drop would also open the trading circuit breaker (5% daily drawdown); it is
  // configured out of the way so this session exercises the governor alone.
  const config = await writeConfig(
    root,
    smaPaperConfig({
      account: ACCOUNT,
      storeDir,
      dataDir,
      tradingBreaker: { dailyDrawdown: 0.15, weeklyDrawdown: 0.2, totalDrawdown: 0.3 },
    }),
    `${label}.json`,
  );
  const run = async (date: string, env: Record<string, string> = {}) => {
    atDecisionTime(date);
    const report = await traderJson<RunJson>(
      ["-c", config, "run", "--mode", "paper", "--date", date],
      env,
    );
    const why = await traderJson<WhyJson>(["-c", config, "why", "--date", date]);
    const status = await traderJson<StatusJson>(["-c", config, "status"]);
    return { report, why, status };
  };
  return { storeDir, config, run };
}

const quantityOf = (positions: readonly { symbol: string; quantity: number }[]) =>
  positions.find((position) => position.symbol === "QQQ")?.quantity ?? 0;

describe("a multi-day paper session (run, why, status over the durable store)", () => {
  it("walks the governor through HALT, cooldown, a failed health check, RAMPUP and NORMAL", async () => {
    const { storeDir, config, run } = await paperAccount("governor");
    // The calendar facts the numbers below rest on: the cooldown skips Thanksgiving.
    const cooldownEnd = calendar.addSessions(HALT_DAY, 10);
    expect(cooldownEnd).toBe("2026-11-27");
    const extendedEnd = calendar.addSessions(cooldownEnd, 5);
    expect(extendedEnd).toBe("2026-12-04");
    const normalFrom = calendar.addSessions(extendedEnd, 5);
    expect(normalFrom).toBe("2026-12-11");

    // NORMAL: the crossover buys 90% of $100,000 at $100.00.
    const first = await run(FIRST_RUN);
    expect(first.report).toMatchObject({ outcome: "traded", governor: "NORMAL" });
    expect(quantityOf(first.report.positions)).toBe(900);
    expect(first.report.cashCents).toBe(1_000_000);

    const peak = await run(PEAK_DAY);
    expect(peak.report).toMatchObject({ outcome: "no_trade", governor: "NORMAL" });
    expect(peak.why.why.topReasons?.[0]?.code).toBe("below_rebalance_threshold");

    // 91.00: equity $91,900 against the $100,900 peak is an 8.92% drawdown: HALT. The
    // crossover turns down and sells; HALT blocks entries, never exits.
    const halt = await run(HALT_DAY);
    expect(halt.report).toMatchObject({ outcome: "traded", governor: "HALT", positions: [] });
    expect(halt.report.cashCents).toBe(9_190_000);
    expect(halt.why.why.verdict).toBe("traded");
    expect(halt.why.context).toContain(
      `HALT entered: drawdown 8.92%; cooldown ends ${cooldownEnd}`,
    );
    expect(halt.status.governor.description).toBe(
      `HALT since ${HALT_DAY}: drawdown 8.92%; cooldown ends ${cooldownEnd}`,
    );
    expect(halt.status.tradingBreaker.status).toBe("CLOSED");

    // The cooldown's sessions before its end: nothing trades. The first two the crossover is
    // still out (fast SMA below slow); from then on it wants back in and HALT says no.
    const cooldown = calendar
      .sessions(calendar.nextSession(HALT_DAY), calendar.previousSession(cooldownEnd))
      .map((session) => session.date);
    expect(cooldown).toHaveLength(9);
    for (const [index, date] of cooldown.entries()) {
      const day = await run(date);
      expect(day.report, date).toMatchObject({ outcome: "no_trade", governor: "HALT" });
      expect(day.why.why.verdict, date).toBe("all_stopped");
      if (index < 2) {
        expect(day.why.why.topReasons?.[0]?.code, date).toBe("below_rebalance_threshold");
      } else {
        expect(day.why.why.topReasons?.[0]?.code, date).toBe("drawdown_halt");
        expect(day.why.why.bindingConstraint, date).toBe(
          `HALT since ${HALT_DAY}: drawdown 8.92%; cooldown ends ${cooldownEnd}: new entries blocked`,
        );
      }
    }

    // The cooldown's end (an early close): the strategy is disabled, so "at least one strategy
    // enabled" fails and the cooldown runs on for 5 more sessions.
    const failed = await run(cooldownEnd, { STRATEGY_DISABLED_LIST: "sma-crossover" });
    expect(failed.report).toMatchObject({ outcome: "no_trade", governor: "HALT" });
    expect(failed.why.why.topReasons?.[0]?.code).toBe("strategy_disabled");
    expect(failed.why.context).toContain(
      `health checks failed (strategy_enabled): cooldown extended to ${extendedEnd}`,
    );
    expect(failed.status.governor.description).toBe(
      `HALT since ${HALT_DAY}: drawdown 8.92%; cooldown ends ${extendedEnd} (extended 1× after failed health checks: strategy_enabled)`,
    );

    // The strategy is enabled again (the variable is gone); the extension still holds.
    for (const date of calendar
      .sessions(calendar.nextSession(cooldownEnd), calendar.previousSession(extendedEnd))
      .map((session) => session.date)) {
      const day = await run(date);
      expect(day.report, date).toMatchObject({ outcome: "no_trade", governor: "HALT" });
      expect(day.status.killSwitch.status, date).toBe("INACTIVE");
      expect(day.why.why.topReasons?.[0]?.code, date).toBe("drawdown_halt");
      expect(day.why.why.bindingConstraint, date).toContain(`cooldown ends ${extendedEnd}`);
    }

    // The extended end: every check passes, RAMPUP at half size: 0.9 × 0.5 of $91,900.
    const rampUp = await run(extendedEnd);
    expect(rampUp.report).toMatchObject({ outcome: "traded", governor: "RAMPUP" });
    const halfSize = Math.floor((0.9 * 0.5 * 91_900) / closeOn(extendedEnd));
    expect(halfSize).toBe(419);
    expect(quantityOf(rampUp.report.positions)).toBe(halfSize);
    expect(rampUp.why.context).toContain(`RAMPUP: sizing × 0.5 until NORMAL on ${normalFrom}`);
    expect(rampUp.status.governor.description).toBe(
      `RAMPUP since ${extendedEnd}: sizing × 0.5; NORMAL from ${normalFrom}`,
    );

    // RAMPUP's other sessions: already at the half-size target.
    for (const date of calendar
      .sessions(calendar.nextSession(extendedEnd), calendar.previousSession(normalFrom))
      .map((session) => session.date)) {
      const day = await run(date);
      expect(day.report, date).toMatchObject({ outcome: "no_trade", governor: "RAMPUP" });
      expect(day.why.why.topReasons?.[0]?.code, date).toBe("below_rebalance_threshold");
      expect(day.why.why.bindingConstraint, date).toMatch(/target 45%$/);
    }

    // NORMAL: full size again, 90% of equity.
    const normal = await run(normalFrom);
    expect(normal.report).toMatchObject({ outcome: "traded", governor: "NORMAL" });
    expect(normal.why.context).toContain("NORMAL resumed: sizing × 1");
    const cashBefore = 91_900 - halfSize * closeOn(extendedEnd);
    const fullSize = Math.floor(
      (0.9 * (cashBefore + halfSize * closeOn(normalFrom))) / closeOn(normalFrom),
    );
    expect(fullSize).toBe(828);
    expect(quantityOf(normal.report.positions)).toBe(fullSize);
    expect(normal.status.governor.status).toBe("NORMAL");

    // What reached the broker: exactly these four orders, in this order.
    expect(
      (await brokerOrders(storeDir, ACCOUNT)).map(({ side, quantity }) => `${side} ${quantity}`),
    ).toEqual(["buy 900", "sell 900", `buy ${halfSize}`, `buy ${fullSize - halfSize}`]);
    // The governor's moves are events of the days they happened on.
    expect((await exportedDay(config, HALT_DAY)).map((event) => event.type)).toContain(
      "GovernorHalted",
    );
    expect((await exportedDay(config, extendedEnd)).map((event) => event.type)).toEqual(
      expect.arrayContaining([
        "GovernorHealthChecksPassed",
        "GovernorPeakRebased",
        "GovernorRampUpStarted",
      ]),
    );
    expect((await trader(["-c", config, "store", "verify"])).code).toBe(0);
  });

  it("runs one run id once: the second `run` for a date prints already done and sends nothing", async () => {
    const { storeDir, config } = await paperAccount("idempotent");
    atDecisionTime(FIRST_RUN);
    const args = ["-c", config, "run", "--mode", "paper", "--date", FIRST_RUN];
    const first = await trader(args);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`paper:${ACCOUNT}:${FIRST_RUN}:close: traded`);
    const second = await trader(args);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`paper:${ACCOUNT}:${FIRST_RUN}:close: already done (traded)`);
    const third = await traderJson<RunJson>(args);
    expect(third).toMatchObject({ status: "already_done", outcome: "traded" });

    expect(await brokerOrders(storeDir, ACCOUNT)).toEqual([
      expect.objectContaining({ symbol: "QQQ", side: "buy", quantity: 900 }),
    ]);
    const types = (await exportedDay(config, FIRST_RUN)).map((event) => event.type);
    expect(types.filter((type) => type === "RunStarted")).toHaveLength(1);
    expect(types.filter((type) => type === "IntentCreated")).toHaveLength(1);
    expect(types.filter((type) => type === "IntentFillRecorded")).toHaveLength(1);
  });

  it("records a holiday run as market closed, and says why a weekend has no run", async () => {
    const { config } = await paperAccount("closed");
    const thanksgiving = "2026-11-26";
    atDecisionTime(FIRST_RUN);
    expect((await traderJson<RunJson>(["-c", config, "run", "--date", FIRST_RUN])).outcome).toBe(
      "traded",
    );
    const closed = await trader(["-c", config, "--json", "run", "--date", thanksgiving]);
    expect(closed.code).toBe(0);
    expect(JSON.parse(closed.stdout)).toMatchObject({ outcome: "market_closed" });
    const holiday = await traderJson<WhyJson>(["-c", config, "why", "--date", thanksgiving]);
    expect(holiday.why).toMatchObject({ verdict: "no_run", reason: "market_closed" });
    const weekend = await traderJson<WhyJson>(["-c", config, "why", "--date", "2026-11-14"]);
    expect(weekend.why).toMatchObject({ verdict: "no_run", reason: "no_run_recorded" });
    expect(weekend.context).toEqual(["2026-11-14 is not a trading session (weekend)"]);
  });
});
