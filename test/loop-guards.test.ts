import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { run, tempDir, writeJob } from './harness.js';

/** A misbehaving API: a cursor that repeats, and a page that comes back short. */
let server: Server;
let url: string;
let requests = 0;
before(async () => {
  server = createServer((req, res) => {
    requests++;
    const u = new URL(req.url!, 'http://x');
    const records = (n: number, from: number) => Array.from({ length: n }, (_, i) => ({ id: from + i }));
    res.setHeader('content-type', 'application/json');
    if (u.pathname === '/loop') {
      // page 0 → cursor a, page a → cursor b, page b → cursor a again: a loop
      const c = u.searchParams.get('cursor');
      const next = c === null ? 'a' : c === 'a' ? 'b' : 'a';
      res.end(JSON.stringify({ results: records(10, c === null ? 0 : c === 'a' ? 10 : 20), next }));
    } else if (u.pathname === '/liar') {
      // announces 30 records on 3 pages, serves 26
      const page = Number(u.searchParams.get('page'));
      res.end(JSON.stringify({ results: records(page === 3 ? 6 : 10, page * 100), total_pages: 3, total: 30 }));
    } else if (u.pathname === '/short') {
      const page = Number(u.searchParams.get('page'));
      res.end(JSON.stringify({ results: records(page === 2 ? 4 : 10, page * 100), total_pages: 3 }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

test('a repeated cursor stops the chain with a PAGINATION failure, never an endless loop', async () => {
  const dir = await tempDir();
  const job = await writeJob(dir, `dataset: looping
source: { url: "${url}/loop", records: results }
pagination: { cursor: { param: cursor, next: next } }
output: { root: "${join(dir, 'landing')}", formats: [ndjson] }
`);
  requests = 0;
  const r = await run(['ingest', job, '--json']);
  assert.equal(r.code, 1, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.deepEqual(s.status.failures, { PAGINATION: 1 });
  assert.equal(s.status.totals.landed, 3, 'the three real pages landed');
  assert.ok(requests <= 4, `stopped at once (${requests} requests)`);
  assert.match(r.stderr, /repeated a cursor/);
});

test('a resume of a looping chain lands nothing more: the guard remembers the cursors it has landed', async () => {
  const dir = await tempDir();
  const job = await writeJob(dir, `dataset: looping
source: { url: "${url}/loop", records: results }
pagination: { cursor: { param: cursor, next: next } }
output: { root: "${join(dir, 'landing')}", formats: [ndjson] }
`);
  assert.equal((await run(['ingest', job, '--run-id', 'loop1'])).code, 1);
  for (let resume = 0; resume < 2; resume++) {
    requests = 0;
    const r = await run(['ingest', job, '--run-id', 'loop1', '--json']);
    assert.equal(r.code, 1, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.equal(s.status.totals.landed, 3, 'still the three real pages: no duplicate landed');
    assert.equal(s.status.records, 30);
    assert.equal(requests, 0, 'the repeated cursor is recognised before it is fetched');
  }
});

test('a record total below what the API announced is not complete, and says so', async () => {
  const dir = await tempDir();
  const job = await writeJob(dir, `dataset: liar
source: { url: "${url}/liar", records: results }
pagination: { page: { start: 1, total_pages: total_pages, total_results: total } }
output: { root: "${join(dir, 'landing')}", formats: [ndjson] }
`);
  const r = await run(['ingest', job, '--json']);
  assert.equal(r.code, 1, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.equal(s.status.totals.landed, 3);
  assert.equal(s.status.complete, false);
  assert.match(s.status.problems.join('\n'), /4 of the 30 records the API announced were not landed/);
});

test('a short page before the announced last page lands with a warning, not silently', async () => {
  const dir = await tempDir();
  const job = await writeJob(dir, `dataset: short
source: { url: "${url}/short", records: results }
pagination: { page: { start: 1, total_pages: total_pages } }
output: { root: "${join(dir, 'landing')}", formats: [ndjson] }
`);
  const r = await run(['ingest', job, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.equal(s.warnings, 1);
  assert.equal(s.status.records, 24);
});
