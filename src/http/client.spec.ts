import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { systemClock } from '../clock.js';
import { HttpClient } from './client.js';
import { HttpError } from './http-error.js';
import { RateGovernor } from './rate-governor.js';
import { Redactor } from './redact.js';
import { recordingClock, recordingRate, startServer, type Handler } from '../../test/spec-server.js';
import type { AttemptReport, HttpClientOptions } from './types.js';

const json = (res: import('node:http').ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

const clients: HttpClient[] = [];
const servers: { close(): Promise<void> }[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all(servers.map((s) => s.close()));
});

async function setup(handler: Handler, over: Partial<HttpClientOptions> = {}) {
  const server = await startServer(handler);
  servers.push(server);
  const clock = recordingClock();
  const rate = recordingRate();
  const client = new HttpClient({
    origin: server.origin,
    allowedOrigins: [],
    credentialHeaders: [],
    retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 5000 },
    timeouts: { connectTimeoutMs: 1000, headersTimeoutMs: 1000, bodyTimeoutMs: 1000 },
    concurrency: 2,
    rate,
    redact: new Redactor([]).fn,
    clock,
    random: () => 0.5,
    ...over,
  });
  clients.push(client);
  const reports: AttemptReport[] = [];
  const get = (path = '/items?page=1', signal?: AbortSignal) =>
    client.getJson({ url: server.origin + path, headers: {} }, { signal, onAttempt: (r) => reports.push(r) });
  return { server, client, clock, rate, reports, get };
}

