/**
 * Operator controls through the real `trader` command over the durable store (SPEC §3, §10):
 * the kill switch (entries blocked, exits allowed, reset lifts it), the emergency exit, and a
 * forced sync that adopts the broker's state after reconciliation fails.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  atDecisionTime,
  brokerOrders,
  calendar,
  type DesignedBar,
  designCloses,
  exportedDay,
  smaPaperConfig,
  tempDirs,
  tradeBehindTheEnginesBack,
  trader,
  traderJson,
  useRealClock,
  writeConfig,
  writePrices,
} from "./testing/cli-harness.js";

const dirs = tempDirs("operator");
afterEach(() => useRealClock());
afterAll(() => dirs.removeAll());

const ACCOUNT = "paper-1";
const DAY_ONE = "2026-11-10";
const DAY_TWO = "2026-11-11";
const DAY_THREE = "2026-11-12";

/** QQQ climbs 0.20 a session to 100.00 on day one; `pins` set later closes. */
const climbing = (pins: Readonly<Record<string, number>> = {}): DesignedBar[] =>
  designCloses("2026-09-01", "2026-11-30", (date, previous) => {
    if (date <= DAY_ONE) return 100 - 0.2 * calendar.sessionsBetween(date, DAY_ONE);
    return pins[date] ?? (previous as number) + 0.2;
  });

interface RunJson {
  outcome: string;
  cashCents: number;
  positions: { symbol: string; quantity: number }[];
}
interface WhyJson {
  why: {
    verdict: string;
    code?: string;
    bindingConstraint?: string;
    topReasons?: { stage: string; code: string }[];
  };
  context: string[];
}
interface StatusJson {
  killSwitch: {
    status: string;
    kills: { scope: string; level: string; cause: string; reason: string }[];
  };
  cashCents: number;
  positions: { symbol: string; quantity: number }[];
  lastReconciliation: { status: string; at: string } | null;
}

async function account(label: string, QQQ: readonly DesignedBar[]) {
  const root = await dirs.make();
  const storeDir = join(root, "store");
  const dataDir = join(root, "data");
  await writePrices(dataDir, { QQQ });
  const config = await writeConfig(
    root,
    smaPaperConfig({ account: ACCOUNT, storeDir, dataDir }),
    `${label}.json`,
  );
  const cli = (args: readonly string[]) => trader(["-c", config, ...args]);
  const json = <T>(args: readonly string[]) => traderJson<T>(["-c", config, ...args]);
  const run = (date: string) => {
    atDecisionTime(date);
    return json<RunJson>(["run", "--mode", "paper", "--date", date]);
  };
  const why = (date: string) => json<WhyJson>(["why", "--date", date]);
  const status = () => json<StatusJson>(["status"]);
  return { storeDir, dataDir, config, cli, json, run, why, status };
}

const held = (positions: readonly { symbol: string; quantity: number }[]) =>
  positions.map((position) => `${position.symbol} ${position.quantity}`);

describe("the kill switch", () => {
  it("blocks entries (why says kill_switch), lets a sell through, and reset lifts it", async () => {
    // Day two 101.00 (still up), day three 97.00: the 2-session average drops below the 4-session one.
    const { storeDir, cli, run, why, status } = await account(
      "kill",
      climbing({ [DAY_TWO]: 101, [DAY_THREE]: 97 }),
    );
    atDecisionTime(DAY_ONE);
    const kill = await cli(["kill", "--operator", "ann", "--reason", "data vendor outage"]);
    expect(kill.code).toBe(0);
    expect(kill.stdout).toContain("recorded KillSwitchActivated");
    expect((await status()).killSwitch).toEqual({
      status: "ENTRIES",
      kills: [{ scope: "global", level: "entries", cause: "manual", reason: "data vendor outage" }],
    });

    // The crossover wants 90% of the account: the kill switch stops the entry.
    expect(await run(DAY_ONE)).toMatchObject({ outcome: "no_trade", positions: [] });
    const blocked = await why(DAY_ONE);
    expect(blocked.why.verdict).toBe("all_stopped");
    expect(blocked.why.topReasons?.[0]).toMatchObject({ stage: "RISK", code: "kill_switch" });
    expect(blocked.why.bindingConstraint).toContain("kill switch (entries)");
    expect(blocked.why.bindingConstraint).toContain("ann via cli): data vendor outage");

    const reset = await cli(["reset", "--operator", "ann", "--reason", "vendor back"]);
    expect(reset.code).toBe(0);
    expect(reset.stdout).toContain("recorded KillSwitchReset");
    expect((await status()).killSwitch.status).toBe("INACTIVE");
    const again = await cli(["reset", "--operator", "ann", "--reason", "twice"]);
    expect(again.code).toBe(4);
    expect(again.stderr).toContain("refused (no_active_kill)");

    // Entries allowed again: 90% of $100,000 at $101.00.
    const bought = await run(DAY_TWO);
    expect(bought.outcome).toBe("traded");
    expect(held(bought.positions)).toEqual(["QQQ 891"]);

    // Killed again, the crossover turns down: the exit is not an entry, so it goes through.
    atDecisionTime(DAY_THREE);
    expect((await cli(["kill", "--operator", "ann", "--reason", "again"])).code).toBe(0);
    const sold = await run(DAY_THREE);
    expect(sold).toMatchObject({ outcome: "traded", positions: [] });
    expect((await why(DAY_THREE)).why.verdict).toBe("traded");
    expect((await status()).killSwitch.status).toBe("ENTRIES");
    expect(
      (await brokerOrders(storeDir, ACCOUNT)).map(({ side, quantity }) => `${side} ${quantity}`),
    ).toEqual(["buy 891", "sell 891"]);
  });

  it("emergency-exit flattens, sets the kill switch at level all, and records it all", async () => {
    const QQQ = climbing();
    const { storeDir, dataDir, config, cli, run, why, status } = await account("emergency", QQQ);
    expect(held((await run(DAY_ONE)).positions)).toEqual(["QQQ 900"]);

    const unattributed = await cli(["emergency-exit"]);
    expect(unattributed.code).toBe(2);

    // Broken market data does not stop an emergency exit: it warns and sells anyway.
    await writeFile(join(dataDir, "QQQ.csv"), "date,open,high,low,close,volume\n2026-11-10,x\n");
    const exit = await cli([
      "--json",
      "emergency-exit",
      "--operator",
      "ann",
      "--reason",
      "broker incident",
    ]);
    expect(exit.code).toBe(0);
    expect(exit.stderr).toContain("warning: bad market data:");
    await writePrices(dataDir, { QQQ });
    const report = JSON.parse(exit.stdout) as { flat: boolean };
    expect(report).toMatchObject({
      flat: true,
      sold: [{ symbol: "QQQ", quantity: 900 }],
      remaining: [],
    });
    const after = await status();
    expect(after.positions).toEqual([]);
    expect(after.cashCents).toBe(10_000_000);
    expect(after.killSwitch.status).toBe("ALL");
    expect(after.killSwitch.kills).toContainEqual(
      expect.objectContaining({ level: "all", reason: "emergency exit complete: broker incident" }),
    );
    expect(
      (await brokerOrders(storeDir, ACCOUNT)).map(({ side, quantity }) => `${side} ${quantity}`),
    ).toEqual(["buy 900", "sell 900"]);
    const recorded = await exportedDay(config, DAY_ONE);
    const types = recorded.map((event) => event.type);
    expect(types).toEqual(
      expect.arrayContaining([
        "EmergencyExitStarted",
        "IntentFillRecorded",
        "EmergencyExitCompleted",
      ]),
    );
    expect(types.indexOf("EmergencyExitStarted")).toBeLessThan(
      types.indexOf("EmergencyExitCompleted"),
    );
    expect(recorded.find((event) => event.type === "EmergencyExitCompleted")?.data).toMatchObject({
      flat: true,
      remaining: [],
    });

    // The next run buys nothing: the kill switch is at level all.
    expect(await run(DAY_TWO)).toMatchObject({ outcome: "no_trade", positions: [] });
    expect((await why(DAY_TWO)).why.topReasons?.[0]?.code).toBe("kill_switch");
    expect(await brokerOrders(storeDir, ACCOUNT)).toHaveLength(2);
  });
});

