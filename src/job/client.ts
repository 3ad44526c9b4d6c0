import { HttpClient } from '../http/client.js';
import { DEFAULT_MAX_DELAY_MS, DEFAULT_MIN_DELAY_MS } from '../http/constants.js';
import { processGovernors, type GovernorRegistry } from '../http/governor-registry.js';
import { shareOf, type RateGovernor } from '../http/rate-governor.js';
import type { JobSpec } from '../spec/types.js';

/**
 * The request governor of this process for the job's origin, shared by discovery and the executor. It
 * starts at the static share `rate / executors`; an executor's rate share (src/executor/rate-share.ts)
 * then moves it with the rate slots it holds.
 */
export function governorFor(spec: JobSpec, executors: number, governors: GovernorRegistry = processGovernors): RateGovernor {
  return governors.governorFor(new URL(spec.source.url).origin, shareOf(spec.limits.rate, executors));
}

/**
 * The HTTP client of one executor: the process's governor (governorFor), the spec's timeouts, deadline,
 * body limit and retries.
 */
export function clientFor(
  spec: JobSpec,
  executors: number,
  redact: (s: string) => string,
  governors: GovernorRegistry = processGovernors,
): HttpClient {
  const origin = new URL(spec.source.url).origin;
  return new HttpClient({
    origin,
    allowedOrigins: spec.source.allowOrigins,
    credentialHeaders: spec.credentialHeaders,
    retry: { retries: spec.limits.retries, minDelayMs: DEFAULT_MIN_DELAY_MS, maxDelayMs: DEFAULT_MAX_DELAY_MS, maxRetryAfterMs: spec.limits.maxRetryAfterMs },
    timeouts: {
      connectTimeoutMs: spec.limits.connectTimeoutMs,
      headersTimeoutMs: spec.limits.headersTimeoutMs,
      bodyTimeoutMs: spec.limits.bodyTimeoutMs,
      attemptDeadlineMs: spec.limits.attemptDeadlineMs,
    },
    maxBodyBytes: spec.limits.maxBodyBytes,
    concurrency: spec.limits.concurrency,
    rate: governorFor(spec, executors, governors),
    redact,
    clock: governors.clock,
  });
}
