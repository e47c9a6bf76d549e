/** What a package's bench/index.ts default-exports: a list of benchmarks the root runner times. */
export interface BenchResult {
  /** e.g. "durable append (batches of 1,000)" */
  readonly name: string;
  /** The measured throughput or latency. */
  readonly value: number;
  /** e.g. "events/s" or "ms (median)" */
  readonly unit: string;
  /** The target, if any, and whether higher or lower is better. */
  readonly target?: { readonly value: number; readonly better: "higher" | "lower" };
  /** Anything a reader needs to interpret the number (sizes, repetitions). */
  readonly note?: string;
}

export interface Benchmark {
  readonly name: string;
  run(): Promise<BenchResult> | BenchResult;
}

/** Runs fn `repeat` times and returns the best wall time in ms (less noise than the mean). */
export async function bestOf(
  repeat: number,
  fn: () => unknown | Promise<unknown>,
): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < repeat; i++) {
    const started = performance.now();
    await fn();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

export function perSecond(count: number, milliseconds: number): number {
  return Math.round((count / milliseconds) * 1000);
}

/** Runs fn `runs` times and returns the median wall time in ms (for latency targets). */
export function medianMs(runs: number, fn: () => unknown): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    fn();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}
