import { type Cents, formatCents, formatPercent, type WhyNoTrade } from "@trader/core";

export interface BacktestDay {
  readonly session: string;
  readonly outcome: string;
  /** Equity at the close, before the day's rebalance. */
  readonly equityCents: Cents;
  readonly fills: number;
  readonly governor: string;
  readonly why: WhyNoTrade;
}

export interface BacktestSummary {
  readonly from: string;
  readonly to: string;
  readonly sessions: number;
  readonly initialEquityCents: Cents;
  readonly finalEquityCents: Cents;
  readonly totalReturn: number;
  readonly cagr: number;
  readonly maxDrawdown: number;
  readonly trades: number;
  /** Changes of the governor's status from one session to the next, e.g. NORMAL→HALT. */
  readonly governorTransitions: readonly { session: string; from: string; to: string }[];
  readonly daysWithoutTrade: number;
  /** Why, grouped: "no_signal", "all_stopped: RISK/below_rebalance_threshold", ... → sessions. */
  readonly noTradeReasons: readonly { reason: string; days: number; example: string }[];
  readonly days: readonly BacktestDay[];
}

const DAY_MS = 86_400_000;

function reasonKey(why: WhyNoTrade): string {
  switch (why.verdict) {
    case "all_stopped": {
      const top = why.topReasons[0];
      return top ? `stopped at ${top.stage}: ${top.code}` : `stopped at ${why.stage}`;
    }
    case "aborted":
      return `aborted: ${why.code}`;
    case "no_run":
      return `no run: ${why.reason}`;
    case "no_signal":
      return "no signal";
    default:
      return why.verdict;
  }
}

export function summarizeBacktest(
  initialEquityCents: Cents,
  finalEquityCents: Cents,
  days: readonly BacktestDay[],
): BacktestSummary {
  const first = days[0];
  const last = days.at(-1);
  if (!first || !last) throw new RangeError("backtest summary: no sessions");
  let peak = initialEquityCents;
  let maxDrawdown = 0;
  for (const equity of [...days.map((day) => day.equityCents), finalEquityCents]) {
    peak = Math.max(peak, equity);
    if (peak > 0) maxDrawdown = Math.max(maxDrawdown, (peak - equity) / peak);
  }
  const totalReturn = finalEquityCents / initialEquityCents - 1;
  const years = Math.max(
    (Date.parse(`${last.session}T00:00:00Z`) - Date.parse(`${first.session}T00:00:00Z`)) /
      DAY_MS /
      365.25,
    1 / 365.25,
  );
  const cagr = (finalEquityCents / initialEquityCents) ** (1 / years) - 1;
  const governorTransitions: { session: string; from: string; to: string }[] = [];
  let status = "NORMAL";
  for (const day of days) {
    if (day.governor !== status) {
      governorTransitions.push({ session: day.session, from: status, to: day.governor });
      status = day.governor;
    }
  }
  const idle = days.filter((day) => day.why.verdict !== "traded");
  const grouped = new Map<string, { days: number; example: string }>();
  for (const day of idle) {
    const key = reasonKey(day.why);
    const entry = grouped.get(key);
    if (entry) entry.days++;
    else grouped.set(key, { days: 1, example: `${day.session}: ${day.why.summary}` });
  }
  return {
    from: first.session,
    to: last.session,
    sessions: days.length,
    initialEquityCents,
    finalEquityCents,
    totalReturn,
    cagr,
    maxDrawdown,
    trades: days.reduce((sum, day) => sum + day.fills, 0),
    governorTransitions,
    daysWithoutTrade: idle.length,
    noTradeReasons: [...grouped]
      .map(([reason, entry]) => ({ reason, ...entry }))
      .sort((a, b) => b.days - a.days || a.reason.localeCompare(b.reason)),
    days,
  };
}

/** The summary for people: a few aligned lines. */
export function renderBacktestSummary(summary: BacktestSummary): string {
  const lines = [
    `Backtest ${summary.from} → ${summary.to}: ${summary.sessions} sessions`,
    `  equity         ${formatCents(summary.initialEquityCents)} → ${formatCents(summary.finalEquityCents)}`,
    `  total return   ${formatPercent(summary.totalReturn)}`,
    `  CAGR           ${formatPercent(summary.cagr)}`,
    `  max drawdown   ${formatPercent(summary.maxDrawdown)}`,
    `  trades (fills) ${summary.trades}`,
    `  governor       ${
      summary.governorTransitions.length === 0
        ? "NORMAL throughout"
        : summary.governorTransitions.map((t) => `${t.session} ${t.from}→${t.to}`).join(", ")
    }`,
    `  days without a trade: ${summary.daysWithoutTrade} of ${summary.sessions}`,
    ...summary.noTradeReasons.map(
      (reason) =>
        `    ${String(reason.days).padStart(5)}  ${reason.reason}   (e.g. ${reason.example})`,
    ),
  ];
  return lines.join("\n");
}
