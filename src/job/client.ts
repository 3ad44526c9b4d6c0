import { HttpClient } from '../http/client.js';
import { DEFAULT_MAX_DELAY_MS, DEFAULT_MIN_DELAY_MS } from '../http/constants.js';
import { processGovernors, type GovernorRegistry } from '../http/governor-registry.js';
import type { ProcessPacer } from '../http/process-pacer.js';
import { shareOf, type RateGovernor } from '../http/rate-governor.js';
import type { HttpObserver } from '../http/types.js';
import type { JobSpec } from '../spec/types.js';

/**
 * The HTTP client of one executor: the process's governor (governorOf), the spec's timeouts, deadline,
 * body limit and retries.
 */
export function clientFor(
  spec: JobSpec,
  executors: number,
  redact: (s: string) => string,
  governors: GovernorRegistry = processGovernors,
  observer?: HttpObserver,
  /** Spaces this client's requests with those of the other executors of this process (process-pacer.ts). */
  pacer?: ProcessPacer,
): HttpClient {
  const origin = new URL(spec.source.url).origin;
  const governor = governorOf(spec, executors, governors);
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
    rate: pacer ? pacer.join(governor) : governor,
    redact,
    clock: governors.clock,
    observer,
  });
}

/**
 * The rate governor an executor's client draws on (one per process and origin, shared with discovery). It
 * starts at the static share `rate / executors`; the rate slots (src/executor/rate-share.ts) then set it.
 */
export function governorOf(spec: JobSpec, executors: number, governors: GovernorRegistry = processGovernors): RateGovernor {
  return governors.governorFor(new URL(spec.source.url).origin, shareOf(spec.limits.rate, executors));
}
