/** What the page server's request log says about a rate-limited run (pure functions). */
import type { LogEntry } from './page-server-paths.js';

export interface RateReport {
  requests: number;
  /** Requests answered 200. */
  ok: number;
  /** Requests answered 429. */
  throttled: number;
  /** Seconds from the first request to the last. */
  spanS: number;
  /** 200s per second over the span, as a share of `limit` (1 = the whole budget used). */
  shareOfLimit: number;
  /** Most requests (any status) that arrived within any window of `windowMs`. */
  maxInWindow: number;
}

/** Summarises the log of a run against a limit of `limit` requests/s. */
export function rateReport(log: readonly LogEntry[], limit: number, windowMs = 1000): RateReport {
  const times = log.map(([at]) => at).sort((a, b) => a - b);
  const ok = log.filter(([, , status]) => status === 200).length;
  const spanS = times.length > 1 ? (times[times.length - 1] - times[0]) / 1000 : 0;
  return {
    requests: log.length,
    ok,
    throttled: log.filter(([, , status]) => status === 429).length,
    spanS,
    shareOfLimit: spanS > 0 ? ok / spanS / limit : 0,
    maxInWindow: maxInWindow(times, windowMs),
  };
}

/**
 * Most of the sorted `times` inside any half-open window [t, t + windowMs). Windows starting at an
 * arrival are enough: sliding a window's start forward to its first arrival loses none.
 */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  let best = 0;
  let end = 0;
  for (let start = 0; start < times.length; start++) {
    while (end < times.length && times[end] < times[start] + windowMs) end++;
    best = Math.max(best, end - start);
  }
  return best;
}
