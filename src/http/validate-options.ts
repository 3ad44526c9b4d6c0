import { ConfigError } from '../errors.js';
import { originOf } from './origin-policy.js';
import type { HttpClientOptions } from './types.js';

const isInt = (v: unknown, min: number) => typeof v === 'number' && Number.isInteger(v) && v >= min;
const isNum = (v: unknown, min: number) => typeof v === 'number' && Number.isFinite(v) && v >= min;

/** Hints for option names people reach for that do not exist here. */
const RENAMED: Readonly<Record<string, string>> = {
  timeout: 'timeouts.connectTimeoutMs, timeouts.headersTimeoutMs and timeouts.bodyTimeoutMs',
  retries: 'retry.retries',
  connections: 'concurrency',
};

/**
 * Checks the HttpClient options at construction time, so a bad one fails at startup; throws ConfigError
 * naming the option.
 * `rate` is trusted as typed: the job's request rate is checked once, by the spec schema.
 */
export function validateHttpClientOptions(opts: HttpClientOptions): void {
  for (const [old, use] of Object.entries(RENAMED)) {
    if (old in opts) throw new ConfigError(old, `is not an HttpClient option: use ${use} instead`);
  }
  if (typeof opts.origin !== 'string' || originOf(opts.origin) === undefined) {
    throw new ConfigError('origin', 'must be an http(s) URL such as https://api.example.com');
  }
  if (!Array.isArray(opts.allowedOrigins)) throw new ConfigError('allowedOrigins', 'must be an array of origins');
  for (const [i, o] of opts.allowedOrigins.entries()) {
    if (typeof o !== 'string' || originOf(o) === undefined) throw new ConfigError(`allowedOrigins[${i}]`, 'must be an http(s) URL');
  }
  if (!Array.isArray(opts.credentialHeaders) || !opts.credentialHeaders.every((h) => typeof h === 'string')) {
    throw new ConfigError('credentialHeaders', 'must be an array of header names');
  }
  const r = opts.retry;
  if (!r || !isInt(r.retries, 0)) throw new ConfigError('retry.retries', 'must be an integer >= 0 (retries after the first attempt)');
  if (!isNum(r.minDelayMs, 0)) throw new ConfigError('retry.minDelayMs', 'must be a number >= 0 (ms)');
  if (!isNum(r.maxDelayMs, r.minDelayMs)) throw new ConfigError('retry.maxDelayMs', 'must be a number >= retry.minDelayMs (ms)');
  if (!isNum(r.maxRetryAfterMs, 0)) throw new ConfigError('retry.maxRetryAfterMs', 'must be a number >= 0 (ms)');
  const t = opts.timeouts;
  for (const name of ['connectTimeoutMs', 'headersTimeoutMs', 'bodyTimeoutMs'] as const) {
    if (!t || !isInt(t[name], 1)) throw new ConfigError(`timeouts.${name}`, 'must be an integer >= 1 (ms)');
  }
  if (t.attemptDeadlineMs !== undefined && !isInt(t.attemptDeadlineMs, 1)) {
    throw new ConfigError('timeouts.attemptDeadlineMs', 'must be an integer >= 1 (ms)');
  }
  if (!isInt(opts.concurrency, 1)) throw new ConfigError('concurrency', 'Expected `concurrency` to be a number from 1 and up');
  if (typeof opts.redact !== 'function') throw new ConfigError('redact', 'must be a function (text) => text, e.g. new Redactor(...).fn');
  if (opts.random !== undefined && typeof opts.random !== 'function') throw new ConfigError('random', 'must be a function returning [0, 1)');
  if (opts.maxBodyBytes !== undefined && !isInt(opts.maxBodyBytes, 1)) throw new ConfigError('maxBodyBytes', 'must be an integer >= 1 (bytes)');
  if (opts.keepAliveTimeoutMs !== undefined && !isInt(opts.keepAliveTimeoutMs, 1)) {
    throw new ConfigError('keepAliveTimeoutMs', 'must be an integer >= 1 (ms)');
  }
}
