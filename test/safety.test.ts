import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { test } from 'node:test';
import { listKeys, pagefleet, readBack, run, startMockApi, tempDir, waitFor, writeJob } from './harness.js';

async function allFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

test('the token never appears in output, logs, ledger, summaries or data files', async () => {
  const token = 'tok-9f8e7d6c5b4a';
  const api = await startMockApi(['--size', '1500', '--require-token', token, '--error-rate', '0.1', '--html-rate', '0.05']);
  try {
    const dir = await tempDir();
    const root = join(dir, 'landing');
    const job = await writeJob(
      dir,
      `dataset: secret_movies
source:
  url: "${api.url}/3/movie/popular"
  headers: { Authorization: "Bearer \${PF_TEST_TOKEN}" }
  params: { api_key: "\${PF_TEST_TOKEN}" }
  records: results
pagination: { page: { total_pages: total_pages, end: 12 } }
limits: { rate: 200, retries: 1 }
output: { root: "${root}" }
`,
    );
    const env = { PF_TEST_TOKEN: token };
    const outputs = [
      await run(['ingest', job, '--executors', '2'], env),
      await run(['ingest', job, '--executors', '2', '--log-format', 'json', '--json'], env),
      await run(['plan', job], env),
    ];
    const runs = await readdir(join(root, '_pagefleet/secret_movies'));
    outputs.push(await run(['status', job, '--run-id', runs.find((r) => r.startsWith('run_id='))!.slice(7), '--json'], env));
    assert.ok((await api.stats()).requests > 12, 'the API was used');
    assert.ok(outputs.some((o) => o.stderr.includes('retrying') || o.stdout.includes('"retries"')), 'errors happened and were reported');
    for (const o of outputs) {
      assert.ok(!o.stdout.includes(token) && !o.stderr.includes(token), `token in output: ${o.stdout}${o.stderr}`);
    }
    const files = await allFiles(root);
    assert.ok(files.some((f) => f.includes('/ledger/')) && files.some((f) => f.endsWith('.parquet')));
    for (const f of files) {
      const raw = await readFile(f);
      const text = f.endsWith('.gz') ? gunzipSync(raw).toString('latin1') : raw.toString('latin1');
      assert.ok(!text.includes(token), `token in ${f}`);
    }
    const wrong = await run(['ingest', job], { PF_TEST_TOKEN: 'not-the-token-123' });
    assert.equal(wrong.code, 3, '401 on the first page: the API cannot be used');
    assert.ok(!wrong.stderr.includes('not-the-token-123'));
  } finally {
    await api.stop();
  }
});

test('a next link to another origin is refused, and when allowed carries no credentials', async () => {
  const other = await startMockApi(['--size', '300']);
  const api = await startMockApi(['--size', '300', '--cross-origin-next', other.url]);
  try {
    const dir = await tempDir();
    const spec = (allow: string, dataset: string) => `dataset: ${dataset}
source:
  url: "${api.url}/link"
  headers: { Authorization: "Bearer \${PF_TEST_TOKEN}" }
  records: results
  ${allow}
pagination: { link: { next: links.next } }
output: { root: "${join(dir, 'landing')}" }
`;
    const env = { PF_TEST_TOKEN: 'cross-origin-secret' };
    const refused = await run(['ingest', await writeJob(dir, spec('', 'refused'), 'a.yaml'), '--json'], env);
    assert.equal(refused.code, 1, refused.stderr);
    const summary = JSON.parse(refused.stdout);
    assert.deepEqual(summary.status.failures, { CROSS_ORIGIN: 1 });
    assert.equal((await other.stats()).requests, 0, 'nothing was sent to the other origin');

    const allowed = await run(['ingest', await writeJob(dir, spec(`allow_origins: ["${other.url}"]`, 'allowed'), 'b.yaml')], env);
    assert.equal(allowed.code, 0, allowed.stderr);
    const st = await other.stats();
    assert.ok(st.requests > 0, 'the allowed origin was used');
    assert.equal(st.authorizationSeen, 0, 'no Authorization header went to the other origin');
    assert.ok((await api.stats()).authorizationSeen > 0, 'the job origin got the credentials');
  } finally {
    await api.stop();
    await other.stop();
  }
});

