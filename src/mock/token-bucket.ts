import type { Clock } from '../clock.js';

/** Outcome of one `take()`; all times in seconds, rounded up to whole seconds (>= 1 when waiting). */
export interface TakeResult {
  ok: boolean;
  /** Whole tokens left after this request. */
  remaining: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
  /** Seconds until one token is available (only meaningful when !ok; >= 1). */
  retryAfterSeconds: number;
}

/**
 * A token bucket of `rate` tokens/s holding at most `burst` tokens, starting full.
 * Example: rate 10, burst 10 -> 10 requests pass at once, then one per 100 ms.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly clock: Clock,
  ) {
    this.tokens = burst;
    this.last = clock.now();
  }

  take(): TakeResult {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    const ok = this.tokens >= 1;
    if (ok) this.tokens -= 1;
    return {
      ok,
      remaining: Math.floor(this.tokens),
      resetSeconds: Math.ceil((this.burst - this.tokens) / this.rate),
      retryAfterSeconds: ok ? 0 : Math.max(1, Math.ceil((1 - this.tokens) / this.rate)),
    };
  }
}
