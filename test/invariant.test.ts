import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pagefleet, readBack, run, startMockApi, tempDir, waitFor, writeJob } from './harness.js';

/**
 * DESIGN invariant 1 (exactly once per page) under faults and a kill -9: three executors run as separate
 * processes (as pods or mapped tasks would), one is killed mid-run, then resumed with the same run id.
 * An independent reader then counts every record: exactly the catalogue, no id twice.
 */
const SIZE = 20_000;
let api: Awaited<ReturnType<typeof startMockApi>>;

before(async () => {
  api = await startMockApi([
    '--size', String(SIZE), '--per-page', '100', '--seed', '7', '--latency', '3',
    '--error-rate', '0.05', '--reset-rate', '0.02', '--truncate-rate', '0.02', '--html-rate', '0.02',
  ]);
});
after(async () => api.stop());

for (const format of ['parquet', 'ndjson'] as const) {
  test(`kill -9 one of 3 executors, resume: every record exactly once (${format})`, { timeout: 180_000 }, async () => {
    const dir = await tempDir();
    const root = join(dir, 'landing');
    const job = await writeJob(
      dir,
      `dataset: movies
source: { url: "${api.url}/3/movie/popular", records: results }
pagination: { page: { param: page, start: 1, total_pages: total_pages } }
limits: { rate: 90, concurrency: 4, retries: 10, timeout: 5s }
output: { root: "${root}", formats: [${format}], file_target: 200KiB }
`,
    );
    const runId = `kill-test-${format}`;
    const exec = (i: number) => pagefleet(['ingest', job, '--run-id', runId, '--executors', '3', '--executor-index', String(i), '--log-format', 'json']);
    const procs = [0, 1, 2].map(exec);
    const victim = procs[1];
    const commits = join(root, '_pagefleet/movies', `run_id=${runId}`, 'commits', format);
    await waitFor(async () => (await readdir(commits).catch(() => [])).filter((f) => f.startsWith('part-e001')).length >= 2, 60_000);
    victim.child.kill('SIGKILL');
    const killed = await victim.done;
    assert.equal(killed.signal, 'SIGKILL');
    const others = await Promise.all([procs[0].done, procs[2].done]);
    for (const o of others) assert.equal(o.code, 0, o.stderr);

    const partial = await run(['status', job, '--run-id', runId, '--json']);
    assert.equal(partial.code, 1, 'status exits 1 while pages are missing');
    const before = JSON.parse(partial.stdout);
    assert.ok(before.executors[1].missing > 0, 'the killed executor left pages missing');
    assert.ok(before.executors[1].landed > 0, 'the killed executor had landed some pages');

    const resumed = await exec(1).done;
    assert.equal(resumed.code, 0, resumed.stderr);
    const resumedStats = JSON.parse(resumed.stderr.trim().split('\n').filter((l) => l.includes('executor_finished')).pop()!);
    assert.equal(resumedStats.pagesAlreadyLanded, before.executors[1].landed, 'resume fetched only pages that had not landed');

    const final = await run(['status', job, '--run-id', runId, '--json']);
    assert.equal(final.code, 0, final.stdout);
    const st = JSON.parse(final.stdout);
    assert.equal(st.complete, true);
    assert.equal(st.totals.landed, SIZE / 100);
    assert.equal(st.records, SIZE);
    assert.equal(st.reconcile.ledger_landed_without_file, 0);
    assert.deepEqual(st.reconcile.orphan_files, []);

    const data = readBack(root, 'movies', format);
    assert.equal(data.count, SIZE, 'record count equals the catalogue size');
    assert.equal(data.distinct, SIZE, 'no id appears twice');
    assert.equal(data.min, 1);
    assert.equal(data.max, SIZE);
    assert.deepEqual(data.temp_files, [], 'no temp file is left where readers look');
    assert.ok(data.files < SIZE / 100, 'pages are batched into fewer files than pages');
  });
}
