import type { Bar, PriceHistory } from "@trader/core";
import { createMemoryStore } from "@trader/store";
import { afterEach, describe, expect, it } from "vitest";
import { openTestAccount, scheduledWeights, TEST_CALENDAR } from "../testing/cycle-fixture.js";
import { signedRequest } from "./client.js";
import { CONTROL_PATHS, type ControlServer, controlServer } from "./server.js";

const SECRET = "remote-kill-switch-secret-of-at-least-32-bytes";
const HOLD = "2026-03-02";
const NEXT = "2026-03-03";

/** Three symbols flat at $100 for 300 sessions: every order is easy to predict. */
function flatHistory(): PriceHistory {
  const dates: string[] = [NEXT];
  while (dates.length < 300) dates.unshift(TEST_CALENDAR.previousSession(dates[0] as string));
  const bars: Bar[] = dates.map((date) => ({
    date,
    open: 100,
    high: 100,
    low: 100,
    close: 100,
    volume: 1_000_000,
  }));
  return { AAA: bars, BBB: bars, CCC: bars };
}

/** Holds AAA and BBB; the next day wants out of AAA, more BBB and a new CCC. */
const REBALANCER = scheduledWeights("rebalancer", {
  [HOLD]: { AAA: 0.25, BBB: 0.1 },
  [NEXT]: { AAA: 0, BBB: 0.25, CCC: 0.2 },
});

let server: ControlServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("a remote kill (control API, SPEC §14) stops the next cycle's entries, not its exits", () => {
  it("trigger through signedRequest, then the run sells AAA and buys nothing", async () => {
    const account = await openTestAccount({
      store: createMemoryStore(),
      history: flatHistory(),
      strategies: [REBALANCER],
    });
    expect((await account.run(HOLD)).outcome).toBe("traded");
    expect(Object.keys((await account.state()).positions).sort()).toEqual(["AAA", "BBB"]);

    server = await controlServer({
      store: account.store,
      model: account.model,
      account: account.account,
      clock: account.clock,
      secret: SECRET,
    });
    const triggered = await signedRequest({
      url: server.url,
      method: "POST",
      path: CONTROL_PATHS.trigger,
      body: { reason: "broker looks wrong", triggered_by: "alice" },
      secret: SECRET,
      clock: account.clock,
    });
    expect(triggered).toMatchObject({ status: 200, body: { status: "ENTRIES" } });
    const activation = (await account.dayEvents(HOLD)).find(
      (event) => event.type === "KillSwitchActivated",
    );
    expect(activation?.data).toMatchObject({
      source: "control_api",
      operator: "alice",
      reason: "broker looks wrong",
      level: "entries",
    });

    const ordersBefore = account.simulator.orders().length;
    await account.run(NEXT);
    const events = await account.dayEvents(NEXT);
    const stopped = events.filter((event) => event.type === "SignalStopped");
    const executed = events.filter((event) => event.type === "SignalExecuted");
    expect(
      stopped.map((event) => [event.data.symbol, event.data.stage, event.data.code]).sort(),
    ).toEqual([
      ["BBB", "RISK", "kill_switch"],
      ["CCC", "RISK", "kill_switch"],
    ]);
    expect(executed.map((event) => [event.data.symbol, event.data.side])).toEqual([
      ["AAA", "sell"],
    ]);
    const newOrders = account.simulator.orders().slice(ordersBefore);
    expect(newOrders.map((order) => [order.symbol, order.side])).toEqual([["AAA", "sell"]]);
    expect(Object.keys((await account.state()).positions)).toEqual(["BBB"]);
  });
});
