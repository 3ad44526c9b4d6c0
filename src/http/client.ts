import { Pool } from './undici-pool.js';
import { systemClock, type Clock } from '../clock.js';
import { runAttempt, type AttemptOutcome } from './attempt.js';
import { computeDelay } from './backoff.js';
import {
  ACCEPT_ENCODING,
  DEFAULT_ATTEMPT_DEADLINE_MS,
  DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_USER_AGENT,
} from './constants.js';
import { HttpError } from './http-error.js';
import { OriginPolicy } from './origin-policy.js';
import type { AttemptReport, HttpClientOptions, HttpRequest, HttpResponse } from './types.js';
import { validateHttpClientOptions } from './validate-options.js';

export interface GetJsonOptions {
  /** Aborts waits and the request in flight; getJson then rejects with `signal.reason`. */
  signal?: AbortSignal;
  /** Called once per attempt, after it ends (before the wait that may follow). */
  onAttempt?: (r: AttemptReport) => void;
}

type Failure = Extract<AttemptOutcome, { ok: false }>;

/**
 * GETs JSON pages: one keep-alive undici Pool per origin (`concurrency` connections), rate-governed,
 * retried per classify.ts with full-jitter backoff or the server's Retry-After, credentials kept on the
 * job's origin (origin-policy.ts), redirects never followed. Every attempt is reported via onAttempt.
 */
export class HttpClient {
  private readonly opts: HttpClientOptions;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly policy: OriginPolicy;
  private readonly pools = new Map<string, Pool>();
  private closed = false;

  constructor(opts: HttpClientOptions) {
    validateHttpClientOptions(opts);
    this.opts = opts;
    this.clock = opts.clock ?? systemClock;
    this.random = opts.random ?? Math.random;
    this.policy = new OriginPolicy(opts);
  }

  async getJson(req: HttpRequest, opts: GetJsonOptions = {}): Promise<HttpResponse> {
    const { signal } = opts;
    const { retry, redact, rate, observer } = this.opts;
    const onAttempt = (r: AttemptReport) => {
      observer?.attemptEnded(r);
      opts.onAttempt?.(r);
    };
    if (this.closed) throw new Error('HttpClient is closed');
    const url = this.parseUrl(req.url);
    const redactedUrl = redact(url.href);
    const headers = this.withDefaults(this.policy.headersFor(url, req.headers));
    const pool = this.poolFor(url.origin);
    let totalRetryDelayMs = 0;
    for (let attempt = 1; ; attempt++) {
      signal?.throwIfAborted();
      await rate.acquire(signal);
      const startedAt = this.clock.now();
      observer?.attemptStarted();
      const out = await runAttempt(pool, url, headers, {
        clock: this.clock,
        maxRetryAfterMs: retry.maxRetryAfterMs,
        maxBodyBytes: this.opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
        deadlineMs: this.opts.timeouts.attemptDeadlineMs ?? DEFAULT_ATTEMPT_DEADLINE_MS,
        redact,
        signal,
      }).catch((err: unknown) => {
        observer?.attemptEnded(undefined); // only the caller's abort is thrown
        throw err;
      });
      const base = { attempt, url: redactedUrl, startedAt, durationMs: this.clock.now() - startedAt };
      if (out.ok) {
        rate.succeeded();
        onAttempt({ ...base, status: 'ok', httpStatus: out.status });
        return { status: out.status, headers: out.headers, body: out.body, text: out.text, bytes: out.bytes, attempts: attempt, url: url.href };
      }
      if (out.decision.action === 'rateLimited') rate.throttled(out.retryAfterMs);
      const report: AttemptReport = {
        ...base,
        status: 'failed',
        errorClass: out.decision.errorClass,
        error: out.error,
        ...(out.status === undefined ? {} : { httpStatus: out.status }),
        ...(out.retryAfterMs === undefined ? {} : { retryAfterMs: out.retryAfterMs }),
      };
      if (out.decision.action === 'fail' || attempt > retry.retries) {
        onAttempt(report);
        throw this.failure(out, attempt, totalRetryDelayMs, redactedUrl);
      }
      const delay = out.retryAfterMs ?? computeDelay(attempt - 1, retry, this.random);
      onAttempt({ ...report, status: 'retrying', retryInMs: delay });
      await this.clock.sleep(delay, signal);
      totalRetryDelayMs += delay;
    }
  }

  /** Closes every pool, waiting for requests in flight. */
  async close(): Promise<void> {
    this.closed = true;
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.close()));
  }

  private parseUrl(raw: string): URL {
    let url: URL | undefined;
    try {
      url = new URL(raw);
    } catch {
      url = undefined;
    }
    if (url && (url.protocol === 'http:' || url.protocol === 'https:')) return url;
    const shown = this.opts.redact(raw);
    throw new HttpError({
      errorClass: 'CLIENT_ERROR',
      message: `not an http(s) URL: ${shown}`,
      url: shown,
      attempts: 0,
      totalRetryDelayMs: 0,
    });
  }

  private withDefaults(headers: Record<string, string>): Record<string, string> {
    const out = { ...headers };
    const has = (name: string) => Object.keys(out).some((k) => k.toLowerCase() === name);
    if (!has('accept')) out.accept = 'application/json';
    if (!has('user-agent')) out['user-agent'] = this.opts.userAgent ?? DEFAULT_USER_AGENT;
    // We decode ourselves (body.ts); undici hands the body over as sent.
    for (const k of Object.keys(out)) if (k.toLowerCase() === 'accept-encoding') delete out[k];
    out['accept-encoding'] = ACCEPT_ENCODING;
    return out;
  }

  private poolFor(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (!pool) {
      const t = this.opts.timeouts;
      pool = new Pool(origin, {
        connections: this.opts.concurrency,
        pipelining: 1,
        keepAliveTimeout: this.opts.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
        connect: { timeout: t.connectTimeoutMs },
        headersTimeout: t.headersTimeoutMs,
        bodyTimeout: t.bodyTimeoutMs,
      });
      this.pools.set(origin, pool);
    }
    return pool;
  }

  /** The error of a request that failed for good. Its parts are redacted already: `url` here, `out.error` by runAttempt. */
  private failure(out: Failure, attempts: number, totalRetryDelayMs: number, url: string): HttpError {
    const what = out.decision.action === 'fail' ? 'failed' : `failed after ${attempts} attempts`;
    return new HttpError({
      errorClass: out.decision.errorClass ?? 'CLIENT_ERROR',
      message: `GET ${url} ${what} [${out.decision.errorClass}]: ${out.error}`,
      url,
      attempts,
      totalRetryDelayMs,
      ...(out.status === undefined ? {} : { statusCode: out.status }),
      ...(out.retryAfterMs === undefined ? {} : { retryAfterMs: out.retryAfterMs }),
      ...(out.cause === undefined ? {} : { cause: out.cause }),
    });
  }
}
