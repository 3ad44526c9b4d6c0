import { systemClock, type Clock } from '../clock.js';
import { ConfigError } from '../errors.js';
import {
  DEFAULT_BURST,
  MIN_RATE_FRACTION,
  SUCCESS_INCREASE_FRACTION,
  THROTTLE_DECREASE_FACTOR,
} from './constants.js';
import type { RateGovernorLike } from './types.js';

/**
 * The static split of the job's request budget, `jobRate / executors`: the governor's initial share, used
 * by a client that takes no part in the rate slots (src/executor/rate-share.ts hands each session its share
 * at run time and calls `setShare`).
 *
 * Inputs are trusted: the spec schema checks `limits.rate` (> 0), resolveIdentity the executor count (>= 1).
 */
export function shareOf(jobRate: number, executors: number): number {
  return jobRate / executors;
}

export interface RateGovernorOptions {
  /** Requests per second for THIS executor at first (`setShare` changes it); > 0, trusted (the spec schema checks `limits.rate`). */
  rate: number;
  /**
   * Token-bucket size (requests). Default 1: strict pacing, so grants in any window of t seconds are at
   * most `rate * t + 1`, and N executors together at most `jobRate * t + N` (one more each when timers wake
   * the pump late while callers wait: that lateness is carried, see `refill`). A larger burst lets idle time
   * be spent later, which servers that count per fixed window see as going over the budget. A fresh
   * governor has had no idle time: it starts with one token, never a whole burst.
   */
  burst?: number;
  clock?: Clock;
  /** Floor of the adaptive rate (requests/s). Default `rate / 16`. */
  minRate?: number;
}

interface Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
  detach: () => void;
}

/** Below this, a fractional token counts as whole (float error from refills). */
const EPSILON = 1e-9;

/**
 * Token bucket with AIMD and a global pause, one per executor. `acquire()` callers are served strictly in
 * arrival order (FIFO) by a single pump, so many concurrent callers cannot starve each other.
 * - `throttled(retryAfterMs?)`: rate *= 0.5 (floored at minRate); with retryAfterMs, nobody gets a slot
 *   before now + retryAfterMs.
 * - `succeeded()`: rate += share / 20, never above the share.
 * - `setShare(share)`: the session's share changed (rate slots); 0 means "send nothing until it grows".
 * Pure except the clock: pass a FakeClock in tests.
 */
export class RateGovernor implements RateGovernorLike {
  private shareNow: number;
  readonly burst: number;
  private minRateNow: number;
  /** The floor of the adaptive rate as a fraction of the share. */
  private readonly minFraction: number;
  private readonly clock: Clock;
  private rate: number;
  private tokens: number;
  private lastRefill: number;
  private pauseEnd = 0;
  private readonly queue: Waiter[] = [];
  private pumping = false;
  private wake: AbortController | undefined;

  constructor(opts: RateGovernorOptions) {
    const burst = opts.burst ?? DEFAULT_BURST;
    if (!Number.isInteger(burst) || burst < 1) throw new ConfigError('burst', 'must be an integer >= 1 (requests)');
    const minRate = opts.minRate ?? opts.rate * MIN_RATE_FRACTION;
    if (!Number.isFinite(minRate) || minRate <= 0 || minRate > opts.rate) {
      throw new ConfigError('minRate', 'must be a number > 0 and <= rate (requests/s)');
    }
    this.shareNow = opts.rate;
    this.rate = opts.rate;
    this.burst = burst;
    this.minRateNow = minRate;
    this.minFraction = minRate / opts.rate;
    this.clock = opts.clock ?? systemClock;
    this.tokens = 1;
    this.lastRefill = this.clock.now();
  }

  /** The most this governor may grant (requests/s): AIMD moves the current rate at or below it. */
  get share(): number {
    return this.shareNow;
  }

  /** Floor of the adaptive rate (requests/s); 0 while the share is 0. */
  get minRate(): number {
    return this.minRateNow;
  }

