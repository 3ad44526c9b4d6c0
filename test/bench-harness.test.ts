/**
 * The throughput benchmark's parts against real processes: the page server (bodies, token bucket,
 * request log, bad flags), each case's runner with its independent read-back, and the rate case.
 * Small page counts: this checks the benchmark measures what it says, not how fast anything is.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import { startPageServer, type PageServer } from '../bench/page-server-process.js';
import { movie } from '../bench/parquet-records.js';
import { rateCase } from '../bench/rate-case.js';
import { bareCase, pagefleetCase, seedCase, type Sample } from '../bench/throughput-cases.js';
import { REPO } from './harness.js';

const PAGES = 12;
let server: PageServer;

before(async () => {
  server = await startPageServer(['--pages', String(PAGES)]);
});
after(async () => {
  await server?.stop();
});

function assertExactlyOnce(s: Sample, outputs: string[]) {
  assert.deepEqual(s.readBack.map((b) => b.output), outputs);
  for (const b of s.readBack) assert.deepEqual({ count: b.count, distinct: b.distinct }, { count: PAGES * 100, distinct: PAGES * 100 }, b.output);
  assert.ok(s.pagesPerS > 0 && s.cpuS > 0 && s.maxRssMiB > 10, JSON.stringify(s));
  assert.ok(Number.isFinite(s.maxRequestGapMs));
}

test('the page server serves the generator records in TMDB shape, and empty pages past the end', async () => {
  const body = await (await fetch(`${server.url}/3/movie/popular?page=2`)).json();
  assert.equal(body.page, 2);
  assert.equal(body.total_pages, PAGES);
  assert.equal(body.total_results, PAGES * 100);
  assert.deepEqual(body.results[7], movie(107));
  const past = await (await fetch(`${server.url}/3/movie/popular?page=${PAGES + 1}`)).json();
  assert.deepEqual(past.results, []);
  assert.equal((await fetch(`${server.url}/3/movie/popular?page=0`)).status, 400);
  assert.equal((await fetch(`${server.url}/other`)).status, 404);
  assert.ok(server.meanBodyBytes > 40_000, `about 50 KB a page, got ${server.meanBodyBytes}`);
});

test('the page server rate-limits with 429 + Retry-After and logs every page request', async () => {
  const limited = await startPageServer(['--pages', '3', '--rate-limit', '1', '--burst', '2', '--log']);
  try {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${limited.url}/3/movie/popular?page=${i + 1}`);
      await res.arrayBuffer();
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
    }
    assert.deepEqual(statuses, [200, 200, 429]);
    assert.ok(Number(retryAfter) >= 1, `Retry-After ${retryAfter}`);
    const log = await limited.log();
    assert.deepEqual(log.map(([, page, status]) => [page, status]), [[1, 200], [2, 200], [3, 429]]);
    assert.ok(log[0][0] <= log[2][0] && Math.abs(log[0][0] - Date.now()) < 60_000, 'epoch-ms arrival times');
  } finally {
    await limited.stop();
  }
});

test('bad flags of the page server and of the benchmark: one line, exit 2', () => {
  for (const [script, args, line] of [
    ['page-server.js', ['--pages', '0'], /^page-server: --pages: expected an integer >= 1, got 0\n$/],
    ['throughput.js', ['--runs', 'x'], /^bench: --runs: expected an integer >= 1, got x\n$/],
    ['throughput.js', ['--bogus'], /^bench: flags: expected known flags \(.*Unknown option '--bogus'.*\n$/],
  ] as const) {
    const r = spawnSync(process.execPath, [join(REPO, 'dist/bench', script), ...args], { encoding: 'utf8' });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, line);
    assert.equal(r.stdout, '');
  }
});

test('seed-style Python baseline: every record once in its JSON files', async () => {
  assertExactlyOnce(await seedCase().run(server.url, PAGES), ['json files']);
});

test('bare Node fetcher: every record once in its gzip NDJSON, with its stalls measured', async () => {
  const s = await bareCase(1).run(server.url, PAGES);
  assertExactlyOnce(s, ['ndjson']);
  assert.ok(Number.isFinite(s.maxEventLoopBlockMs));
});

test('pagefleet case: 2 executors, both formats, each read back independently', async () => {
  const s = await pagefleetCase(['parquet', 'ndjson'], 2, 6).run(server.url, PAGES);
  assertExactlyOnce(s, ['parquet', 'ndjson']);
  assert.ok(Number.isFinite(s.maxEventLoopBlockMs));
});

test('rate case: staggered executors, the server log analysed, every record once', async () => {
  const r = await rateCase(40, 20, 4, 300);
  assert.deepEqual(r.readBack, { count: 4000, distinct: 4000 });
  assert.equal(r.finishedAtS.length, 4);
  assert.equal(r.report.ok + r.report.throttled, r.report.requests);
  assert.ok(r.report.ok >= 40, `${r.report.ok} pages answered`);
  assert.ok(r.report.spanS > 1, `span ${r.report.spanS}`);
  // the server's bucket (20/s, 1 token) lets through at most limit × span + 1 answered 200
  assert.ok(r.report.shareOfLimit > 0 && r.report.shareOfLimit <= 1 + 1 / (20 * r.report.spanS) + 1e-9, `share ${r.report.shareOfLimit}`);
});
