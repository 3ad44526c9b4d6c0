import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { listKeys, pagefleet, readBack, run, startMockApi, tempDir, waitFor, writeJob } from './harness.js';

/**
 * The full history of a capped API (the demo's /3/discover/movie answers at most --max-pages pages per
 * query, as TMDB answers 500): date windows that split themselves, slices with offset pagination,
 * incremental runs from where the last one ended, and values from the environment that are not secrets.
 */
const SIZE = 4_000;

async function ledgerLines(root: string, dataset: string): Promise<Record<string, any>[]> {
  const base = join(root, '_pagefleet', dataset);
  const out: Record<string, any>[] = [];
  for (const entry of await readdir(base, { recursive: true })) {
    if (!entry.endsWith('.jsonl')) continue;
    out.push(...(await readFile(join(base, entry), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l)));
  }
  return out;
}

const windowsJob = (url: string, root: string, slices: string, extra = '') => `dataset: movies
source: { url: "${url}/3/discover/movie", records: results }
pagination: { page: { total_pages: total_pages, total_results: total_results } }
slices: ${slices}
limits: { rate: 400, concurrency: 4 }
output: { root: "${root}", formats: [parquet, ndjson], file_target: 256KiB }
${extra}`;

describe('windows that split themselves (the API caps every query at 5 pages of 20)', () => {
  let api: Awaited<ReturnType<typeof startMockApi>>;
  before(async () => {
    api = await startMockApi(['--size', String(SIZE), '--per-page', '20', '--max-pages', '5', '--seed', '11']);
  });
  after(() => api.stop());

  test('the full history lands exactly once through split windows, across a kill -9 and a resume', { timeout: 180_000 }, async () => {
    const dir = await tempDir();
    const root = join(dir, 'landing');
    const job = await writeJob(dir, windowsJob(api.url, root,
      '{ from_param: primary_release_date.gte, to_param: primary_release_date.lte, from: 1950-01-01, to: 2024-12-31, step: 3650d, max_pages: 5 }'));
    const exec = (i: number) => pagefleet(['ingest', job, '--run-id', 'history', '--executors', '2', '--executor-index', String(i), '--log-format', 'json']);
    const first = [exec(0), exec(1)];
    await waitFor(async () => (await listKeys(root, 'movies/ndjson/ingest_date=')).some((k) => k.includes('/part-e001-')), 60_000);
    first[1].child.kill('SIGKILL');
    assert.equal((await first[0].done).code, 0);
    const resumed = await exec(1).done;
    assert.equal(resumed.code, 0, resumed.stderr);

    const st = JSON.parse((await run(['status', job, '--run-id', 'history', '--json'])).stdout);
    assert.equal(st.complete, true, JSON.stringify(st.problems));
    const split = st.executors.reduce((n: number, e: any) => n + e.windowsSplit, 0);
    const windows = st.executors.reduce((n: number, e: any) => n + e.slices, 0);
    assert.ok(split > 0 && windows > 8, `the 8 ten-year windows were split (${split} splits, ${windows} windows)`);
    assert.equal(st.unreachable_records, 0);
    for (const f of ['parquet', 'ndjson'] as const) {
      const d = readBack(root, 'movies', f);
      assert.equal(d.count, SIZE, `${f}: every record of the catalogue`);
      assert.equal(d.distinct, SIZE, `${f}: each once`);
    }
    const lines = await ledgerLines(root, 'movies');
    assert.ok(lines.some((l) => /^\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2}$/.test(l.slice ?? '')), 'ledger lines name their window');
  });

  test('without slices, a capped API is never reported COMPLETE: status says to slice the query', async () => {
    const dir = await tempDir();
    const job = await writeJob(dir, windowsJob(api.url, join(dir, 'landing'), 'null').replace('slices: null\n', ''));
    const r = await run(['ingest', job, '--json']);
    assert.equal(r.code, 1);
    const s = JSON.parse(r.stdout);
    assert.equal(s.status.records, 100, 'the 5 pages the API serves');
    assert.match(s.status.problems.join('\n'), /the API announced 4000 records but serves 5 pages of 20 \(it caps each query\): slice the query/);
  });

  test('a one-day window above the cap lands what it can and says how many records it cannot reach', { timeout: 120_000 }, async () => {
    const dense = await startMockApi(['--size', '30000', '--per-page', '1', '--max-pages', '1', '--seed', '11']);
    try {
      const dir = await tempDir();
      const root = join(dir, 'landing');
      const job = await writeJob(dir, windowsJob(dense.url, root,
        '{ from_param: primary_release_date.gte, to_param: primary_release_date.lte, from: 2000-01-01, to: 2000-03-31, max_pages: 1 }'));
      const r = await run(['ingest', job, '--run-id', 'dense', '--executors', '2', '--json']);
      assert.equal(r.code, 0, r.stderr);
      const s = JSON.parse(r.stdout);
      assert.ok(s.status.unreachable_records > 0, 'some days hold more records than the cap');
      assert.match(s.status.notes.join('\n'), /records are in one-day windows that announce more pages than slices.max_pages/);
      const lines = await ledgerLines(root, 'movies');
      const warned = lines.filter((l) => /cannot be reached/.test(l.warning ?? ''));
      assert.ok(warned.length > 0, 'a ledger warning on each capped window');
      const d = readBack(root, 'movies', 'ndjson');
      assert.equal(d.count, d.distinct);
      const total = (await (await fetch(`${dense.url}/3/discover/movie?primary_release_date.gte=2000-01-01&primary_release_date.lte=2000-03-31`)).json()).total_results;
      assert.equal(d.count + s.status.unreachable_records, total, 'landed + unreachable = what the API holds in the window');
    } finally {
      await dense.stop();
    }
  });
});

