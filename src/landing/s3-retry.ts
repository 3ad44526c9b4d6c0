import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types';

/**
 * How every S3 request is retried. A throttling answer (503 SlowDown, 429) says the server is up and asks
 * for patience: such a request is tried up to THROTTLED_ATTEMPTS_PER_ATTEMPT × `maxAttempts` times (20 by
 * default), waiting 0.25–0.5 s, then up to 2 s between tries, about 35 s in all at most. Other 5xx answers
 * and network errors are tried `maxAttempts` times with waits doubling from 125–250 ms (3.75 s in all at
 * most by default), so a wrong endpoint fails in seconds. 4xx answers are not retried.
 *
 * Why not the SDK's standard strategy: it shares one retry quota per client (500 tokens, 5 per retry, paid
 * back only by successes). A burst of throttled requests (every block log read at once at the end of a
 * run) empties it, and the SDK then does not retry at all: one 503 failed a whole run in CI (2026-12-01).
 * An ingestion job would rather wait out the storm; the attempts and the backoff alone bound each request.
 */
export class S3RetryStrategy implements RetryStrategyV2 {
  constructor(
    private readonly maxAttempts: number,
    private readonly random: () => number = Math.random,
  ) {}

  async acquireInitialRetryToken(): Promise<RetryToken> {
    return retryToken(0, 0);
  }

  async refreshRetryTokenForRetry(token: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    const retries = token.getRetryCount() + 1;
    const throttled = errorInfo.errorType === 'THROTTLING';
    const attempts = throttled ? THROTTLED_ATTEMPTS_PER_ATTEMPT * this.maxAttempts : this.maxAttempts;
    if (errorInfo.errorType === 'CLIENT_ERROR' || retries >= attempts) throw new Error('no retry'); // the SDK throws the request's own error
    const hintMs = errorInfo.retryAfterHint ? errorInfo.retryAfterHint.getTime() - Date.now() : 0;
    return retryToken(retries, Math.min(MAX_DELAY_MS, Math.max(hintMs, s3RetryDelayMs(retries, throttled, this.random()))));
  }

  recordSuccess(): void {}
}

/** A throttled request is tried this many times `maxAttempts`. */
export const THROTTLED_ATTEMPTS_PER_ATTEMPT = 4;
/** The first retry waits up to this long (ms), doubling each time, up to the cap. */
const FIRST_DELAY_MS = 250;
const THROTTLED_FIRST_DELAY_MS = 500;
const THROTTLED_MAX_DELAY_MS = 2_000;
/** No wait is longer, not even one a Retry-After asks for. */
const MAX_DELAY_MS = 20_000;

/**
 * The wait before retry `retries` (1 = the first), half of it fixed and half random (`random` in [0, 1)), so
 * that many throttled requests spread out but none retries at once.
 */
export function s3RetryDelayMs(retries: number, throttled: boolean, random: number): number {
  const first = throttled ? THROTTLED_FIRST_DELAY_MS : FIRST_DELAY_MS;
  const ceiling = Math.min(throttled ? THROTTLED_MAX_DELAY_MS : MAX_DELAY_MS, first * 2 ** (retries - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

function retryToken(retries: number, delayMs: number): RetryToken {
  return { getRetryCount: () => retries, getRetryDelay: () => delayMs };
}
