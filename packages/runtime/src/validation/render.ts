import { describeTarget, formatPercent, type ValidationReport } from "@trader/core";

const STATUS_MARK = { GREEN: "✅", YELLOW: "⚠️", RED: "🔴" } as const;

const signedPercent = (fraction: number) =>
  fraction < 0 ? `−${formatPercent(-fraction)}` : formatPercent(fraction);

function regimeLines(report: ValidationReport): string[] {
  const { recorded, official } = report.regimes;
  const strategies = [...new Set([...Object.keys(recorded), ...Object.keys(official)])].sort();
  return strategies.map((strategy) => {
    const before = recorded[strategy] ?? "(no decision)";
    const after = official[strategy] ?? "(no decision)";
    return `  ${strategy}: ${before} → ${after}${before === after ? "" : "   ✗ differs"}`;
  });
}

function targetLines(report: ValidationReport): string[] {
  const { recorded, official } = report.targets;
  const lines: string[] = [];
  const strategies = [...new Set([...Object.keys(recorded), ...Object.keys(official)])].sort();
  for (const strategy of strategies) {
    const before = recorded[strategy] ?? {};
    const after = official[strategy] ?? {};
    const symbols = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const symbol of symbols) {
      const differs = report.differences.some(
        (difference) =>
          difference.kind === "target" &&
          difference.strategy === strategy &&
          difference.symbol === symbol,
      );
      const a = before[symbol];
      const b = after[symbol];
      lines.push(
        `  ${strategy} ${symbol}: ${a ? describeTarget(a) : "(none)"} → ${b ? describeTarget(b) : "(none)"}${differs ? "   ✗ differs" : ""}`,
      );
    }
  }
  return lines;
}

/**
 * A validation report for people, shaped like the plan's 16:15 e-mail: status, price drift per
 * symbol, logic comparison, and the rolling view.
 */
export function renderValidation(report: ValidationReport): string {
  const { rolling } = report;
  const lines = [
    `${report.date} validation of ${report.runId}: ${STATUS_MARK[report.status]} ${report.status}`,
    `  ${report.reason}`,
    "",
    `Price drift (decision price → official close; GREEN < ${formatPercent(report.thresholds.greenBelow)}, RED > ${formatPercent(report.thresholds.yellowUpTo)}):`,
    ...(report.prices.length === 0
      ? ["  (no symbol priced)"]
      : report.prices.map(
          (line) =>
            `  ${line.symbol}: ${line.decisionPrice} (${line.decisionPriceFrom === "quote" ? "quote" : "close"}) → ${line.officialClose}  ${formatPercent(line.drift)}`,
        )),
    "",
    `Logic: ${report.logicMatch ? "match" : "MISMATCH"}`,
    ...(report.aborted.recorded !== report.aborted.official
      ? [
          `  run aborted: ${report.aborted.recorded ?? "no"} → ${report.aborted.official ?? "no"}   ✗ differs`,
        ]
      : []),
    ...regimeLines(report),
    ...targetLines(report),
    "",
    `Slippage today: ${
      report.slippage.average === null
        ? "no fills"
        : `${signedPercent(report.slippage.average)} average over ${report.slippage.fills} fill(s)`
    }`,
    `Rolling (last ${rolling.sessions} session(s)): logic match ${rolling.logicMatches}/${rolling.sessions} (${Number(rolling.logicMatchPct.toFixed(2))}%), average drift ${formatPercent(rolling.averageDrift)}, max drift ${formatPercent(rolling.maxDrift)}, average slippage ${
      rolling.averageSlippage === null
        ? "n/a (no fills)"
        : `${signedPercent(rolling.averageSlippage)} over ${rolling.fills} fill(s)`
    }`,
  ];
  return lines.join("\n");
}