describe('HttpClient against a real server', () => {
  it('retries a 500, then returns the parsed 200', async () => {
    const t = await setup((_q, res, n) => (n === 1 ? json(res, 500, { error: 'x' }) : json(res, 200, { page: 1 })));
    const r = await t.get();
    assert.deepEqual(r.body, { page: 1 });
    assert.equal(r.attempts, 2);
    assert.equal(r.status, 200);
    assert.deepEqual(t.reports.map((x) => [x.attempt, x.status, x.httpStatus, x.errorClass]), [
      [1, 'retrying', 500, 'SERVER_ERROR'],
      [2, 'ok', 200, undefined],
    ]);
    assert.equal(t.reports[0].retryInMs, 0); // attempt 0 backoff: 0.5 * min(5, 1 * 2^0) floored
    assert.equal(t.rate.acquired, 2);
    assert.equal(t.rate.successes, 1);
  });

  it('tells its observer of every attempt: started, then ended with the same report, or undefined when aborted', async () => {
    const seen: (string | undefined)[] = [];
    const observer = {
      attemptStarted: () => seen.push('started'),
      attemptEnded: (r: AttemptReport | undefined) => seen.push(r ? `${r.status} ${r.httpStatus}` : undefined),
    };
    const t = await setup((q, res, n) => (q.url?.includes('hang') ? undefined : n === 1 ? json(res, 503, {}) : json(res, 200, [1])), { observer });
    await t.get();
    assert.deepEqual(seen, ['started', 'retrying 503', 'started', 'ok 200']);
    assert.deepEqual(t.reports.map((r) => `${r.status} ${r.httpStatus}`), ['retrying 503', 'ok 200']);
    seen.length = 0;
    const abort = new AbortController();
    const pending = t.get('/hang', abort.signal);
    while (seen.length === 0) await new Promise((r) => setImmediate(r));
    abort.abort(new Error('stop'));
    await assert.rejects(pending, /stop/);
    assert.deepEqual(seen, ['started', undefined]);
  });

  it('obeys Retry-After on a 429, tells the governor, records retryAfterMs', async () => {
    const t = await setup((_q, res, n) => (n === 1 ? json(res, 429, {}, { 'retry-after': '1' }) : json(res, 200, [1])));
    const r = await t.get();
    assert.deepEqual(r.body, [1]);
    assert.deepEqual(t.clock.sleeps, [1000]);
    assert.deepEqual(t.rate.throttles, [1000]);
    assert.equal(t.reports[0].errorClass, 'THROTTLING');
    assert.equal(t.reports[0].retryAfterMs, 1000);
    assert.equal(t.reports[0].retryInMs, 1000);
  });

  it('really waits out Retry-After with the system clock and a real RateGovernor', async () => {
    const rate = new RateGovernor({ rate: 50, clock: systemClock });
    const t = await setup((_q, res, n) => (n === 1 ? json(res, 429, {}, { 'retry-after': '1' }) : json(res, 200, {})), {
      rate,
      clock: systemClock,
    });
    const started = Date.now();
    await t.get();
    assert.ok(Date.now() - started >= 990, `waited ${Date.now() - started} ms`);
    assert.ok(rate.currentRate < 50);
  });

  it('a 503 with Retry-After is THROTTLING', async () => {
    const t = await setup((_q, res, n) => (n === 1 ? json(res, 503, {}, { 'retry-after': '2' }) : json(res, 200, {})));
    await t.get();
    assert.equal(t.reports[0].errorClass, 'THROTTLING');
    assert.deepEqual(t.rate.throttles, [2000]);
  });

  it('retries an HTML 200 as BAD_BODY, then fails with PF_ERR_RETRY_EXHAUSTED', async () => {
    const t = await setup((_q, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>Maintenance</body></html>');
    });
    const err = await t.get().catch((e: unknown) => e);
    assert.ok(err instanceof HttpError);
    assert.equal(err.code, 'PF_ERR_RETRY_EXHAUSTED');
    assert.equal(err.failure, 'BAD_BODY');
    assert.equal(err.attempts, 3);
    assert.equal(err.statusCode, 200);
    assert.match(err.message, /not JSON \(text\/html/);
    assert.equal(t.server.hits.length, 3);
    assert.deepEqual(t.reports.map((r) => r.status), ['retrying', 'retrying', 'failed']);
  });

  it('retries a destroyed socket as TRANSIENT', async () => {
    const t = await setup((q, res, n) => (n === 1 ? q.socket.destroy() : json(res, 200, { ok: true })));
    const r = await t.get();
    assert.equal(r.attempts, 2);
    assert.equal(t.reports[0].errorClass, 'TRANSIENT');
    assert.equal(t.reports[0].httpStatus, undefined);
  });

  it('retries a body cut short (content-length mismatch) as TRANSIENT', async () => {
    const t = await setup((_q, res, n) => {
      if (n > 1) return json(res, 200, { ok: true });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"page": 1, "res');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const r = await t.get();
    assert.equal(r.attempts, 2);
    assert.equal(t.reports[0].errorClass, 'TRANSIENT');
  });

  it('a headers timeout is TIMEOUT, retried, then exhausted', async () => {
    const t = await setup((_q, res) => setTimeout(() => json(res, 200, {}), 2000).unref(), {
      timeouts: { connectTimeoutMs: 1000, headersTimeoutMs: 150, bodyTimeoutMs: 1000 },
      retry: { retries: 1, minDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 5000 },
    });
    const err = await t.get().catch((e: unknown) => e);
    assert.ok(err instanceof HttpError);
    assert.equal(err.failure, 'TIMEOUT');
    assert.equal(err.code, 'PF_ERR_RETRY_EXHAUSTED');
    assert.equal(err.attempts, 2);
    assert.match(err.message, /UND_ERR_HEADERS_TIMEOUT/);
  });

  it('a body that drips past the attempt deadline is TIMEOUT, retried, then exhausted', { timeout: 10_000 }, async () => {
    const t = await setup((_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[');
      const drip = setInterval(() => res.write(' '), 50); // never idle for bodyTimeoutMs, never done
      res.on('close', () => clearInterval(drip));
    }, {
      timeouts: { connectTimeoutMs: 1000, headersTimeoutMs: 1000, bodyTimeoutMs: 1000, attemptDeadlineMs: 300 },
      retry: { retries: 1, minDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 5000 },
    });
    const started = Date.now();
    const err = await t.get().catch((e: unknown) => e);
    assert.ok(err instanceof HttpError);
    assert.equal(err.failure, 'TIMEOUT');
    assert.equal(err.code, 'PF_ERR_RETRY_EXHAUSTED');
    assert.equal(err.attempts, 2);
    assert.match(err.message, /300 ms deadline \(limits\.deadline/);
    // each attempt ends at its deadline, long before the 1 s idle-gap timeout could (it never fires here)
    assert.deepEqual(t.reports.map((r) => r.durationMs >= 290), [true, true]);
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  });

  it('a body over maxBodyBytes fails at once as TOO_LARGE', async () => {
    const t = await setup((_q, res) => json(res, 200, { results: 'x'.repeat(5000) }), { maxBodyBytes: 1024 });
    const err = await t.get().catch((e: unknown) => e);
    assert.ok(err instanceof HttpError);
    assert.equal(err.failure, 'TOO_LARGE');
    assert.equal(err.code, 'PF_ERR_BODY');
    assert.equal(err.attempts, 1);
    assert.match(err.message, /body larger than the 1024-byte limit \(limits\.max_body\)/);
  });

  it('fails a 404 at once, after one attempt', async () => {
    const t = await setup((_q, res) => json(res, 404, { status_message: 'The resource you requested could not be found.' }));
    const err = await t.get().catch((e: unknown) => e);
    assert.ok(err instanceof HttpError);
    assert.equal(err.code, 'PF_ERR_HTTP_STATUS');
    assert.equal(err.failure, 'CLIENT_ERROR');
    assert.equal(err.statusCode, 404);
    assert.equal(err.attempts, 1);
    assert.equal(err.totalRetryDelayMs, 0);
    assert.match(err.message, /HTTP 404.*could not be found/);
    assert.equal(t.server.hits.length, 1);
    assert.deepEqual(t.reports.map((r) => r.status), ['failed']);
  });

  it('does not follow a redirect', async () => {
    const t = await setup((_q, res) => {
      res.writeHead(302, { location: 'http://127.0.0.1:9/elsewhere' });
      res.end();
    });
    const err = await t.get().catch((e: unknown) => e);
    assert.ok(err instanceof HttpError);
    assert.equal(err.failure, 'CLIENT_ERROR');
    assert.equal(err.statusCode, 302);
    assert.match(err.message, /redirect not followed.*location: http:\/\/127\.0\.0\.1:9\/elsewhere/);
    assert.equal(t.server.hits.length, 1);
  });

  it('decodes gzip and reports decoded bytes; asks for gzip, br', async () => {
    const doc = JSON.stringify({ results: Array.from({ length: 100 }, (_, i) => ({ id: i })) });
    const t = await setup((_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(gzipSync(doc));
    });
    const r = await t.get();
    assert.equal((r.body as { results: unknown[] }).results.length, 100);
    assert.equal(r.bytes, Buffer.byteLength(doc));
    assert.equal(t.server.hits[0].headers['accept-encoding'], 'gzip, br');
    assert.equal(t.server.hits[0].headers.accept, 'application/json');
  });

  it('retries a refused connection as TRANSIENT', async () => {
    const dead = await startServer(() => {});
    await dead.close();
    const t = await setup(() => {}, { origin: dead.origin });
    const err = await t.client.getJson({ url: `${dead.origin}/x`, headers: {} }, { onAttempt: (r) => t.reports.push(r) }).catch((e) => e);
    assert.ok(err instanceof HttpError);
    assert.equal(err.failure, 'TRANSIENT');
    assert.equal(err.attempts, 3);
    assert.match(err.message, /ECONNREFUSED/);
  });

  it('an abort during a wait rejects with the signal reason', async () => {
    const t = await setup((_q, res) => json(res, 429, {}, { 'retry-after': '30' }), { clock: systemClock });
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('shutting down')), 50);
    const started = Date.now();
    await assert.rejects(t.get('/x', ac.signal), /shutting down/);
    assert.ok(Date.now() - started < 1000);
  });

  it('an abort during a request in flight rejects with the signal reason', async () => {
    const t = await setup(() => {});
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('stop now')), 50);
    await assert.rejects(t.get('/hang', ac.signal), /stop now/);
    assert.equal(t.server.hits.length, 1);
  });

  it('refuses to work after close()', async () => {
    const t = await setup((_q, res) => json(res, 200, {}));
    await t.client.close();
    await assert.rejects(t.get(), /closed/);
  });

  it('checks its options', async () => {
    const t = await setup((_q, res) => json(res, 200, {}));
    const base = { ...(t.client as unknown as { opts: HttpClientOptions }).opts };
    assert.throws(() => new HttpClient({ ...base, concurrency: 0 }), /concurrency/);
    assert.throws(() => new HttpClient({ ...base, origin: 'ftp://x' }), /origin/);
    assert.throws(() => new HttpClient({ ...base, retry: { ...base.retry, maxDelayMs: 0, minDelayMs: 5 } }), /retry.maxDelayMs/);
    assert.throws(() => new HttpClient({ ...base, timeouts: { ...base.timeouts, headersTimeoutMs: 0 } }), /headersTimeoutMs/);
    assert.throws(() => new HttpClient({ ...base, timeout: 5 } as HttpClientOptions), /use timeouts\.connectTimeoutMs/);
  });
});
