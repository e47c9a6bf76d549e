import { type Bar, type PriceHistory, parseIsoInstant } from "@trader/core";
import { createMemoryStore } from "@trader/store";
import { describe, expect, it } from "vitest";
import { typedAccountStore } from "../account/account-journal.js";
import { pullKill } from "../operator/operator-actions.js";
import { openTestAccount, scheduledWeights, TEST_CALENDAR } from "../testing/cycle-fixture.js";
import { collectMetrics } from "./metrics.js";

const DAY1 = "2026-03-02";
const DAY2 = "2026-03-03";
const DAY3 = "2026-03-04";

function flatHistory(): PriceHistory {
  const dates: string[] = [DAY3];
  while (dates.length < 300) dates.unshift(TEST_CALENDAR.previousSession(dates[0] as string));
  const bars: Bar[] = dates.map((date) => ({
    date,
    open: 100,
    high: 100,
    low: 100,
    close: 100,
    volume: 1_000_000,
  }));
  return { AAA: bars, BBB: bars };
}

/** A series' value in the exposition text, or undefined when the series is absent. */
function seriesValue(text: string, series: string): number | undefined {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("collectMetrics (issue #6): Prometheus series folded from the account's events", () => {
  it("after a few runs and a kill: runs, orders, funnel blocks, machine states, last run", async () => {
    const account = await openTestAccount({
      store: createMemoryStore(),
      history: flatHistory(),
      strategies: [
        scheduledWeights("holder", {
          [DAY1]: { AAA: 0.25 },
          [DAY3]: { AAA: 0.25, BBB: 0.2 },
        }),
      ],
    });
    const source = { store: account.store, model: account.model, account: account.account };
    const empty = await collectMetrics(source);
    expect(seriesValue(empty, 'trader_runs_total{outcome="traded",account="acct-test"}')).toBe(0);
    expect(
      seriesValue(empty, 'trader_last_successful_run_timestamp_seconds{account="acct-test"}'),
    ).toBe(0);

    await account.run(DAY1); // buys AAA
    await account.run(DAY2); // nothing to do
    await pullKill(
      {
        store: typedAccountStore(account.store),
        model: account.model,
        account: account.account,
        mode: "paper",
        clock: account.clock,
        tradingDate: DAY2,
        operator: "alice",
        reason: "testing metrics",
      },
      { source: "control_api" },
    );
    await account.run(DAY3); // wants BBB: stopped by the kill switch
    const text = await collectMetrics(source);
    const series = (name: string) => seriesValue(text, name);

    expect(series('trader_runs_total{outcome="traded",account="acct-test"}')).toBe(1);
    expect(series('trader_runs_total{outcome="no_trade",account="acct-test"}')).toBe(2);
    expect(series('trader_runs_total{outcome="failed",account="acct-test"}')).toBe(0);
    expect(series('trader_orders_total{status="CREATED",account="acct-test"}')).toBe(1);
    expect(series('trader_orders_total{status="FILLED",account="acct-test"}')).toBe(1);
    expect(series('trader_orders_total{status="REJECTED",account="acct-test"}')).toBe(0);
    expect(
      series('trader_risk_blocks_total{stage="RISK",reason="kill_switch",account="acct-test"}'),
    ).toBe(1);
    expect(series('trader_governor_state{state="NORMAL",account="acct-test"}')).toBe(1);
    expect(series('trader_governor_state{state="HALT",account="acct-test"}')).toBe(0);
    expect(series('trader_kill_switch_state{state="ENTRIES",account="acct-test"}')).toBe(1);
    expect(series('trader_kill_switch_state{state="INACTIVE",account="acct-test"}')).toBe(0);
    expect(series('trader_kill_switch_active_kills{account="acct-test"}')).toBe(1);
    expect(series('trader_trading_breaker_state{state="CLOSED",account="acct-test"}')).toBe(1);
    expect(series('trader_broker_breaker_state{state="CLOSED",account="acct-test"}')).toBe(1);
    // DAY3's run decided not to trade (everything it wanted was blocked): still a successful run.
    const lastRun = (await account.dayEvents(DAY3)).find((event) => event.type === "RunCompleted");
    expect(series('trader_last_successful_run_timestamp_seconds{account="acct-test"}')).toBe(
      parseIsoInstant(lastRun?.metadata.occurredAt as string) / 1000,
    );
    expect(text).toContain("# TYPE trader_runs_total counter");
    expect(text).toContain("# TYPE trader_governor_state gauge");
  });
});
