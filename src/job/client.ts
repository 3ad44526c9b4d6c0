import { systemClock, type Clock } from '../clock.js';
import { HttpClient } from '../http/client.js';
import { DEFAULT_MAX_DELAY_MS, DEFAULT_MIN_DELAY_MS } from '../http/constants.js';
import { RateGovernor, shareOf } from '../http/rate-governor.js';
import type { JobSpec } from '../spec/types.js';

/** The HTTP client of one executor: its share of the job's rate, the spec's timeouts and retries. */
export function clientFor(spec: JobSpec, executors: number, redact: (s: string) => string, clock: Clock = systemClock): HttpClient {
  return new HttpClient({
    origin: new URL(spec.source.url).origin,
    allowedOrigins: spec.source.allowOrigins,
    credentialHeaders: spec.credentialHeaders,
    retry: { retries: spec.limits.retries, minDelayMs: DEFAULT_MIN_DELAY_MS, maxDelayMs: DEFAULT_MAX_DELAY_MS, maxRetryAfterMs: spec.limits.maxRetryAfterMs },
    timeouts: {
      connectTimeoutMs: spec.limits.connectTimeoutMs,
      headersTimeoutMs: spec.limits.headersTimeoutMs,
      bodyTimeoutMs: spec.limits.bodyTimeoutMs,
    },
    concurrency: spec.limits.concurrency,
    rate: new RateGovernor({ rate: shareOf(spec.limits.rate, executors), clock }),
    redact,
    clock,
  });
}
