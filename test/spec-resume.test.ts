import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { listKeys, run, startMockApi, tempDir, writeJob } from './harness.js';
import { createBucket, freePort, s3Client, s3Env, startMotoServer, type MotoServer } from './s3-server.js';

/**
 * A resume runs the spec it was planned with. Each run is left incomplete on purpose (only executor 0
 * of 2 ran), then resumed with a changed spec: exit 2 naming the field, no API request, nothing written.
 * The same spec with a rotated secret (the API now wants another token) resumes and completes.
 */
const SIZE = 600;
const PER_PAGE = 50;
const NEW_RUN = 'resume it with the spec it was planned with, or start a new run (omit --run-id or pass a new one)';

let moto: MotoServer;
before(async () => {
  moto = await startMotoServer();
  await createBucket(moto.endpoint, 'lake');
});
after(async () => moto.stop());

interface Backend {
  name: string;
  root(): Promise<string>;
  env(): NodeJS.ProcessEnv;
}

const backends: Backend[] = [
  { name: 'folder', root: async () => join(await tempDir(), 'landing'), env: () => ({}) },
  { name: 'S3 (moto)', root: async () => `s3://lake/${randomBytes(4).toString('hex')}`, env: () => s3Env(moto.endpoint) },
];

type Api = Awaited<ReturnType<typeof startMockApi>>;

/** The mock API on a fixed port (the spec's URL must not change), accepting only `token`. */
const startApi = (port: number, token: string): Promise<Api> =>
  startMockApi(['--port', String(port), '--size', String(SIZE), '--per-page', String(PER_PAGE), '--seed', '3', '--require-token', token]);

/** Runs `ingest`, expecting exit 2 with exactly `line`, no API request and no change to the landing zone. */
async function expectRefused(api: Api, root: string, env: NodeJS.ProcessEnv, args: string[], line: string): Promise<void> {
  const keys = await listKeys(root, '', env);
  const requests = (await api.stats()).requests;
  const r = await run(['ingest', ...args], env);
  assert.equal(r.code, 2, r.stderr);
  assert.deepEqual(r.stderr.trim().split('\n'), [line]);
  assert.equal((await api.stats()).requests, requests, 'no API request');
  assert.deepEqual(await listKeys(root, '', env), keys, 'nothing written to the landing zone');
}

for (const backend of backends) {
  describe(`resume with a changed spec: ${backend.name}`, () => {
    test('--end removed or formats changed: exit 2 naming the field; a rotated secret resumes and completes', { timeout: 120_000 }, async () => {
      const port = await freePort();
      let api = await startApi(port, 'first-token');
      try {
        const root = await backend.root();
        const job = await writeJob(
          await tempDir(),
          `dataset: movies
source: { url: "http://127.0.0.1:${port}/3/movie/popular", headers: { Authorization: "Bearer \${API_TOKEN}" }, records: results }
pagination: { page: { total_pages: total_pages } }
limits: { rate: 200, concurrency: 2 }
output: { root: "${root}", formats: [parquet] }
`,
        );
        const env = { ...backend.env(), API_TOKEN: 'first-token' };
        const first = await run(['ingest', job, '--end', '6', '--run-id', 'R1', '--executors', '2', '--executor-index', '0', '--only-own-partition'], env);
        assert.equal(first.code, 0, first.stderr);
        const status = await run(['status', job, '--run-id', 'R1', '--json'], env);
        assert.equal(status.code, 1, 'executor 1 has not run: the run is incomplete');

        await expectRefused(api, root, env, [job, '--run-id', 'R1', '--executors', '2'],
          `pagefleet: spec: run R1 was planned with a different spec (pagination.page.end: 6 → (unset)); ${NEW_RUN}`);
        await expectRefused(api, root, env, [job, '--end', '6', '--formats', 'parquet,ndjson', '--run-id', 'R1', '--executors', '2'],
          `pagefleet: spec: run R1 was planned with a different spec (output.formats: ["parquet"] → ["parquet","ndjson"]); ${NEW_RUN}`);
        await expectRefused(api, root, env, [job, '--end', '60', '--formats', 'ndjson', '--run-id', 'R1', '--executors', '2'],
          `pagefleet: spec: run R1 was planned with a different spec (pagination.page.end: 6 → 60; output.formats: ["parquet"] → ["ndjson"]); ${NEW_RUN}`);

        const planKey = (await listKeys(root, '_pagefleet/movies/run_id=R1/', env)).find((k) => k.endsWith('plan.json'))!;
        const planText = await readKey(root, planKey);
        const plan = JSON.parse(planText);
        assert.equal(plan.version, 2);
        assert.equal(plan.fingerprint.pagination.page.end, 6, 'the fingerprint is stored, --end included');
        assert.ok(!planText.includes('first-token'), 'no secret in plan.json');

        // the secret is rotated: the API now refuses the old token, and the resume uses the new one
        await api.stop();
        api = await startApi(port, 'second-token');
        const resumed = await run(['ingest', job, '--end', '6', '--run-id', 'R1', '--executors', '2', '--json'], { ...env, API_TOKEN: 'second-token' });
        assert.equal(resumed.code, 0, resumed.stderr);
        const summary = JSON.parse(resumed.stdout);
        assert.equal(summary.status.complete, true);
        assert.equal(summary.status.records, 6 * PER_PAGE);
        assert.equal((await api.stats()).byStatus['401'], undefined, 'no request with the old token');
      } finally {
        await api.stop();
      }
    });

    test('offset limit 100 → 50: exit 2 naming pagination.offset.limit', { timeout: 120_000 }, async () => {
      const port = await freePort();
      const api = await startApi(port, 'offset-token');
      try {
        const root = await backend.root();
        const spec = (limit: number) => `dataset: offsets
source: { url: "http://127.0.0.1:${port}/movies", headers: { Authorization: "Bearer \${API_TOKEN}" }, records: results }
pagination: { offset: { limit: ${limit}, total: total_results } }
limits: { rate: 200, concurrency: 2 }
output: { root: "${root}", formats: [ndjson] }
`;
        const dir = await tempDir();
        const planned = await writeJob(dir, spec(100), 'planned.yaml');
        const changed = await writeJob(dir, spec(50), 'changed.yaml');
        const env = { ...backend.env(), API_TOKEN: 'offset-token' };
        const first = await run(['ingest', planned, '--run-id', 'O1', '--executors', '2', '--executor-index', '0', '--only-own-partition'], env);
        assert.equal(first.code, 0, first.stderr);
        await expectRefused(api, root, env, [changed, '--run-id', 'O1', '--executors', '2'],
          `pagefleet: spec: run O1 was planned with a different spec (pagination.offset.limit: 100 → 50); ${NEW_RUN}`);
        const resumed = await run(['ingest', planned, '--run-id', 'O1', '--executors', '2', '--json'], env);
        assert.equal(resumed.code, 0, resumed.stderr);
        assert.equal(JSON.parse(resumed.stdout).status.records, SIZE, 'the planned spec resumes and lands every record once');
      } finally {
        await api.stop();
      }
    });
  });
}

/** The text of one key of a landing zone (a folder or s3://bucket/prefix on moto). */
async function readKey(root: string, key: string): Promise<string> {
  if (!root.startsWith('s3://')) return readFile(join(root, key), 'utf8');
  const [bucket, ...prefix] = root.slice('s3://'.length).split('/');
  const s3 = s3Client(moto.endpoint);
  try {
    const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: [...prefix, key].join('/') }));
    return await res.Body!.transformToString(); // before the client is destroyed below
  } finally {
    s3.destroy();
  }
}
