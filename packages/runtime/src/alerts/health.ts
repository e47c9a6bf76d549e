import {
  type AccountStreamEvent,
  type Cents,
  type ClosedTrade,
  DEFAULT_HEALTH_CONFIG,
  epochDay,
  type FunnelDay,
  formatCents,
  formatPercent,
  type HealthConfig,
  type HealthWindow,
  type StrategyHealth,
  strategyHealth,
  type TradingCalendar,
} from "@trader/core";
import { escapeHtml } from "./digest.js";

/** The event types strategy health reads; a caller may keep only these per day. */
export const HEALTH_EVENT_TYPES: ReadonlySet<string> = new Set([
  "AccountOpened",
  "GovernorEquityObserved",
  "IntentCreated",
  "IntentFillRecorded",
  "SignalRaised",
  "SignalStopped",
]);

/** One strategy's position in one symbol at average cost. */
interface Holding {
  quantity: number;
  costCents: number;
}

interface SellTrade {
  strategy: string;
  closedOn: string;
  pnlCents: number;
}

/**
 * Strategy health (SPEC §11) for every strategy seen in the account's day streams (date →
 * events, read in date order), as of `asOf`. Closed trades use the average-cost method per
 * strategy and symbol: a buy fill adds to the holding at its price; a sell fill closes up to the
 * held quantity at (fill − average cost), rounded to the cent, and one sell intent is one trade
 * (its fills summed, closed on the day of its last fill). Selling more than is held (a short) has
 * no cost basis and closes nothing. The funnel counts distinct signals raised and stopped per
 * strategy per day. The capital for the drawdown is the account's equity: the last
 * GovernorEquityObserved on or before `asOf`, else the cash of AccountOpened.
 */
export function strategyHealthFromEvents(
  days: ReadonlyMap<string, readonly AccountStreamEvent[]>,
  asOf: string,
  config: HealthConfig = DEFAULT_HEALTH_CONFIG,
): StrategyHealth[] {
  const last = epochDay(asOf);
  const dates = [...days.keys()]
    .map((date) => ({ date, day: epochDay(date) }))
    .filter(({ day }) => day <= last)
    .sort((a, b) => a.day - b.day)
    .map(({ date }) => date);

  const intents = new Map<string, { strategy: string; symbol: string; side: string }>();
  const holdings = new Map<string, Holding>();
  const sells = new Map<string, SellTrade>();
  const funnel = new Map<string, FunnelDay[]>();
  const strategies = new Set<string>();
  let capitalCents: Cents | null = null;

  for (const date of dates) {
    const raised = new Map<string, Set<string>>();
    const stopped = new Map<string, Set<string>>();
    const note = (byStrategy: Map<string, Set<string>>, strategy: string, signalId: string) => {
      strategies.add(strategy);
      const set = byStrategy.get(strategy) ?? new Set<string>();
      set.add(signalId);
      byStrategy.set(strategy, set);
    };
    for (const event of days.get(date) ?? []) {
      switch (event.type) {
        case "AccountOpened":
          capitalCents ??= event.data.cashCents;
          break;
        case "GovernorEquityObserved":
          capitalCents = event.data.equity;
          break;
        case "SignalRaised":
          note(raised, event.data.strategy, event.data.signalId);
          break;
        case "SignalStopped":
          note(stopped, event.data.strategy, event.data.signalId);
          break;
        case "IntentCreated":
          strategies.add(event.data.strategy);
          intents.set(event.data.intentId, event.data);
          break;
        case "IntentFillRecorded": {
          const intent = intents.get(event.data.intentId);
          if (!intent) break; // created before the events given: no strategy to credit
          const key = `${intent.strategy}\u0000${intent.symbol}`;
          const holding = holdings.get(key) ?? { quantity: 0, costCents: 0 };
          const { quantity, priceCents } = event.data;
          if (intent.side === "buy") {
            holding.quantity += quantity;
            holding.costCents += quantity * priceCents;
          } else {
            const closed = Math.min(quantity, holding.quantity);
            if (closed === 0) break;
            const averageCents = holding.costCents / holding.quantity;
            const trade = sells.get(event.data.intentId) ?? {
              strategy: intent.strategy,
              closedOn: date,
              pnlCents: 0,
            };
            trade.pnlCents += Math.round(closed * (priceCents - averageCents));
            trade.closedOn = date;
            sells.set(event.data.intentId, trade);
            holding.costCents -= closed * averageCents;
            holding.quantity -= closed;
          }
          holdings.set(key, holding);
          break;
        }
      }
    }
    for (const strategy of new Set([...raised.keys(), ...stopped.keys()])) {
      const days = funnel.get(strategy) ?? [];
      days.push({
        date,
        signals: raised.get(strategy)?.size ?? 0,
        rejections: stopped.get(strategy)?.size ?? 0,
      });
      funnel.set(strategy, days);
    }
  }

  if (strategies.size === 0) return [];
  if (capitalCents === null || capitalCents <= 0) {
    throw new RangeError(
      `strategyHealthFromEvents: no positive account equity (GovernorEquityObserved or AccountOpened) on or before ${asOf}; the drawdown needs the capital`,
    );
  }
  const capital = capitalCents;
  const trades = [...sells.values()];
  return [...strategies].sort().map((strategy) =>
    strategyHealth(
      {
        strategy,
        asOf,
        capitalCents: capital,
        trades: trades
          .filter((trade) => trade.strategy === strategy)
          .map(({ closedOn, pnlCents }): ClosedTrade => ({ closedOn, pnlCents })),
        funnel: funnel.get(strategy) ?? [],
      },
      config,
    ),
  );
}