test('slices with offset pagination: each window is its own offset space', { timeout: 120_000 }, async () => {
  const api = await startMockApi(['--size', '3000', '--per-page', '20', '--max-pages', '1000', '--seed', '12']);
  try {
    const dir = await tempDir();
    const root = join(dir, 'landing');
    const job = await writeJob(dir, `dataset: movies
source: { url: "${api.url}/discover/offset", records: results }
pagination: { offset: { param: offset, limit_param: limit, limit: 25, total: total } }
slices: { from_param: primary_release_date.gte, to_param: primary_release_date.lte, from: 1950-01-01, to: 2024-12-31, step: 1825d }
limits: { rate: 400, concurrency: 4 }
output: { root: "${root}", formats: [ndjson] }
`);
    const r = await run(['ingest', job, '--executors', '2', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.equal(s.status.complete, true);
    assert.equal(s.status.executors.reduce((n: number, e: any) => n + e.slices, 0), 16, '27,394 days in windows of 1,825');
    const d = readBack(root, 'movies', 'ndjson');
    assert.equal(d.count, 3000);
    assert.equal(d.distinct, 3000);
  } finally {
    await api.stop();
  }
});

test('incremental runs: from: last fetches only what the last complete run did not cover, and the union is exact', { timeout: 180_000 }, async () => {
  const dir = await tempDir();
  const root = join(dir, 'landing');
  const env = { PF_LANG: 'xx-YY' };
  const job = async (url: string) =>
    writeJob(dir, windowsJob(url, root, '{ from_param: primary_release_date.gte, to_param: primary_release_date.lte, from: last, step: 3650d }')
      .replace('records: results }', 'records: results, params: { language: "${env:PF_LANG}" } }'));

  const before = await startMockApi(['--size', '2000', '--per-page', '20', '--seed', '13']);
  try {
    const none = await run(['ingest', await job(before.url), '--json'], env);
    assert.equal(none.code, 2, 'the first run has no last run to go on from');
    assert.match(none.stderr, /slices\.from: last: no complete run of dataset movies/);
    const first = await run(['ingest', await job(before.url), '--from', '1950-01-01', '--to', '2024-12-31', '--json'], env);
    assert.equal(first.code, 0, first.stderr);
  } finally {
    await before.stop();
  }
  // 500 records are added, released after 2024-12-31 (10 a day)
  const grown = await startMockApi(['--size', '2500', '--base-size', '2000', '--added-after', '2024-12-31', '--per-page', '20', '--seed', '13']);
  try {
    const second = await run(['ingest', await job(grown.url), '--to', '2025-12-31', '--json'], env);
    assert.equal(second.code, 0, second.stderr);
    const s = JSON.parse(second.stdout);
    assert.equal(s.status.records, 500, 'only the new window was fetched');
    const d = readBack(root, 'movies', 'parquet');
    assert.equal(d.count, 2500, 'the union of both runs');
    assert.equal(d.distinct, 2500, 'no record twice');
    const lines = (await ledgerLines(root, 'movies')).filter((l) => l.run_id === s.status.run_id);
    assert.ok(lines.some((l) => l.slice === '2025-01-01..2025-12-31'), 'the window from --to and from: last is visible in the ledger');
    assert.ok(lines.some((l) => String(l.cursor).includes('language=xx-YY')), 'a ${env:VAR} value is not a secret: not redacted');
    const again = await run(['ingest', await job(grown.url), '--to', '2025-12-31', '--json'], env);
    assert.equal(again.code, 2, 'nothing new: the window would be empty');
    assert.match(again.stderr, /the window is empty: from 2026-01-01 is after to 2025-12-31/);
  } finally {
    await grown.stop();
  }
});

test('slices that cannot be honoured are refused (exit 2, one line)', async () => {
  const dir = await tempDir();
  const cases: [string, RegExp][] = [
    ['pagination: { cursor: { param: c, next: n } }\nslices: { from_param: a, to_param: b, from: 2020-01-01, to: 2020-02-01, max_pages: 5 }', /slices\.max_pages: needs page or offset pagination/],
    ['pagination: { page: { total_pages: t } }\nslices: { param: year, values: [1, 2], max_pages: 5 }', /slices\.max_pages: needs windows/],
    ['pagination: { page: { total_pages: t } }\nslices: { from_param: a, from: 2020-01-01, to: 2020-02-01 }', /slices: expected both from_param and to_param/],
    ['pagination: { page: { total_pages: t } }\nslices: { from_param: a, to_param: b, from: 2020-01-01, lookback: 2d }', /slices\.lookback: applies to from: last only/],
  ];
  for (const [body, expected] of cases) {
    const job = await writeJob(dir, `dataset: d\nsource: { url: "http://127.0.0.1:9/x", records: results }\n${body}\noutput: { root: "${join(dir, 'l')}" }\n`);
    const r = await run(['plan', job]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, expected);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  }
  const noSlices = await writeJob(dir, `dataset: d\nsource: { url: "http://127.0.0.1:9/x", records: results }\npagination: { page: { end: 3 } }\noutput: { root: "${join(dir, 'l')}" }\n`);
  const r = await run(['plan', noSlices, '--from', '2020-01-01']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--from: the spec has no slices/);
});
