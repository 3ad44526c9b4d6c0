import assert from 'node:assert/strict';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { listKeys, pagefleet, readBack, run, sleep, startMockApi, tempDir, writeJob } from './harness.js';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { createBucket, s3Client, s3Env, startFaultProxy, startMotoServer, type MotoServer } from './s3-server.js';

/**
 * The guarantees of docs/design.md ("One writer per block", "Commit protocol") when operations go wrong: a
 * second live copy of an executor, files that are not where the protocol put them, and data that no longer
 * matches its commit. Every case ends with an independent read-back (pyarrow, DuckDB).
 */
const SIZE = 6_000;
let api: Awaited<ReturnType<typeof startMockApi>>;
let moto: MotoServer;

before(async () => {
  moto = await startMotoServer();
  await createBucket(moto.endpoint, 'lake');
  api = await startMockApi(['--size', String(SIZE), '--per-page', '50', '--seed', '3', '--latency', '4']);
});
after(async () => {
  await api.stop();
  await moto.stop();
});

const jobYaml = (root: string, extra = '', outputExtra = '') => `dataset: movies
source: { url: "${api.url}/3/movie/popular", records: results }
pagination: { page: { param: page, start: 1, total_pages: total_pages } }
limits: { rate: 200, concurrency: 4 }
output: { root: "${root}", formats: [parquet, ndjson], file_target: 64KiB${outputExtra} }
${extra}`;

function assertExact(root: string, env: NodeJS.ProcessEnv = {}) {
  for (const f of ['parquet', 'ndjson'] as const) {
    const d = readBack(root, 'movies', f, env);
    assert.equal(d.count, SIZE, `${f}: ${d.count} records for ${SIZE} ids`);
    assert.equal(d.distinct, SIZE, `${f}: no id twice`);
  }
}

async function status(job: string, runId: string, env: NodeJS.ProcessEnv = {}, extra: string[] = []) {
  const r = await run(['status', job, '--run-id', runId, '--json', ...extra], env);
  return { code: r.code, st: JSON.parse(r.stdout), stderr: r.stderr };
}