  /**
   * Sets the share (requests/s, >= 0). AIMD's state is kept in proportion: a governor running at half its
   * old share (after 429s) runs at half the new one. Lowering takes effect before this returns: no grant
   * after it goes above the new share's pacing, and a share of 0 grants nothing at all (the saved token is
   * dropped too) until the share grows again. Waiters keep their FIFO order.
   */
  setShare(share: number): void {
    if (!Number.isFinite(share) || share < 0) throw new ConfigError('share', 'must be a number >= 0 (requests/s)');
    const now = this.clock.now();
    this.refill(now);
    const old = this.shareNow;
    this.rate = old > 0 ? (this.rate * share) / old : share;
    this.shareNow = share;
    this.minRateNow = share * this.minFraction;
    this.rate = Math.min(share, Math.max(this.minRateNow, this.rate));
    if (share === 0) this.tokens = 0;
    this.wake?.abort(); // a sleeping pump re-evaluates with the new rate
  }

  /** The adaptive rate now (requests/s), between minRate and the share. */
  get currentRate(): number {
    return this.rate;
  }

  /** Epoch ms before which no slot is granted (0 or a past time when not paused). */
  get pausedUntil(): number {
    return this.pauseEnd;
  }

  /** Callers waiting in acquire(). */
  get pendingCount(): number {
    return this.queue.length;
  }

  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const i = this.queue.indexOf(waiter);
        if (i >= 0) this.queue.splice(i, 1);
        reject(signal!.reason);
        if (this.queue.length === 0) this.wake?.abort();
      };
      const waiter: Waiter = { resolve, reject, detach: () => signal?.removeEventListener('abort', onAbort) };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
      if (!this.pumping) void this.pump();
    });
  }

  throttled(retryAfterMs?: number): void {
    const now = this.clock.now();
    this.refill(now);
    this.rate = Math.max(this.minRateNow, this.rate * THROTTLE_DECREASE_FACTOR);
    if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs > 0) {
      this.pauseEnd = Math.max(this.pauseEnd, now + retryAfterMs);
    }
  }

  succeeded(): void {
    if (this.rate >= this.shareNow) return;
    this.refill(this.clock.now());
    this.rate = Math.min(this.shareNow, this.rate + this.shareNow * SUCCESS_INCREASE_FRACTION);
    this.wake?.abort(); // a sleeping pump may now be due sooner
  }

  private refill(now: number): void {
    if (now <= this.lastRefill) return;
    if (this.rate === 0) {
      this.lastRefill = now;
      return;
    }
    // While callers wait, the pump sleeps until the next token is due and timers wake it late (by 1 ms or
    // more, rounding included): capped at `burst`, that lateness was lost at every grant, and 195 requests/s
    // granted 159. One token more of room keeps it, so the long-run rate is the rate; idle time still saves
    // no more than `burst`.
    const cap = this.queue.length > 0 ? this.burst + 1 : this.burst;
    this.tokens = Math.min(cap, this.tokens + ((now - this.lastRefill) * this.rate) / 1000);
    this.lastRefill = now;
  }

  /** 0 when a slot can be granted now, else how long to wait (ms). */
  private waitMs(): number {
    const now = this.clock.now();
    if (now < this.pauseEnd) return this.pauseEnd - now;
    this.refill(now);
    if (this.tokens >= 1 - EPSILON) return 0;
    if (this.rate === 0) return Infinity; // share 0: only setShare (or the queue emptying) wakes the pump
    // Not rounded up to whole ms: the bucket is full at that instant, so rounding would lose refill.
    return ((1 - this.tokens) * 1000) / this.rate;
  }

  /** The single consumer of the queue; runs while anyone waits. */
  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      while (this.queue.length > 0) {
        const wait = this.waitMs();
        if (wait === 0) {
          this.tokens -= 1;
          const waiter = this.queue.shift()!;
          waiter.detach();
          waiter.resolve();
          continue;
        }
        this.wake = new AbortController();
        try {
          if (wait === Infinity) await untilAborted(this.wake.signal);
          else await this.clock.sleep(wait, this.wake.signal);
        } catch {
          // woken early (rate changed or queue emptied): re-evaluate
        }
      }
    } finally {
      this.wake = undefined;
      this.pumping = false;
    }
  }
}

/** Rejects when the signal aborts, and never settles otherwise. */
function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
}
