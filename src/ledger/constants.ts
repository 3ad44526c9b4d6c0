import type { LedgerRetryOptions } from './types.js';

/**
 * How a ledger segment put is retried before a flush gives up (docs/design.md, "The ledger loses no line").
 * Between attempts the writer waits an equal-jitter delay: half the ceiling plus a random share of the
 * other half, the ceiling doubling from `minDelayMs` up to `maxDelayMs`. With these values the five
 * attempts span about 5.5 to 11 seconds, long enough to ride out an S3 SlowDown burst or a restart.
 */
export const LEDGER_PUT_RETRY: Readonly<LedgerRetryOptions> = {
  /** Puts of one segment, the first included, before the flush rejects (count). */
  attempts: 5,
  /** Delay ceiling before the first retry (milliseconds); it doubles with every retry. */
  minDelayMs: 1_000,
  /** Largest delay ceiling (milliseconds). */
  maxDelayMs: 4_000,
};