for (const store of ['folder', 'S3'] as const) {
  test(`the same executor index started twice, 0.3 s apart: each page lands once, both exit 0 (${store})`, { timeout: 120_000 }, async () => {
    const dir = await tempDir();
    const root = store === 'folder' ? join(dir, 'landing') : `s3://lake/${dir.split('/').pop()}`;
    const env = store === 'folder' ? {} : s3Env(moto.endpoint);
    const job = await writeJob(dir, jobYaml(root));
    const exec = () => pagefleet(['ingest', job, '--run-id', 'twice', '--executors', '1', '--executor-index', '0', '--log-format', 'json'], env);
    const first = exec();
    await sleep(300);
    const second = exec();
    const [a, b] = await Promise.all([first.done, second.done]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    const landedBy = [a, b].map((r) => JSON.parse(r.stderr.trim().split('\n').filter((l) => l.includes('executor_finished')).pop()!).pagesLanded);
    assert.equal(landedBy[0] + landedBy[1], SIZE / 50, `the copies shared the pages without overlap: ${landedBy}`);
    const { code, st } = await status(job, 'twice', env);
    assert.equal(code, 0, JSON.stringify(st.problems));
    assert.equal(st.executors[0].sessions.length, 2, 'status shows both sessions of executor 0');
    assertExact(root, env);
  });
}

describe('status checks the data, and --repair fixes it without losing a page', () => {
  let root: string;
  let job: string;
  const runId = 'checked';
  const dataDir = () => `movies/ndjson/ingest_date=`;

  before(async () => {
    const dir = await tempDir();
    root = join(dir, 'landing');
    job = await writeJob(dir, jobYaml(root));
    const r = await run(['ingest', job, '--run-id', runId, '--executors', '2']);
    assert.equal(r.code, 0, r.stderr);
  });

  test('a stray copy of a data file makes the run incomplete; repair removes it', async () => {
    const [file] = (await listKeys(root, dataDir())).filter((k) => k.endsWith('.ndjson.gz'));
    await copyFile(join(root, file), join(root, file.replace(/\/[^/]+$/, '/stray-copy.ndjson.gz')));
    const bad = await status(job, runId);
    assert.equal(bad.code, 1);
    assert.equal(bad.st.complete, false);
    assert.match(bad.st.problems.join('\n'), /1 data files are not committed .*stray-copy/);
    const repaired = await status(job, runId, {}, ['--repair']);
    assert.match(repaired.stderr, /removed 1 uncommitted files/);
    assert.equal(repaired.code, 0, JSON.stringify(repaired.st.problems));
    assertExact(root);
  });

  test('a page in two committed files is found; repair voids the later file and every page stays landed once', async () => {
    const blocks = (await listKeys(root, `_pagefleet/movies/run_id=${runId}/blocks/`)).filter((k) => k.endsWith('.json'));
    const entries = await Promise.all(blocks.map(async (k) => ({ key: k, e: JSON.parse(await readFile(join(root, k), 'utf8')) })));
    const { key, e } = entries.find(({ e }) => e.kind === 'commit' && e.format === 'ndjson')!;
    const copy = e.file.replace(/-(\d{4})\.ndjson\.gz$/, '-9999.ndjson.gz');
    await copyFile(join(root, e.file), join(root, copy));
    const dirOfBlock = key.slice(0, key.lastIndexOf('/'));
    const next = Math.max(...entries.filter((x) => x.key.startsWith(dirOfBlock + '/')).map((x) => Number(x.key.slice(-11, -5)))) + 1;
    await writeFile(join(root, `${dirOfBlock}/${String(next).padStart(6, '0')}.json`), JSON.stringify({ ...e, file: copy }));
    const bad = await status(job, runId);
    assert.equal(bad.code, 1);
    assert.equal(bad.st.reconcile.duplicate_pages, e.pages.length);
    assert.match(bad.st.problems.join('\n'), /pages are in two committed files/);
    const repaired = await status(job, runId, {}, ['--repair']);
    assert.match(repaired.stderr, /voided 1 committed files/);
    assert.equal(repaired.code, 0, JSON.stringify(repaired.st.problems));
    assertExact(root);
  });

  test('a committed file whose records changed is found; repair voids it and a resume fetches its pages again', async () => {
    const [file] = (await listKeys(root, dataDir())).filter((k) => k.endsWith('.ndjson.gz'));
    const lines = gunzipSync(await readFile(join(root, file))).toString('utf8').split('\n').filter(Boolean);
    await writeFile(join(root, file), gzipSync(lines.slice(1).join('\n') + '\n'));
    const bad = await status(job, runId);
    assert.equal(bad.code, 1);
    assert.deepEqual(bad.st.reconcile.mismatched_files, [file]);
    const repaired = await status(job, runId, {}, ['--repair']);
    assert.equal(repaired.code, 1, 'its pages are missing until a resume');
    assert.ok(repaired.st.totals.missing > 0);
    const resumed = await run(['ingest', job, '--run-id', runId, '--executors', '2']);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal((await status(job, runId)).code, 0);
    assertExact(root);
  });
});

describe('ledger writes that fail (S3 behind a fault proxy)', () => {
  /** Every ledger line of a run, read back from S3 with its own client. */
  async function ledgerLines(prefix: string, runId: string): Promise<{ page: number; status: string; warning?: string }[]> {
    const s3 = s3Client(moto.endpoint);
    try {
      const keys = (await s3.send(new ListObjectsV2Command({ Bucket: 'lake', Prefix: `${prefix}/_pagefleet/movies/run_id=${runId}/ledger/` }))).Contents ?? [];
      const bodies = await Promise.all(keys.map(async (k) => (await s3.send(new GetObjectCommand({ Bucket: 'lake', Key: k.Key! }))).Body!.transformToString()));
      return bodies.flatMap((b) => b.split('\n').filter(Boolean).map((l) => JSON.parse(l)));
    } finally {
      s3.destroy();
    }
  }
  const isLedgerPut = (method: string, url: string) => method === 'PUT' && url.includes('/ledger/');
  // max_attempts 1: the SDK tries a throttled put 4 times, so the ledger's own retries are what this
  // exercises, and a lasting outage stops the executor in about 20 s (at the default 5, about 3 minutes).
  const landing = async () => {
    const dir = await tempDir();
    const prefix = dir.split('/').pop()!;
    return { prefix, root: `s3://lake/${prefix}`, job: await writeJob(dir, jobYaml(`s3://lake/${prefix}`, '', ', s3: { max_attempts: 1 }')) };
  };
  const exec = (job: string, runId: string, env: NodeJS.ProcessEnv) =>
    run(['ingest', job, '--run-id', runId, '--executors', '1', '--executor-index', '0', '--log-format', 'json'], env);

  test('a passing failure is retried and no line is lost; a lasting one stops the executor, and the resume reconciles', { timeout: 180_000 }, async () => {
    const proxy = await startFaultProxy(moto.endpoint);
    const env = s3Env(proxy.endpoint);
    try {
      // passing: the first 6 ledger PUTs fail (more than the SDK's own 4 tries of one put)
      const a = await landing();
      let failures = 0;
      proxy.failWhen((m, u) => isLedgerPut(m, u) && failures++ < 6);
      const ok = await exec(a.job, 'passing', env);
      assert.equal(ok.code, 0, ok.stderr);
      assert.ok(failures >= 6, 'the proxy did fail ledger writes');
      const landed = (await ledgerLines(a.prefix, 'passing')).filter((l) => l.status === 'landed');
      assert.equal(landed.length, SIZE / 50, 'one landed line per page: none lost, none twice');
      assert.equal(new Set(landed.map((l) => l.page)).size, SIZE / 50);

      // lasting: every ledger PUT fails; the executor stops rather than run on without a ledger
      const b = await landing();
      proxy.failWhen(isLedgerPut);
      const stopped = await exec(b.job, 'lasting', env);
      assert.equal(stopped.code, 1, stopped.stderr);
      assert.match(stopped.stderr, /cannot write .*ledger/);
      proxy.failWhen(undefined);
      const resumed = await exec(b.job, 'lasting', env);
      assert.equal(resumed.code, 0, resumed.stderr);
      const { code, st } = await status(b.job, 'lasting', env);
      assert.equal(code, 0, JSON.stringify(st.problems));
      const lines = await ledgerLines(b.prefix, 'lasting');
      assert.equal(new Set(lines.filter((l) => l.status === 'landed').map((l) => l.page)).size, SIZE / 50, 'every landed page has its ledger line');
      assert.ok(lines.some((l) => l.warning?.startsWith('reconciled')), 'the lines lost to the outage were reconciled');
      assertExact(b.root, s3Env(moto.endpoint));
    } finally {
      await proxy.close();
    }
  });
});
