/** `trader export --trades [--csv]`: the trade log, from the durable store, matches the broker. */
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  atDecisionTime,
  brokerOrders,
  calendar,
  designCloses,
  smaPaperConfig,
  tempDirs,
  trader,
  traderJson,
  useRealClock,
  writeConfig,
  writePrices,
} from "./testing/cli-harness.js";

const dirs = tempDirs("export-trades");
afterEach(() => useRealClock());
afterAll(() => dirs.removeAll());

const ACCOUNT = "log-1";
const BUY_DAY = "2026-11-09";
const SELL_DAY = "2026-11-12";
/** QQQ climbs (the crossover buys on BUY_DAY), then drops hard on SELL_DAY (it sells). */
const QQQ = designCloses("2026-09-01", "2026-12-31", (date) =>
  date < SELL_DAY ? 80 + 0.2 * calendar.sessionsBetween("2026-09-01", date) : 60,
);

describe("trader export --trades", () => {
  it("lists every fill with its intent, side, price and slippage; --csv renders it as CSV", async () => {
    const root = await dirs.make();
    const storeDir = join(root, "store");
    const dataDir = join(root, "data");
    await writePrices(dataDir, { QQQ });
    const config = await writeConfig(
      root,
      smaPaperConfig({
        account: ACCOUNT,
        storeDir,
        dataDir,
        tradingBreaker: { dailyDrawdown: 0.5, weeklyDrawdown: 0.6, totalDrawdown: 0.7 },
      }),
    );
    for (const date of [BUY_DAY, SELL_DAY]) {
      atDecisionTime(date);
      await traderJson(["-c", config, "run", "--mode", "paper", "--date", date]);
    }
    const orders = await brokerOrders(storeDir, ACCOUNT);
    expect(orders.map((order) => order.side)).toEqual(["buy", "sell"]);

    const log = await traderJson<{
      trades: {
        date: string;
        side: string;
        quantity: number;
        priceCents: number;
        slippage: number;
      }[];
    }>(["-c", config, "export", "--trades"]);
    expect(log.trades.map((trade) => [trade.date, trade.side, trade.quantity])).toEqual(
      orders.map((order) => [
        order.side === "buy" ? BUY_DAY : SELL_DAY,
        order.side,
        order.quantity,
      ]),
    );
    expect(log.trades.every((trade) => trade.slippage === 0)).toBe(true);

    const csv = await trader(["-c", config, "export", "--trades", "--csv"]);
    expect(csv.code).toBe(0);
    const lines = csv.stdout.trim().split("\n");
    expect(lines[0]).toBe(
      "date,at,run_id,intent_id,execution_id,strategy,symbol,side,quantity,price,expected_price,slippage",
    );
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain(`${SELL_DAY},`);
    expect(lines[2]).toContain(",sma-crossover,QQQ,sell,");
    expect(lines[2]).toContain(",60.00,60,0");

    const onlySell = await trader([
      "-c",
      config,
      "export",
      "--trades",
      "--csv",
      "--from",
      SELL_DAY,
    ]);
    expect(onlySell.stdout.trim().split("\n")).toHaveLength(2);
    expect((await trader(["-c", config, "export", "--csv"])).code).toBe(2);
  });
});
