import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readBack, run, startMockApi, tempDir, writeJob } from './harness.js';

/** Every pagination style end to end against the demo API: every record lands exactly once. */
const SIZE = 2_345;
let api: Awaited<ReturnType<typeof startMockApi>>;
before(async () => {
  api = await startMockApi(['--size', String(SIZE), '--per-page', '100', '--error-rate', '0.05', '--seed', '3']);
});
after(async () => api.stop());

async function ingestAll(name: string, source: string, pagination: string, extra = '', executors = 2) {
  const dir = await tempDir();
  const root = join(dir, 'landing');
  const job = await writeJob(
    dir,
    `dataset: ${name}
source: ${source}
pagination: ${pagination}
${extra}
limits: { rate: 400, concurrency: 4, retries: 8 }
output: { root: "${root}", formats: [parquet, ndjson], file_target: 100KiB }
`,
  );
  const r = await run(['ingest', job, '--executors', String(executors), '--json']);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const summary = JSON.parse(r.stdout);
  for (const format of ['parquet', 'ndjson'] as const) {
    const data = readBack(root, name, format);
    assert.equal(data.count, SIZE, `${format}: every record`);
    assert.equal(data.distinct, SIZE, `${format}: no record twice`);
  }
  return summary;
}

test('page style, page space from total_pages', async () => {
  const s = await ingestAll('by_page', `{ url: "${api.url}/3/movie/popular", records: results }`, '{ page: { total_pages: total_pages, total_results: total_results } }');
  assert.equal(s.status.totals.landed, Math.ceil(SIZE / 100));
  assert.equal(s.status.announced_records, SIZE);
});

test('page style, page space from Link rel="last"', async () => {
  await ingestAll('by_link_last', `{ url: "${api.url}/3/movie/popular", records: results }`, '{ page: { link_last: true } }');
});

test('top-level array, page space from X-Total-Count', async () => {
  await ingestAll('by_array', `{ url: "${api.url}/array", records: "" }`, '{ page: { total_header: X-Total-Count, size: 100 } }');
});

test('offset style, total from the body', async () => {
  const s = await ingestAll('by_offset', `{ url: "${api.url}/movies", records: results }`, '{ offset: { limit: 100, total: total_results } }', '', 3);
  assert.equal(s.status.totals.landed, Math.ceil(SIZE / 100));
});

test('cursor style, one chain per year slice, spread over executors', async () => {
  const s = await ingestAll(
    'by_cursor',
    `{ url: "${api.url}/cursor", records: results }`,
    '{ cursor: { param: cursor, next: meta.next_cursor, limit_param: limit, limit: 100 } }',
    `slices: { param: year, values: [${Array.from({ length: 2026 - 1950 + 1 }, (_, i) => 1950 + i).join(', ')}] }`,
    3,
  );
  assert.ok(s.status.executors.every((e: any) => e.chains > 0 && e.chains === e.chainsComplete), 'every chain complete');
});

test('next-link style from the body, one chain', async () => {
  await ingestAll('by_link_body', `{ url: "${api.url}/link", records: results }`, '{ link: { next: links.next } }', '', 1);
});

test('next-link style from the Link header', async () => {
  await ingestAll('by_link_header', `{ url: "${api.url}/link", records: results }`, '{ link: { header: link } }', '', 1);
});
