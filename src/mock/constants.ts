import type { MockApiOptions } from './types.js';

/** Defaults of every mock API option (times in milliseconds, rates as fractions 0..1). */
export const MOCK_DEFAULTS: MockApiOptions = {
  port: 0,
  host: '127.0.0.1',
  size: 100_000,
  perPage: 100,
  seed: 1,
  latencyMs: 0,
  latencyJitterMs: 0,
  errorRate: 0,
  rateLimit: 0,
  retryAfterDate: false,
  resetRate: 0,
  truncateRate: 0,
  htmlRate: 0,
  slowBodyMs: 0,
  driftAfterPage: 0,
  insertEvery: 0,
  maxPages: 500,
  baseSize: 0,
  // the last day of LAST_YEAR: no base record is released after LAST_YEAR-12-28
  addedAfter: '2024-12-31',
};

/** Largest accepted `per_page` / `limit` (records); larger values are clamped. */
export const MAX_LIMIT = 1000;

/** Release years are drawn uniformly from this inclusive range (years). */
export const FIRST_YEAR = 1950;
export const LAST_YEAR = 2024;

/**
 * Added records (options `baseSize` and `addedAfter`) are dated in id order, this many per day (records/day):
 * the k-th added record (k = 0, 1, …) is released `addedAfter` + 1 + floor(k / ADDED_PER_DAY) days.
 */
export const ADDED_PER_DAY = 10;

/** `updated_at` lies in [UPDATED_FROM_MS, UPDATED_FROM_MS + UPDATED_SPAN_MS) (epoch milliseconds). */
export const UPDATED_FROM_MS = Date.UTC(2023, 0, 1);
export const UPDATED_SPAN_MS = 2 * 365 * 24 * 3600 * 1000;

/** Body of the `htmlRate` fault. */
export const HTML_BODY = '<html>Service busy</html>';

export const JSON_TYPE = 'application/json; charset=utf-8';

/** Node's keep-alive idle timeout for the mock server (milliseconds). */
export const KEEP_ALIVE_MS = 30_000;
