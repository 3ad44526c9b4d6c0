import type { Clock } from '../clock.js';
import type { Failure } from '../failure.js';

/** A fully built GET request. `url` already carries its query string. */
export interface HttpRequest {
  url: string;
  headers: Record<string, string>;
}

/** A successful (2xx, JSON-parsed) response. */
export interface HttpResponse {
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: unknown;
  /** The text `body` was parsed from (decoded, without a byte-order mark): NDJSON keeps records as sent. */
  text?: string;
  /** Bytes of the (decoded) body. */
  bytes: number;
  /** 1-based attempt that succeeded. */
  attempts: number;
  /** The URL actually fetched (redacted form is for logs only; this one is exact). */
  url: string;
}

/** Reported for every attempt, successful or not, so the ledger can record it. */
export interface AttemptReport {
  attempt: number;
  url: string; // redacted
  status: 'ok' | 'retrying' | 'failed';
  httpStatus?: number;
  /** The failure of a failed or retried attempt (src/failure.ts). */
  errorClass?: Failure;
  error?: string; // redacted, one line, truncated
  startedAt: number;
  durationMs: number;
  /** Delay before the next attempt, when status is 'retrying'. */
  retryInMs?: number;
  /** Server-requested delay (Retry-After), when present. */
  retryAfterMs?: number;
}

export interface RetryOptions {
  /** Retries after the first attempt (so attempts = retries + 1). */
  retries: number;
  /** Backoff base in ms. */
  minDelayMs: number;
  /** Backoff cap in ms. */
  maxDelayMs: number;
  /** Largest Retry-After we will honour; larger values are clamped to it. */
  maxRetryAfterMs: number;
}

export interface TimeoutOptions {
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  /** Largest idle gap between two body chunks. */
  bodyTimeoutMs: number;
  /** Total time of one attempt: connect, headers and the whole body. Default DEFAULT_ATTEMPT_DEADLINE_MS. */
  attemptDeadlineMs?: number;
}

export interface HttpClientOptions {
  /** The job's origin, e.g. https://api.themoviedb.org. Credentials are only ever sent here. */
  origin: string;
  /** Other origins a next link may point to; requests there carry no credential headers. */
  allowedOrigins: string[];
  /** Header names (case-insensitive) that carry credentials and are stripped off-origin. */
  credentialHeaders: string[];
  retry: RetryOptions;
  timeouts: TimeoutOptions;
  /** Max in-flight requests (also the pool's connection count per origin). */
  concurrency: number;
  rate: RateGovernorLike;
  redact: (text: string) => string;
  clock?: Clock;
  /** Seeded randomness for jitter; defaults to Math.random. */
  random?: () => number;
  userAgent?: string;
  /** Largest body (compressed or decoded) buffered for one page, in bytes. Default DEFAULT_MAX_BODY_BYTES. */
  maxBodyBytes?: number;
  /** Idle keep-alive socket lifetime when the server gives no hint, in ms. Default DEFAULT_KEEP_ALIVE_TIMEOUT_MS. */
  keepAliveTimeoutMs?: number;
  /** Told about every attempt of every request (metrics); the client does not depend on what it does. */
  observer?: HttpObserver;
}

/** Watches a client's attempts without taking part in them (src/metrics/executor-metrics.ts is one). */
export interface HttpObserver {
  /** An attempt is being sent (its rate slot was granted). */
  attemptStarted(): void;
  /** That attempt ended: its report, or undefined when the caller aborted it. */
  attemptEnded(report: AttemptReport | undefined): void;
}

/** What the client needs from the rate governor (see rate-governor.ts). */
export interface RateGovernorLike {
  /** Waits for a request slot. */
  acquire(signal?: AbortSignal): Promise<void>;
  /** A 429 (or Retry-After) was seen: lower the rate; pause all requests for retryAfterMs if given. */
  throttled(retryAfterMs?: number): void;
  /** A request succeeded: raise the rate a little, back towards the share. */
  succeeded(): void;
}
