import type { AccountStreamEvent } from "@trader/core";
import type { TypedEventStore } from "@trader/store";
import { readDay, recordedDays } from "./audit.js";

/** One execution, as the trade log lists it. */
export interface TradeLogRow {
  readonly date: string;
  readonly at: string;
  readonly runId: string;
  readonly intentId: string;
  readonly executionId: string;
  readonly strategy: string;
  readonly symbol: string;
  readonly side: "buy" | "sell";
  readonly quantity: number;
  readonly priceCents: number;
  /** The decision's expected price and the adverse slippage, when the fill was checked. */
  readonly expectedPrice: number | null;
  readonly slippage: number | null;
}

/**
 * Every fill of the account, oldest first, with the intent it belongs to (strategy, side) and the
 * slippage recorded for it: the trade log (`trader export --trades`).
 */
export async function tradeLog(
  store: TypedEventStore<AccountStreamEvent>,
  account: string,
  range: { readonly from?: string; readonly to?: string } = {},
): Promise<TradeLogRow[]> {
  const intents = new Map<
    string,
    { runId: string; strategy: string; symbol: string; side: "buy" | "sell" }
  >();
  const rows: TradeLogRow[] = [];
  for (const date of await recordedDays(store, account)) {
    if (range.to !== undefined && date > range.to) break;
    const inRange = range.from === undefined || date >= range.from;
    const pending: { row: TradeLogRow; index: number }[] = [];
    for (const event of await readDay(store, account, date)) {
      if (event.type === "IntentCreated") {
        const { intentId, runId, strategy, symbol, side } = event.data;
        intents.set(intentId, { runId, strategy, symbol, side });
      } else if (event.type === "IntentFillRecorded" && inRange) {
        const intent = intents.get(event.data.intentId);
        const row: TradeLogRow = {
          date,
          at: event.data.at,
          runId: intent?.runId ?? event.metadata.runId,
          intentId: event.data.intentId,
          executionId: event.data.executionId,
          strategy: intent?.strategy ?? "",
          symbol: intent?.symbol ?? "",
          side: intent?.side ?? "buy",
          quantity: event.data.quantity,
          priceCents: event.data.priceCents,
          expectedPrice: null,
          slippage: null,
        };
        pending.push({ row, index: rows.length });
        rows.push(row);
      } else if (event.type === "SlippageRecorded" && inRange) {
        // The slippage check follows its fill in the same batch: attach it to the latest fill of the intent.
        const match = pending.findLast(
          ({ row }) => row.intentId === event.data.intentId && row.slippage === null,
        );
        if (match) {
          rows[match.index] = {
            ...match.row,
            expectedPrice: event.data.expectedPrice,
            slippage: event.data.adverse,
          };
        }
      }
    }
  }
  return rows;
}

const CSV_COLUMNS = [
  "date",
  "at",
  "run_id",
  "intent_id",
  "execution_id",
  "strategy",
  "symbol",
  "side",
  "quantity",
  "price",
  "expected_price",
  "slippage",
] as const;

const csvCell = (value: string | number | null): string => {
  if (value === null) return "";
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** The trade log as CSV (RFC 4180), prices in dollars, slippage as a fraction. */
export function tradeLogCsv(rows: readonly TradeLogRow[]): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const row of rows) {
    lines.push(
      [
        row.date,
        row.at,
        row.runId,
        row.intentId,
        row.executionId,
        row.strategy,
        row.symbol,
        row.side,
        row.quantity,
        (row.priceCents / 100).toFixed(2),
        row.expectedPrice,
        row.slippage,
      ]
        .map(csvCell)
        .join(","),
    );
  }
  return `${lines.join("\n")}\n`;
}
