import type { Point } from './types.js';

/** Bucket widths a time axis may use (seconds): round numbers a reader can count in. */
const WIDTHS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400];

/** At most this many buckets on a time axis, so a long run still draws a readable line. */
export const MAX_BUCKETS = 120;

/** The smallest round bucket width that cuts `spanSeconds` into at most MAX_BUCKETS buckets. */
export function bucketWidth(spanSeconds: number): number {
  return WIDTHS.find((w) => spanSeconds / w <= MAX_BUCKETS) ?? Math.ceil(spanSeconds / MAX_BUCKETS);
}

/**
 * Events per second in each bucket of width `width` over [0, span]: one point per bucket, at its middle.
 * `times` are seconds since the run's start; `weights` (default 1 each) are summed instead of counted.
 */
export function ratePerBucket(times: number[], width: number, span: number): Point[] {
  const sums = bucketSums(times, times.map(() => 1), width, span);
  return sums.map((sum, i) => [i * width + width / 2, sum / width]);
}

/** Running total of `weights` at the end of each bucket, starting with [0, 0]. */
export function cumulativePerBucket(times: number[], weights: number[], width: number, span: number): Point[] {
  const sums = bucketSums(times, weights, width, span);
  const out: Point[] = [[0, 0]];
  let total = 0;
  sums.forEach((sum, i) => {
    total += sum;
    out.push([Math.min(span, (i + 1) * width), total]);
  });
  return out;
}

function bucketSums(times: number[], weights: number[], width: number, span: number): number[] {
  const sums = new Array<number>(Math.max(1, Math.ceil(span / width))).fill(0);
  times.forEach((t, i) => {
    const b = Math.min(sums.length - 1, Math.max(0, Math.floor(t / width)));
    sums[b] += weights[i];
  });
  return sums;
}