/** The ISO week (Monday to Sunday) a date falls in, as the epoch day of its Monday. */
function isoWeekMonday(date: string): number {
  const day = epochDay(date);
  // Epoch day 0 (1970-01-01) was a Thursday: +3 makes Mondays ≡ 0 (mod 7).
  return day - ((((day + 3) % 7) + 7) % 7);
}

/** True when `tradingDate` is the last session of its ISO week: the next session is in a later week. */
export function isLastSessionOfWeek(calendar: TradingCalendar, tradingDate: string): boolean {
  return isoWeekMonday(calendar.nextSession(tradingDate)) > isoWeekMonday(tradingDate);
}

export interface WeeklyHealthSummary {
  readonly title: string;
  readonly text: string;
  readonly html: string;
}

function windowLine(window: HealthWindow): string {
  const winRate = window.winRate === null ? "n/a" : formatPercent(window.winRate);
  return `${window.days}d (${window.from}..${window.to}): ${window.trades} trades, net ${formatCents(window.netPnlCents)}, win rate ${winRate}, ${window.rejections}/${window.signals} signals rejected (${formatPercent(window.rejectionRate)}), max drawdown ${formatCents(window.maxDrawdownCents)}`;
}

/**
 * The weekly strategy-health summary (SPEC §11, §14), one section per strategy: its status and
 * score, both windows' numbers, and what cost it points; as text and HTML.
 */
export function weeklyHealthSummary(
  account: string,
  weekEnding: string,
  reports: readonly StrategyHealth[],
): WeeklyHealthSummary {
  epochDay(weekEnding);
  const title = `trader weekly health summary: ${account}, week ending ${weekEnding}`;
  const sections = reports.map((report) => ({
    heading: report.message,
    lines: [
      windowLine(report.short),
      windowLine(report.long),
      ...(report.score === null ? [] : report.findings),
    ],
  }));
  if (sections.length === 0) {
    sections.push({ heading: "No strategy", lines: ["no signal or order recorded yet"] });
  }
  const text = [
    title,
    "",
    ...sections.flatMap((s) => [s.heading, ...s.lines.map((l) => `  - ${l}`), ""]),
  ].join("\n");
  const html = [
    `<h1>${escapeHtml(title)}</h1>`,
    ...sections.map(
      (s) =>
        `<h2>${escapeHtml(s.heading)}</h2>\n<ul>\n${s.lines.map((l) => `  <li>${escapeHtml(l)}</li>`).join("\n")}\n</ul>`,
    ),
  ].join("\n");
  return { title: `Weekly health summary ${weekEnding}`, text, html };
}
