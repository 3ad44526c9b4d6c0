import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { HttpClient } from './client.js';
import { HttpError } from './http-error.js';
import { Redactor } from './redact.js';
import { recordingClock, recordingRate, startServer, type SpecServer } from '../../test/spec-server.js';
import type { AttemptReport } from './types.js';

/** The token travels in a header, a custom header and the query string; the servers echo all of it back. */
const SECRET = 'tok_9f8e7d6c5b4a';
const headers = { Authorization: `Bearer ${SECRET}`, 'X-Api-Key': SECRET, Cookie: 'session=abc', 'X-Trace': 'trace-1' };

let job: SpecServer;
let allowed: SpecServer;
let other: SpecServer;
let mode: 'json' | 'echo500' | 'echoHtml' = 'json';
const echo = (req: import('node:http').IncomingMessage) => `${req.url} ${JSON.stringify(req.headers)}`;

before(async () => {
  job = await startServer((req, res) => {
    if (mode === 'echo500') {
      res.writeHead(500, { 'content-type': 'text/plain' });
      return res.end(`failed for ${echo(req)}`);
    }
    if (mode === 'echoHtml') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end(`<html>${SECRET}: ${echo(req)}</html>`);
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  const ok = startServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"next":true}');
  });
  [allowed, other] = await Promise.all([ok, ok.then(() => startServer((_q, res) => res.end('{}')))]);
});

const clients: HttpClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all([job, allowed, other].map((s) => s.close()));
});

function client(): HttpClient {
  const c = new HttpClient({
    origin: job.origin,
    allowedOrigins: [allowed.origin],
    credentialHeaders: ['x-api-key'],
    retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 1000 },
    timeouts: { connectTimeoutMs: 1000, headersTimeoutMs: 1000, bodyTimeoutMs: 1000 },
    concurrency: 2,
    rate: recordingRate(),
    redact: new Redactor([SECRET], []).fn,
    clock: recordingClock(),
  });
  clients.push(c);
  return c;
}

describe('HttpClient: credentials stay on the job origin', () => {
  it('sends credentials to the job origin', async () => {
    mode = 'json';
    const before = job.hits.length;
    await client().getJson({ url: `${job.origin}/items?page=1&api_key=${SECRET}`, headers });
    const got = job.hits[before].headers;
    assert.equal(got.authorization, `Bearer ${SECRET}`);
    assert.equal(got['x-api-key'], SECRET);
  });

  it('refuses an origin that is not allowed, sending nothing', async () => {
    const reports: AttemptReport[] = [];
    const err = await client()
      .getJson({ url: `${other.origin}/next?api_key=${SECRET}`, headers }, { onAttempt: (r) => reports.push(r) })
      .catch((e: unknown) => e);
    assert.ok(err instanceof HttpError);
    assert.equal(err.code, 'PF_ERR_CROSS_ORIGIN');
    assert.equal(err.failure, 'CROSS_ORIGIN');
    assert.equal(err.attempts, 0);
    assert.ok(err.message.includes(other.origin) && err.message.includes(job.origin), err.message);
    assert.ok(!err.message.includes(SECRET) && !err.url.includes(SECRET));
    assert.equal(other.hits.length, 0);
    assert.equal(reports.length, 0);
  });

  it('sends no credential header to an allowed origin', async () => {
    const r = await client().getJson({ url: `${allowed.origin}/next?page=2`, headers });
    assert.deepEqual(r.body, { next: true });
    const got = allowed.hits[allowed.hits.length - 1].headers;
    assert.equal(got.authorization, undefined);
    assert.equal(got['x-api-key'], undefined);
    assert.equal(got.cookie, undefined);
    assert.equal(got['proxy-authorization'], undefined);
    assert.equal(got['x-trace'], 'trace-1');
    assert.ok(!JSON.stringify(got).includes(SECRET));
  });

  for (const m of ['echo500', 'echoHtml'] as const) {
    it(`never puts the secret in an error, its cause or an attempt report (${m})`, async () => {
      mode = m;
      const reports: AttemptReport[] = [];
      const err = await client()
        .getJson({ url: `${job.origin}/items?api_key=${SECRET}&token=${SECRET}`, headers }, { onAttempt: (r) => reports.push(r) })
        .catch((e: unknown) => e);
      assert.ok(err instanceof HttpError);
      assert.equal(err.attempts, 3);
      assert.ok(job.hits.at(-1)!.url!.includes(SECRET), 'the server did get the secret');
      const everything = [err.message, err.url, inspect(err, { depth: 10 }), JSON.stringify(reports), String(err)].join('\n');
      assert.ok(!everything.includes(SECRET), everything);
      assert.match(err.url, /api_key=\*\*\*&token=\*\*\*/);
      assert.ok(reports.every((r) => r.error && !r.error.includes('\n')));
    });
  }
});
