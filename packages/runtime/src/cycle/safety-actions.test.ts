import type { Bar, PriceHistory } from "@trader/core";
import { createMemoryStore } from "@trader/store";
import { describe, expect, it } from "vitest";
import { openTestAccount, scheduledWeights, TEST_CALENDAR } from "../testing/cycle-fixture.js";

const HOLD = "2026-03-02";
const CRASH = "2026-03-03";
const AFTER = "2026-03-04";

/** Two symbols flat at $100 for a year, then both fall 25% on CRASH and stay there. */
function crashingHistory(): PriceHistory {
  const dates: string[] = [AFTER];
  while (dates.length < 300) dates.unshift(TEST_CALENDAR.previousSession(dates[0] as string));
  const bars = (fallTo: number): Bar[] =>
    dates.map((date) => {
      const close = date >= CRASH ? fallTo : 100;
      return { date, open: close, high: close, low: close, close, volume: 1_000_000 };
    });
  return { AAA: bars(75), BBB: bars(75) };
}

/** Holds 25% each of AAA and BBB from HOLD on (the default per-symbol limit is 30%). */
const HOLDER = scheduledWeights("holder", { [HOLD]: { AAA: 0.25, BBB: 0.25 } });

const typesOf = (events: readonly { type: string }[]) => events.map((event) => event.type);

describe("flatten-on-panic (SPEC §2)", () => {
  it("a 12.5% drawdown panics the governor and every position is sold in the same run", async () => {
    const account = await openTestAccount({
      store: createMemoryStore(),
      history: crashingHistory(),
      strategies: [HOLDER],
    });
    expect((await account.run(HOLD)).outcome).toBe("traded");
    expect(Object.keys((await account.state()).positions).sort()).toEqual(["AAA", "BBB"]);

    const crash = await account.run(CRASH);
    const events = await account.dayEvents(CRASH);
    const types = typesOf(events);
    expect(types).toContain("GovernorPanicked");
    expect(types.filter((type) => type === "GovernorFlattenRequested")).toHaveLength(2);
    expect(types.filter((type) => type === "FlattenOrdered")).toHaveLength(2);
    // Recorded before it is sent: each flatten order precedes its submission.
    expect(types.indexOf("FlattenOrdered")).toBeLessThan(types.lastIndexOf("IntentSubmitted"));
    const state = await account.state();
    expect(state.governor.status).toBe("PANIC");
    expect(state.positions).toEqual({});
    expect((await account.simulator.positions()).filter((p) => p.quantity !== 0)).toEqual([]);
    expect(crash.outcome).toBe("traded");
    // The sells went through the intent book as the governor's, at the day's close.
    const flattened = Object.values(state.intents.intents).filter(
      (intent) => intent.strategy === "drawdown-governor",
    );
    expect(flattened.map((intent) => [intent.symbol, intent.side, intent.status]).sort()).toEqual([
      ["AAA", "sell", "FILLED"],
      ["BBB", "sell", "FILLED"],
    ]);

    // The next day reconciles (the projection and the broker agree) and buys nothing back.
    await account.run(AFTER);
    const next = await account.dayEvents(AFTER);
    const reconciliation = next.find((event) => event.type === "ReconciliationRecorded");
    expect(reconciliation?.data).toMatchObject({ status: "PASS" });
    expect((await account.state()).positions).toEqual({});
  });

  it("with flattenOnPanic off, PANIC keeps the positions and blocks entries only", async () => {
    const { createAccountModel } = await import("@trader/core");
    const account = await openTestAccount({
      store: createMemoryStore(),
      history: crashingHistory(),
      strategies: [HOLDER],
      model: createAccountModel({ calendar: TEST_CALENDAR, governor: { flattenOnPanic: false } }),
    });
    await account.run(HOLD);
    await account.run(CRASH);
    const types = typesOf(await account.dayEvents(CRASH));
    expect(types).toContain("GovernorPanicked");
    expect(types).not.toContain("FlattenOrdered");
    expect(Object.keys((await account.state()).positions).sort()).toEqual(["AAA", "BBB"]);
  });
});

describe("pre-flight (SPEC §12)", () => {
  it("a failed check stops the run before it decides, recorded with the reason", async () => {
    const account = await openTestAccount({
      store: createMemoryStore(),
      history: crashingHistory(),
      strategies: [HOLDER],
      preflight: async () => [
        {
          name: "free_disk",
          ok: false,
          detail: "0.2 GiB free in .trader (more than 1.0 GiB needed)",
        },
      ],
    });
    const report = await account.run(HOLD);
    expect(report.outcome).toBe("preflight_failed");
    const events = await account.dayEvents(HOLD);
    expect(typesOf(events)).toEqual(
      expect.arrayContaining(["PreflightRecorded", "RunAborted", "RunCompleted"]),
    );
    expect(typesOf(events)).not.toContain("RunInputsRecorded");
    expect(events.find((event) => event.type === "RunAborted")?.data).toMatchObject({
      code: "preflight_failed",
      message: expect.stringContaining("free_disk: 0.2 GiB free"),
    });
    expect(account.simulator.orders()).toEqual([]);
  });

  it("passing checks are recorded and the run goes on", async () => {
    const account = await openTestAccount({
      store: createMemoryStore(),
      history: crashingHistory(),
      strategies: [HOLDER],
      preflight: async () => [{ name: "free_disk", ok: true, detail: "40.0 GiB free" }],
    });
    expect((await account.run(HOLD)).outcome).toBe("traded");
    const recorded = (await account.dayEvents(HOLD)).find(
      (event) => event.type === "PreflightRecorded",
    );
    expect(recorded?.data).toMatchObject({ checks: [{ name: "free_disk", ok: true }] });
  });
});

describe("the governor's market-data health check reads the data's age, not the run's", () => {
  it("marketDataUpdatedAt is the newest bar's close (capped at the run), not the run's clock", async () => {
    const history = crashingHistory();
    // No bar for AFTER: the data is a session old when AFTER's run decides.
    const stale = Object.fromEntries(
      Object.entries(history).map(([symbol, bars]) => [
        symbol,
        bars.filter((bar) => bar.date <= CRASH),
      ]),
    );
    const account = await openTestAccount({
      store: createMemoryStore(),
      history: stale,
      strategies: [HOLDER],
    });
    await account.run(HOLD);
    // HOLD's run decides at 20:50 UTC, before its bar's 21:00 close: the run's time caps it.
    expect((await account.state()).marketDataUpdatedAt).toBe(`${HOLD}T20:50:00.000Z`);
    await account.run(AFTER);
    expect((await account.state()).marketDataUpdatedAt).toBe(`${CRASH}T21:00:00.000Z`);
  });
});
