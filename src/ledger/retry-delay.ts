import { computeDelay, type BackoffOptions } from '../http/backoff.js';

/**
 * Wait (milliseconds) before retry number `retry` (0 = the first retry) of a ledger put: half of the
 * capped exponential ceiling for sure, plus full jitter over the other half ("equal jitter"). Unlike
 * pure full jitter it never retries at once, so a handful of attempts always spans a store's hiccup.
 */
export function ledgerRetryDelay(retry: number, opts: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(opts.maxDelayMs, opts.minDelayMs * 2 ** Math.max(0, Math.floor(retry)));
  const half = { minDelayMs: opts.minDelayMs / 2, maxDelayMs: opts.maxDelayMs / 2 };
  return Math.floor(ceiling / 2) + computeDelay(retry, half, random);
}
