/** Headers as undici gives them: lower-case names, a value or a list of values. */
export type HeaderBag = Record<string, string | string[] | undefined>;

/** Epoch seconds look like this (> 2001-09-09); smaller RateLimit-Reset values are delta seconds. */
const EPOCH_SECONDS_THRESHOLD = 1e9;

function first(headers: HeaderBag, name: string): string | undefined {
  const v = headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  const t = s?.trim();
  return t ? t : undefined;
}

const clamp = (ms: number, maxMs: number) => Math.min(Math.max(0, Math.ceil(ms)), maxMs);

/**
 * Parses one Retry-After value (RFC 9110 §10.2.3): delta-seconds (`120`) or an HTTP-date
 * (`Wed, 21 Oct 2015 07:28:00 GMT`, relative to `nowMs`). Returns unclamped ms (>= 0), or undefined if
 * the value is neither form. A date in the past means "now" (0).
 */
export function parseRetryAfterValue(value: string, nowMs: number): number | undefined {
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  if (!/[a-z]/i.test(v)) return undefined; // "-5", "1e3": not a delta and not a date
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/**
 * Parses RateLimit-Reset / X-RateLimit-Reset: seconds until the window resets (IETF draft), or, for
 * values that can only be epoch seconds (GitHub style), the reset instant.
 */
export function parseResetValue(value: string, nowMs: number): number | undefined {
  const v = value.trim();
  if (!/^\d+(\.\d+)?$/.test(v)) return undefined;
  const n = Number(v);
  return n >= EPOCH_SECONDS_THRESHOLD ? Math.max(0, n * 1000 - nowMs) : n * 1000;
}

export interface RetryAfterOptions {
  /** clock.now() of the response (ms since the epoch). */
  nowMs: number;
  /** Larger waits are clamped to this (ms). */
  maxRetryAfterMs: number;
  /** Also read RateLimit-Reset / X-RateLimit-Reset when Retry-After is absent (only for throttling). */
  useResetHeaders?: boolean;
}

/**
 * The server-requested wait in ms, clamped to [0, maxRetryAfterMs], or undefined when the server asked
 * for nothing usable. Retry-After wins; the reset headers are a fallback.
 */
export function retryAfterMs(headers: HeaderBag, opts: RetryAfterOptions): number | undefined {
  const ra = first(headers, 'retry-after');
  const fromRetryAfter = ra === undefined ? undefined : parseRetryAfterValue(ra, opts.nowMs);
  if (fromRetryAfter !== undefined) return clamp(fromRetryAfter, opts.maxRetryAfterMs);
  if (!opts.useResetHeaders) return undefined;
  for (const name of ['ratelimit-reset', 'x-ratelimit-reset']) {
    const v = first(headers, name);
    const ms = v === undefined ? undefined : parseResetValue(v, opts.nowMs);
    if (ms !== undefined) return clamp(ms, opts.maxRetryAfterMs);
  }
  return undefined;
}

/** True when the response carries a parseable Retry-After (a 503 then counts as throttling). */
export function hasRetryAfter(headers: HeaderBag, nowMs: number): boolean {
  const ra = first(headers, 'retry-after');
  return ra !== undefined && parseRetryAfterValue(ra, nowMs) !== undefined;
}
