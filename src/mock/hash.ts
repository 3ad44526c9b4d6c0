/**
 * Small, fast, seedable hashing and PRNG used for every "random" decision of the mock API.
 * Nothing here touches Math.random, so a seed fully determines the catalogue and the faults.
 */

/** murmur3 fmix32: a 32-bit avalanche mix. Returns an unsigned 32-bit integer. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash of a tuple of numbers (each taken as a 53-bit integer: low and high words are both mixed). */
export function hashInts(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    const lo = p >>> 0;
    const hi = Math.floor(p / 4294967296) >>> 0;
    h = mix32((h ^ lo) + 0x9e3779b9);
    h = mix32((h ^ hi) + 0x7f4a7c15);
  }
  return h;
}

/** FNV-1a over the UTF-16 code units of `s`, then mixed. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

/** mulberry32 PRNG with a few helpers. `next()` is uniform in [0, 1). */
export class Rng {
  private a: number;
  constructor(seed: number) {
    this.a = seed >>> 0;
  }
  next(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [lo, hi] inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
}
