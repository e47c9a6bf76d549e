import { weekdayCalendar } from "../calendar/trading-calendar.js";
import type { Bar } from "./bars.js";

/**
 * Bars with the given closes on consecutive weekday sessions starting at `from`, or ending on
 * `to` (a session); open = previous close, high/low bracket open and close. For tests.
 */
export function barsFromCloses(
  closes: readonly number[],
  options: { from?: string; to?: string; adjCloses?: readonly number[] } = {},
): Bar[] {
  const calendar = weekdayCalendar();
  const bars: Bar[] = [];
  let date = options.from ?? "2025-01-02";
  if (options.to !== undefined) {
    date = options.to;
    for (let index = 1; index < closes.length; index++) date = calendar.previousSession(date);
  }
  for (let index = 0; index < closes.length; index++) {
    const close = closes[index] as number;
    const open = index === 0 ? close : (closes[index - 1] as number);
    const adjClose = options.adjCloses?.[index];
    bars.push({
      date,
      open,
      high: Math.max(open, close),
      low: Math.min(open, close),
      close,
      volume: 1_000_000,
      ...(adjClose === undefined ? {} : { adjClose }),
    });
    date = calendar.nextSession(date);
  }
  return bars;
}

/** `count` bars of a gentle deterministic wiggle around `level`, ending on or before `lastDate`. */
export function steadyBars(count: number, lastDate: string, level = 100): Bar[] {
  const closes = Array.from({ length: count }, (_, index) => level * (1 + 0.01 * Math.sin(index)));
  return barsFromCloses(
    closes.map((close) => Number(close.toFixed(2))),
    { to: lastDate },
  );
}
