/** A fraction as a percentage for people: 0.084 → "8.4%", 0.08 → "8%", 0.08371 → "8.37%". */
export function formatPercent(fraction: number): string {
  return `${Number((fraction * 100).toFixed(2))}%`;
}
