import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { listKeys, pagefleet, run, startMockApi, tempDir, waitFor, writeJob } from './harness.js';

/** Bounds on a request: a total deadline per attempt, and a largest body. */

/** Page 1 answers at once; page 2 sends its headers, then one byte every 200 ms, forever. */
let drip: Server;
let dripUrl: string;
let page2Requests = 0;
before(async () => {
  drip = createServer((req, res) => {
    const page = new URL(req.url!, 'http://x').searchParams.get('page');
    res.writeHead(200, { 'content-type': 'application/json' });
    if (page !== '2') return res.end(JSON.stringify({ results: [{ id: 1 }, { id: 2 }], total_pages: 2 }));
    page2Requests++;
    res.write('{"results": [');
    const timer = setInterval(() => res.write(' '), 200);
    res.on('close', () => clearInterval(timer));
  });
  await new Promise<void>((r) => drip.listen(0, '127.0.0.1', r));
  dripUrl = `http://127.0.0.1:${(drip.address() as AddressInfo).port}`;
});
after(() => {
  drip.closeAllConnections();
  drip.close();
});

test('a body that drips a byte every 200 ms fails its page at limits.deadline, retried as a timeout; the process exits 1', { timeout: 60_000 }, async () => {
  const dir = await tempDir();
  const job = await writeJob(dir, `dataset: dripping
source: { url: "${dripUrl}/items", records: results }
pagination: { page: { total_pages: total_pages } }
limits: { timeout: 1s, deadline: 2s, retries: 1 }
output: { root: "${join(dir, 'landing')}", formats: [ndjson] }
`);
  const started = Date.now();
  const r = await run(['ingest', job, '--json']);
  const elapsed = Date.now() - started;
  assert.equal(r.code, 1, r.stderr);
  const summary = JSON.parse(r.stdout);
  assert.deepEqual(summary.status.failures, { 'TIMEOUT 200': 1 });
  assert.equal(summary.status.totals.landed, 1, 'page 1 landed');
  assert.equal(page2Requests, 2, 'two attempts of page 2 (retries: 1)');
  assert.match(r.stderr, /2000 ms deadline \(limits\.deadline/);
  // two attempts of 2 s plus one short backoff and the process's start; an idle-gap timeout alone never fires
  assert.ok(elapsed >= 4000 && elapsed < 15_000, `took ${elapsed} ms`);
});

test('limits.max_body: pages over it fail as TOO_LARGE with a clear message; the process exits 1', { timeout: 60_000 }, async () => {
  const api = await startMockApi(['--size', '400', '--per-page', '50', '--seed', '4']);
  try {
    const dir = await tempDir();
    const spec = (limits: string) => `dataset: large
source: { url: "${api.url}/3/movie/popular", records: results }
pagination: { page: { total_pages: total_pages } }
limits: { rate: 200${limits} }
output: { root: "${join(dir, 'landing')}", formats: [ndjson] }
`;
    // the discovery page is itself over 1KiB: a normal run plans and lands some pages, and is stopped
    const first = pagefleet(['ingest', await writeJob(dir, spec(', concurrency: 1').replace('rate: 200', 'rate: 4'), 'a.yaml'), '--run-id', 'L1', '--executors', '2', '--executor-index', '0']);
    await waitFor(async () => (await listKeys(join(dir, 'landing'), 'large/ndjson/ingest_date=')).length >= 1, 30_000);
    first.child.kill('SIGTERM');
    await first.done;
    const before = JSON.parse((await run(['status', await writeJob(dir, spec(', concurrency: 1').replace('rate: 200', 'rate: 4'), 'a.yaml'), '--run-id', 'L1', '--json'])).stdout);
    const left = before.totals.planned - before.totals.landed;
    assert.ok(left > 0 && before.totals.landed > 0, 'some pages landed, some are left');
    const requestsBefore = (await api.stats()).byStatus['200'];
    const small = await writeJob(dir, spec(', concurrency: 1, max_body: 1KiB').replace('rate: 200', 'rate: 4'), 'b.yaml');
    const r = await run(['ingest', small, '--run-id', 'L1', '--executors', '2', '--json']);
    assert.equal(r.code, 1, r.stderr);
    const summary = JSON.parse(r.stdout);
    assert.deepEqual(summary.status.failures, { 'TOO_LARGE 200': left }, 'every page left failed as too large');
    assert.equal(summary.status.totals.landed, before.totals.landed);
    assert.match(r.stderr, /body larger than the 1024-byte limit \(limits\.max_body\)/);
    assert.equal(summary.retries, 0, 'one attempt each: too large is not retried');
    assert.ok((await api.stats()).byStatus['200'] - requestsBefore >= left, 'every page left was asked for');
  } finally {
    await api.stop();
  }
});

test('one rate limiter per process: discovery and the executor draw on one bucket (no 429 from a server allowing rate*t + 1)', { timeout: 60_000 }, async () => {
  // the server's bucket holds 1 request and refills at 1/s; the job asks for 0.8/s
  const api = await startMockApi(['--size', '100', '--per-page', '50', '--seed', '6', '--rate-limit', '1']);
  try {
    const dir = await tempDir();
    const job = await writeJob(dir, `dataset: paced
source: { url: "${api.url}/3/movie/popular", records: results }
pagination: { page: { total_pages: total_pages } }
limits: { rate: 0.8, retries: 0 }
output: { root: "${join(dir, 'landing')}", formats: [ndjson] }
`);
    // one process plans (one discovery request), then fetches both pages: with two buckets the first page
    // would go out right after discovery and get a 429
    const r = await run(['ingest', job, '--run-id', 'P1', '--executors', '1', '--executor-index', '0']);
    assert.equal(r.code, 0, r.stderr);
    const stats = await api.stats();
    assert.deepEqual(stats.byStatus, { '200': 3 }, 'discovery and two pages, none over the budget');
  } finally {
    await api.stop();
  }
});
