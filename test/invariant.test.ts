import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { listKeys, pagefleet, readBack, run, startMockApi, tempDir, waitFor, writeJob } from './harness.js';
import { createBucket, s3Env, startMotoServer, type MotoServer } from './s3-server.js';

/**
 * Exactly once per page under faults and a kill -9: three executors run as separate processes (as pods or
 * mapped tasks would) and one is killed mid-run: the other two take its blocks and finish the run; the
 * killed one, resumed with the same run id, has nothing left to do.
 * An independent reader then counts every record: exactly the catalogue, no id twice.
 */
const SIZE = 20_000;
let api: Awaited<ReturnType<typeof startMockApi>>;
let moto: MotoServer;

before(async () => {
  moto = await startMotoServer();
  await createBucket(moto.endpoint, 'lake');
  api = await startMockApi([
    '--size', String(SIZE), '--per-page', '100', '--seed', '7', '--latency', '3',
    '--error-rate', '0.05', '--reset-rate', '0.02', '--truncate-rate', '0.02', '--html-rate', '0.02',
  ]);
});
after(async () => {
  await api.stop();
  await moto.stop();
});

type Format = 'parquet' | 'ndjson';
const cases: { store: string; formats: Format[]; landing: (dir: string) => { root: string; env: NodeJS.ProcessEnv } }[] = [
  { store: 'folder', formats: ['parquet'], landing: (dir) => ({ root: join(dir, 'landing'), env: {} }) },
  { store: 'folder', formats: ['ndjson'], landing: (dir) => ({ root: join(dir, 'landing'), env: {} }) },
  { store: 'S3', formats: ['parquet', 'ndjson'], landing: (dir) => ({ root: `s3://lake/${dir.split('/').pop()}`, env: s3Env(moto.endpoint) }) },
];

for (const { store, formats, landing } of cases) {
  const format = formats[formats.length - 1];
  test(`kill -9 one of 3 executors, resume: every record exactly once (${store}, ${formats.join(' + ')})`, { timeout: 180_000 }, async () => {
    const dir = await tempDir();
    const { root, env } = landing(dir);
    const job = await writeJob(
      dir,
      `dataset: movies
source: { url: "${api.url}/3/movie/popular", records: results }
pagination: { page: { param: page, start: 1, total_pages: total_pages } }
limits: { rate: 90, concurrency: 4, retries: 10, timeout: 5s }
output: { root: "${root}", formats: [${formats.join(', ')}], file_target: 200KiB }
`,
    );
    const runId = `kill-test-${store}-${formats.join("-")}`.toLowerCase();
    const exec = (i: number) => pagefleet(['ingest', job, '--run-id', runId, '--executors', '3', '--executor-index', String(i), '--log-format', 'json'], env);
    const procs = [0, 1, 2].map(exec);
    const victim = procs[1];
    const files = `movies/${format}/ingest_date=`;
    await waitFor(async () => (await listKeys(root, files, env)).filter((k) => k.includes('/part-e001-')).length >= 2, 60_000);
    victim.child.kill('SIGKILL');
    const killed = await victim.done;
    assert.equal(killed.signal, 'SIGKILL');
    const others = await Promise.all([procs[0].done, procs[2].done]);
    for (const o of others) assert.equal(o.code, 0, o.stderr);

    // the others took the killed executor's blocks (it is gone: same host, no such process) and finished the run
    const taken = JSON.parse((await run(['status', job, '--run-id', runId, '--json'], env)).stdout);
    assert.equal(taken.complete, true, `the two live executors completed the run without the killed one: ${JSON.stringify({ problems: taken.problems, totals: taken.totals })}`);
    assert.ok(taken.executors[0].taken + taken.executors[2].taken > 0, 'work moved to the executors that were free');

    const resumed = await exec(1).done;
    assert.equal(resumed.code, 0, resumed.stderr);
    const resumedStats = JSON.parse(resumed.stderr.trim().split('\n').filter((l) => l.includes('executor_finished')).pop()!);
    assert.equal(resumedStats.pagesLanded, 0, 'a resume of the killed executor finds nothing left to fetch');
    assert.equal(resumedStats.pagesAlreadyLanded, taken.executors[1].planned);

    const final = await run(['status', job, '--run-id', runId, '--json'], env);
    assert.equal(final.code, 0, final.stdout);
    const st = JSON.parse(final.stdout);
    assert.equal(st.complete, true);
    assert.equal(st.totals.landed, SIZE / 100);
    assert.equal(st.records, SIZE);
    assert.equal(st.reconcile.ledger_landed_without_file, 0);
    assert.deepEqual(st.reconcile.orphan_files, []);

    for (const f of formats) {
      const data = readBack(root, 'movies', f, env);
      assert.equal(data.count, SIZE, `${f}: record count equals the catalogue size`);
      assert.equal(data.distinct, SIZE, `${f}: no id appears twice`);
      assert.equal(data.min, 1);
      assert.equal(data.max, SIZE);
      assert.deepEqual(data.temp_files, [], `${f}: no temp file or unfinished upload is left where readers look`);
      assert.ok(data.files < SIZE / 100, 'pages are batched into fewer files than pages');
    }
  });
}
