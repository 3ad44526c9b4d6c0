import { ConfigError } from '../errors.js';
import { originOf } from './origin-policy.js';
import type { HttpClientOptions } from './types.js';

/** Hints for option names people reach for that do not exist here. */
const RENAMED: Readonly<Record<string, string>> = {
  timeout: 'timeouts.connectTimeoutMs, timeouts.headersTimeoutMs and timeouts.bodyTimeoutMs',
  retries: 'retry.retries',
  connections: 'concurrency',
};

/**
 * Checks what the client's own code relies on, at construction time; throws ConfigError naming the
 * option. A job's values were checked already by the spec schema; this catches a client built by hand
 * (tests, bench) with a renamed option or a value undici or the backoff cannot take.
 */
export function validateHttpClientOptions(opts: HttpClientOptions): void {
  for (const [old, use] of Object.entries(RENAMED)) {
    if (old in opts) throw new ConfigError(old, `is not an HttpClient option: use ${use} instead`);
  }
  if (originOf(opts.origin) === undefined) throw new ConfigError('origin', 'must be an http(s) URL such as https://api.example.com');
  const { retry: r, timeouts: t } = opts;
  const leastOf: [string, number | undefined, number][] = [
    ['concurrency', opts.concurrency, 1],
    ['retry.retries', r.retries, 0],
    ['timeouts.connectTimeoutMs', t.connectTimeoutMs, 1],
    ['timeouts.headersTimeoutMs', t.headersTimeoutMs, 1],
    ['timeouts.bodyTimeoutMs', t.bodyTimeoutMs, 1],
    ['timeouts.attemptDeadlineMs', t.attemptDeadlineMs, 1],
    ['maxBodyBytes', opts.maxBodyBytes, 1],
    ['keepAliveTimeoutMs', opts.keepAliveTimeoutMs, 1],
  ];
  for (const [name, value, least] of leastOf) {
    if (value !== undefined && !(Number.isInteger(value) && value >= least)) throw new ConfigError(name, `must be an integer >= ${least}`);
  }
  if (!(r.minDelayMs >= 0)) throw new ConfigError('retry.minDelayMs', 'must be a number >= 0 (ms)');
  if (!(r.maxDelayMs >= r.minDelayMs)) throw new ConfigError('retry.maxDelayMs', 'must be a number >= retry.minDelayMs (ms)');
  if (!(r.maxRetryAfterMs >= 0)) throw new ConfigError('retry.maxRetryAfterMs', 'must be a number >= 0 (ms)');
}
