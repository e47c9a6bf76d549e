import { checkDataQuality, detectCorporateActions, weekdayCalendar } from "@trader/core";
import { describe, expect, it } from "vitest";
import { syntheticMarket } from "./synthetic-market.js";

describe("the synthetic market is clean data for the engine", () => {
  it("passes the data-quality gate and shows no split-like jump in any symbol", () => {
    const calendar = weekdayCalendar();
    const { history } = syntheticMarket({
      seed: 3,
      from: "2022-01-03",
      to: "2026-11-19",
      calendar,
    });
    const report = checkDataQuality({
      at: "2026-11-20T20:50:00.000Z",
      symbols: Object.entries(history).map(([symbol, bars]) => ({ symbol, bars })),
      calendar,
    });
    expect(report.summary.blocked).toEqual([]);
    expect(report.aborts).toEqual([]);
    for (const [symbol, bars] of Object.entries(history)) {
      expect(detectCorporateActions(symbol, bars).pass).toBe(true);
    }
  });
});