describe("trader sync --force", () => {
  it("adopts the broker's state after reconciliation fails; the next run reconciles and trades", async () => {
    const { storeDir, config, cli, json, run, why, status } = await account("sync", climbing());
    expect(held((await run(DAY_ONE)).positions)).toEqual(["QQQ 900"]);
    // Someone sells 300 shares at the broker directly, at $100.00.
    await tradeBehindTheEnginesBack(storeDir, ACCOUNT, {
      symbol: "QQQ",
      side: "sell",
      quantity: 300,
      price: 100,
    });

    // Reconciliation fails: nothing is traded (exit 3), the kill switch is pulled automatically.
    atDecisionTime(DAY_TWO);
    const refusedRun = await cli(["--json", "run", "--mode", "paper", "--date", DAY_TWO]);
    expect(refusedRun.code).toBe(3);
    expect(JSON.parse(refusedRun.stdout)).toMatchObject({ outcome: "no_trade" });
    const refused = await why(DAY_TWO);
    expect(refused.why).toMatchObject({ verdict: "aborted", code: "reconciliation_failed" });
    expect(refused.context.join("\n")).toContain("QQQ: broker holds 600 shares, projection 900");
    const failed = await status();
    expect(failed.lastReconciliation?.status).toBe("FAIL");
    expect(failed.killSwitch.kills).toEqual([
      expect.objectContaining({ scope: "global", cause: "reconciliation_failure" }),
    ]);
    expect(held(failed.positions)).toEqual(["QQQ 900"]);

    const unconfirmed = await cli(["sync", "--operator", "ann", "--reason", "manual sell"]);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain("pass --force to confirm");
    expect((await cli(["sync", "--force"])).code).toBe(2);

    const adopted = await json<{ events: { type: string; data: Record<string, unknown> }[] }>([
      "sync",
      "--force",
      "--operator",
      "ann",
      "--reason",
      "adopt the manual sell",
    ]);
    expect(adopted.events.map((event) => event.type)).toEqual([
      "BrokerStateAdopted",
      "KillSwitchCleared",
    ]);
    expect(adopted.events[0]?.data).toMatchObject({
      operator: "ann",
      reason: "adopt the manual sell",
      cashCents: 4_000_000,
      positions: [expect.objectContaining({ symbol: "QQQ", quantity: 600 })],
      previous: { cashCents: 1_000_000, positions: [expect.objectContaining({ quantity: 900 })] },
    });
    const synced = await status();
    expect(held(synced.positions)).toEqual(["QQQ 600"]);
    expect(synced.cashCents).toBe(4_000_000);
    expect(synced.killSwitch.status).toBe("INACTIVE");

    // The next run reconciles cleanly and trades back up to 90%.
    const next = await run(DAY_THREE);
    expect(next.outcome).toBe("traded");
    const reconciliation = (await exportedDay(config, DAY_THREE)).find(
      (event) => event.type === "ReconciliationRecorded",
    );
    expect(reconciliation?.data.status).toBe("PASS");
    expect((await status()).lastReconciliation?.status).toBe("PASS");
  });
});
