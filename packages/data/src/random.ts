/**
 * A small seeded PRNG for the synthetic market: sfc32 (Chris Doty-Humphrey's Small Fast
 * Counting generator, 128-bit state, passes PractRand), seeded from a safe integer. Same seed,
 * same sequence, on every platform.
 */
export interface SeededRandom {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal (mean 0, sd 1), by Box–Muller. */
  normal(): number;
}

export function seededRandom(seed: number): SeededRandom {
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`seed must be a safe integer, got ${seed}`);
  }
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = (0xb7e15162 ^ Math.floor(seed / 0x1_0000_0000)) >>> 0;
  let d = seed >>> 0;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 0x1_0000_0000;
  };
  // Let the seed spread through the whole state before the first use.
  for (let warmUp = 0; warmUp < 15; warmUp++) next();
  return {
    next,
    normal() {
      const u1 = 1 - next();
      const u2 = next();
      return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    },
  };
}
