/** The two knobs of the backoff curve (milliseconds). */
export interface BackoffOptions {
  minDelayMs: number;
  maxDelayMs: number;
}

/**
 * Full-jitter exponential backoff: a uniform random wait in [0, min(maxDelayMs, minDelayMs * 2^attempt)).
 * `attempt` is the number of retries already made (0 before the first retry). Full jitter spreads the
 * retries of many executors hit by the same outage instead of synchronising them.
 * `random` must return values in [0, 1); pass a seeded one in tests.
 */
export function computeDelay(attempt: number, opts: BackoffOptions, random: () => number = Math.random): number {
  const exponent = Math.max(0, Math.floor(attempt));
  // 2 ** 1024 is Infinity, and min() with the cap keeps the result finite.
  const ceiling = Math.min(opts.maxDelayMs, opts.minDelayMs * 2 ** exponent);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.floor(r * ceiling);
}