test('the rate limit is global: 2 executors stay under the budget; 429 + Retry-After are obeyed', async () => {
  const api = await startMockApi(['--size', '20000', '--rate-limit', '20']);
  try {
    const dir = await tempDir();
    const root = join(dir, 'landing');
    const job = (rate: number, end = '') => `dataset: limited_${rate}
source: { url: "${api.url}/3/movie/popular", records: results }
pagination: { page: { total_pages: total_pages${end} } }
limits: { rate: ${rate}, concurrency: 8, retries: 10 }
output: { root: "${root}", formats: [ndjson] }
`;
    const polite = await run(['ingest', await writeJob(dir, job(15, ', end: 60'), 'polite.yaml'), '--executors', '2', '--json']);
    assert.equal(polite.code, 0, polite.stderr);
    const s1 = JSON.parse(polite.stdout);
    assert.equal((await api.stats()).byStatus['429'] ?? 0, 0, 'a job under the budget is never throttled');
    assert.ok(s1.status.totals.landed / s1.elapsed_s <= 15 * 1.1 + 2, `pages/s ${s1.status.totals.landed / s1.elapsed_s} within 15/s`);

    const greedy = await run(['ingest', await writeJob(dir, job(500), 'greedy.yaml'), '--executors', '2', '--json']);
    assert.equal(greedy.code, 0, greedy.stderr);
    const s2 = JSON.parse(greedy.stdout);
    assert.ok(((await api.stats()).byStatus['429'] ?? 0) > 0, 'an over-budget job is throttled');
    assert.ok(s2.retries > 0);
    assert.equal(readBack(root, 'limited_500', 'ndjson').distinct, 20000, 'and still lands everything');
  } finally {
    await api.stop();
  }
});

test('schema drift: a field that changes type is kept as text and a new field appears, nothing dropped', async () => {
  const api = await startMockApi(['--size', '1000', '--drift-after-page', '5']);
  try {
    const dir = await tempDir();
    const root = join(dir, 'landing');
    const job = await writeJob(dir, `dataset: drift
source: { url: "${api.url}/3/movie/popular", records: results }
pagination: { page: { total_pages: total_pages } }
output: { root: "${root}", formats: [parquet], file_target: 10MiB }
`);
    const r = await run(['ingest', job]);
    assert.equal(r.code, 0, r.stderr);
    const schema = JSON.parse(await readFile(join(root, '_pagefleet/drift/schema.json'), 'utf8'));
    const field = (n: string) => schema.fields.find((f: any) => f.name === n);
    assert.equal(field('vote_count').type, 'string', 'long vs string widened to a JSON-text string');
    assert.equal(field('tagline').type, 'string', 'the new field is in the schema');
    assert.equal(readBack(root, 'drift', 'parquet').count, 1000);
  } finally {
    await api.stop();
  }
});

test('SIGTERM: what was fetched lands, exit 130, and a resume completes exactly', async () => {
  const api = await startMockApi(['--size', '8000', '--latency', '20']);
  try {
    const dir = await tempDir();
    const root = join(dir, 'landing');
    const job = await writeJob(dir, `dataset: interrupted
source: { url: "${api.url}/3/movie/popular", records: results }
pagination: { page: { total_pages: total_pages } }
limits: { rate: 30, concurrency: 2 }
output: { root: "${root}", formats: [parquet, ndjson], file_target: 100KiB }
`);
    const p = pagefleet(['ingest', job, '--executors', '2', '--run-id', 'int1']);
    await waitFor(async () => (await listKeys(root, 'interrupted/ndjson/ingest_date=')).length >= 2, 30_000);
    p.child.kill('SIGTERM');
    const r = await p.done;
    assert.equal(r.code, 130, r.stderr);
    const mid = JSON.parse((await run(['status', job, '--run-id', 'int1', '--json'])).stdout);
    assert.ok(mid.totals.landed > 0 && mid.totals.missing > 0);
    assert.equal(mid.reconcile.partially_landed, 0, 'buffers were flushed in every format before exiting');
    const resumed = await run(['ingest', job, '--executors', '2', '--run-id', 'int1']);
    assert.equal(resumed.code, 0, resumed.stderr);
    for (const f of ['parquet', 'ndjson'] as const) {
      const d = readBack(root, 'interrupted', f);
      assert.equal(d.count, 8000);
      assert.equal(d.distinct, 8000);
    }
  } finally {
    await api.stop();
  }
});
