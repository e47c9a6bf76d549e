import { formatPercent } from "../format.js";
import { deterministicId } from "../hash.js";
import {
  type Alert,
  type AlertFinding,
  type AlertLevel,
  type AlertSource,
  alertMessage,
  RUNBOOK_SECTIONS,
} from "./alert-rules.js";

/** Alerts about a condition over many events (a rate, a window), raised at one event. */
export interface ConditionAlertInput {
  readonly account: string;
  /** When the condition was evaluated (the triggering event's time). */
  readonly at: string;
  /** The event at which it was evaluated: the alert id derives from it. */
  readonly source: AlertSource;
}

export const CONDITION_ALERT_THRESHOLDS = {
  /** SPEC §11: a health score below 60 is DEGRADED or worse. */
  healthScoreBelow: 60,
  /** The runbook's "High rejection rate (>80%)". */
  rejectionRateAbove: 0.8,
  /** A rate over fewer signals says little. */
  minSignalsForRejectionRate: 5,
  /** The runbook's "No trades for >7 days". */
  inactiveDaysAbove: 7,
} as const;

function conditionAlert(
  input: ConditionAlertInput,
  level: AlertLevel,
  code: string,
  key: string,
  finding: AlertFinding,
  runbook: string,
): Alert {
  return {
    id: deterministicId(["alert", input.source.eventId, code, key]),
    level,
    code,
    title: finding.title,
    message: alertMessage(finding, runbook),
    account: input.account,
    at: input.at,
    source: input.source,
  };
}

/** WARNING per strategy whose health score is below 60 (SPEC §11). */
export function healthScoreAlerts(
  input: ConditionAlertInput,
  scores: readonly { readonly strategy: string; readonly score: number }[],
  below: number = CONDITION_ALERT_THRESHOLDS.healthScoreBelow,
): Alert[] {
  return scores
    .filter(({ score }) => score < below)
    .map(({ strategy, score }) =>
      conditionAlert(
        input,
        "WARNING",
        "health_score_low",
        strategy,
        {
          title: `Strategy ${strategy} health ${score}`,
          what: `${strategy}'s health score is ${score} (below ${below})`,
          todo: "review its trades, rejections and drawdown; consider disabling it with STRATEGY_DISABLED_LIST",
        },
        RUNBOOK_SECTIONS.health,
      ),
    );
}

/** WARNING when more than 80% of a run's signals were stopped (at least 5 signals). */
export function rejectionRateAlert(
  input: ConditionAlertInput,
  funnel: { readonly raised: number; readonly stopped: number },
  thresholds: { readonly above: number; readonly minSignals: number } = {
    above: CONDITION_ALERT_THRESHOLDS.rejectionRateAbove,
    minSignals: CONDITION_ALERT_THRESHOLDS.minSignalsForRejectionRate,
  },
): Alert[] {
  if (funnel.raised < thresholds.minSignals) return [];
  const rate = funnel.stopped / funnel.raised;
  if (!(rate > thresholds.above)) return [];
  return [
    conditionAlert(
      input,
      "WARNING",
      "high_rejection_rate",
      "run",
      {
        title: `High rejection rate ${formatPercent(rate)}`,
        what: `${funnel.stopped} of ${funnel.raised} signals were stopped (${formatPercent(rate)}, above ${formatPercent(thresholds.above)})`,
        todo: "read `trader why` for the stages and reasons; a binding risk limit or stale data is the usual cause",
      },
      RUNBOOK_SECTIONS.reports,
    ),
  ];
}

/**
 * WARNING when nothing was executed for more than 7 days: `lastExecutedOn` is the last trading
 * date with an executed signal (null: never), `trackedSince` the account's first day.
 */
export function inactivityAlert(
  input: ConditionAlertInput,
  facts: {
    readonly date: string;
    readonly lastExecutedOn: string | null;
    readonly trackedSince: string;
  },
  days: number = CONDITION_ALERT_THRESHOLDS.inactiveDaysAbove,
): Alert[] {
  const since = facts.lastExecutedOn ?? facts.trackedSince;
  const idle = daysBetween(since, facts.date);
  if (!(idle > days)) return [];
  return [
    conditionAlert(
      input,
      "WARNING",
      "no_execution",
      facts.date,
      {
        title: `Nothing executed for ${idle} days`,
        what: `no signal became an order since ${facts.lastExecutedOn ?? `${facts.trackedSince} (never)`}: ${idle} days, more than ${days}`,
        todo: "run `trader why` over the last days: a kill switch, the governor or a data block may be holding every signal",
      },
      RUNBOOK_SECTIONS.reports,
    ),
  ];
}

function daysBetween(fromDate: string, toDate: string): number {
  return Math.round(
    (Date.parse(`${toDate}T00:00:00Z`) - Date.parse(`${fromDate}T00:00:00Z`)) / 86_400_000,
  );
}

/** The INFO alert carrying a rendered digest (daily digest, weekly health summary). */
export function digestAlert(
  input: ConditionAlertInput,
  digest: {
    readonly code: "daily_digest" | "weekly_health";
    readonly key: string;
    readonly title: string;
    readonly text: string;
    readonly html: string;
  },
): Alert {
  return {
    id: deterministicId(["alert", input.account, digest.code, digest.key]),
    level: "INFO",
    code: digest.code,
    title: digest.title,
    message: digest.text,
    account: input.account,
    at: input.at,
    source: input.source,
    html: digest.html,
  };
}
