import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { listKeys, pagefleet, readBack, sleep, startMockApi, tempDir, writeJob } from './harness.js';

/**
 * output.max_file_age: against a slow (rate-limited) API a file is cut when its first page is that old,
 * long before it reaches file_target, so readers get data while the run goes on.
 */
let api: Awaited<ReturnType<typeof startMockApi>>;
before(async () => {
  api = await startMockApi(['--size', '2000', '--per-page', '20', '--seed', '5']);
});
after(() => api.stop());

test('files are cut by age under a slow API: files land while the run goes on, several per block', { timeout: 60_000 }, async () => {
  const dir = await tempDir();
  const root = join(dir, 'landing');
  const job = await writeJob(dir, `dataset: slow
source: { url: "${api.url}/3/movie/popular", records: results }
pagination: { page: { total_pages: total_pages } }
limits: { rate: 10, concurrency: 2 }
output: { root: "${root}", formats: [parquet, ndjson], file_target: 64MiB, max_file_age: 1s }
`);
  const started = Date.now();
  const p = pagefleet(['ingest', job, '--run-id', 'slow', '--executors', '1', '--executor-index', '0']);
  let firstFileAfterMs: number | undefined;
  while (firstFileAfterMs === undefined && Date.now() - started < 20_000) {
    if ((await listKeys(root, 'slow/ndjson/ingest_date=')).some((k) => k.endsWith('.ndjson.gz'))) firstFileAfterMs = Date.now() - started;
    else await sleep(100);
  }
  const r = await p.done;
  const elapsed = Date.now() - started;
  assert.equal(r.code, 0, r.stderr);
  assert.ok(firstFileAfterMs !== undefined && firstFileAfterMs < elapsed / 2, `first file after ${firstFileAfterMs} ms of a ${elapsed} ms run`);
  const d = readBack(root, 'slow', 'ndjson');
  assert.equal(d.distinct, 2000);
  assert.equal(d.count, 2000);
  // 100 pages in 4 blocks of 25 at 10 pages/s: 2.5 s a block, so a 1 s age cuts 2 or 3 files per block
  // where size alone (64MiB) would cut one
  assert.ok(d.files >= 8, `${d.files} files`);
});
