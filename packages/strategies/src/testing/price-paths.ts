import {
  type Bar,
  type MarketSnapshot,
  type PriceHistory,
  pointInTimeSnapshot,
  weekdayCalendar,
} from "@trader/core";

/**
 * Deterministic price paths for tests: a segment has a daily drift and an alternating ±swing,
 * so its realized volatility is constant and known (≈ swing × √252 a year).
 */
export interface PathSegment {
  readonly bars: number;
  readonly drift: number;
  readonly swing: number;
}

/** Closes starting at `start`, one per bar of the segments, each bar moving by drift ± swing. */
export function pathCloses(start: number, segments: readonly PathSegment[]): number[] {
  const closes: number[] = [];
  let price = start;
  let sign = 1;
  for (const { bars, drift, swing } of segments) {
    for (let bar = 0; bar < bars; bar++) {
      price *= 1 + drift + sign * swing;
      sign = -sign;
      closes.push(price);
    }
  }
  return closes;
}

/** Bars with these closes on consecutive weekdays ending on `lastDate`; open = previous close. */
export function barsEndingOn(closes: readonly number[], lastDate: string): Bar[] {
  const calendar = weekdayCalendar();
  const dates: string[] = [lastDate];
  while (dates.length < closes.length) dates.push(calendar.previousSession(dates.at(-1) as string));
  dates.reverse();
  return closes.map((close, index) => {
    const open = index === 0 ? close : (closes[index - 1] as number);
    return {
      date: dates[index] as string,
      open,
      high: Math.max(open, close),
      low: Math.min(open, close),
      close,
      volume: 1_000_000,
    };
  });
}

export const LAST_DATE = "2025-06-30";

/** A snapshot on the last bar's date of QQQ and TLT built from these segments. */
export function snapshotOfPaths(
  equity: readonly PathSegment[],
  bonds: readonly PathSegment[],
  lastDate = LAST_DATE,
): MarketSnapshot {
  const history: PriceHistory = {
    QQQ: barsEndingOn(pathCloses(380, equity), lastDate),
    TLT: barsEndingOn(pathCloses(95, bonds), lastDate),
  };
  return pointInTimeSnapshot(history, lastDate, `${lastDate}T19:50:00Z`);
}
