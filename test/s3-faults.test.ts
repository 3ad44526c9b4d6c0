import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { HeadObjectCommand, ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { S3Store } from '../src/landing/s3-store.js';
import { listKeys, pagefleet, readBack, run, startMockApi, tempDir, waitFor, writeJob } from './harness.js';
import { createBucket, freePort, s3Client, s3Env, startFaultProxy, startMotoServer, startVersityGw, type FaultProxy, type MotoServer, type VersityGw } from './s3-server.js';

/** S3 going wrong: unusable at start (exit 3, zero API requests), throttling, failed uploads, an outage mid-run. */
const MiB = 1024 * 1024;
const SIZE = 4_000;
let api: Awaited<ReturnType<typeof startMockApi>>;
let moto: MotoServer;
let proxy: FaultProxy;

before(async () => {
  api = await startMockApi(['--size', String(SIZE), '--per-page', '50', '--latency', '5', '--seed', '5']);
  moto = await startMotoServer();
  await createBucket(moto.endpoint, 'lake');
  proxy = await startFaultProxy(moto.endpoint);
});
after(async () => {
  await proxy.close();
  await moto.stop();
  await api.stop();
});

const jobYaml = (root: string, fileTarget = '20KiB') => `dataset: movies
source: { url: "${api.url}/3/movie/popular", records: results }
pagination: { page: { total_pages: total_pages } }
limits: { rate: 100, concurrency: 4 }
output: { root: "${root}", formats: [parquet, ndjson], file_target: ${fileTarget} }
`;

describe('preflight: an unusable S3 landing zone stops the run before any API request (exit 3)', () => {
  async function expectUnavailable(root: string, env: NodeJS.ProcessEnv, pattern: RegExp) {
    const job = await writeJob(await tempDir(), jobYaml(root));
    const before = (await api.stats()).requests;
    const r = await run(['ingest', job, '--executors', '2'], env);
    assert.equal(r.code, 3, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `one line: ${r.stderr}`);
    assert.match(lines[0], pattern);
    assert.equal((await api.stats()).requests, before, 'zero API requests');
    return lines[0];
  }

  test('missing bucket', async () => {
    await expectUnavailable('s3://no-such-bucket/raw', s3Env(moto.endpoint), /^pagefleet: output\.root: cannot use s3:\/\/no-such-bucket\/raw at http:\/\/127\.0\.0\.1:\d+: bucket "no-such-bucket" does not exist/);
  });

  test('unknown access key (moto with IAM checks on)', async () => {
    const strict = await startMotoServer({ auth: true });
    try {
      await expectUnavailable('s3://lake/raw', s3Env(strict.endpoint), new RegExp(`at ${strict.endpoint}: access denied \\(403 InvalidAccessKeyId`));
    } finally {
      await strict.stop();
    }
  });

  test('wrong secret key (versitygw): nothing is written', async () => {
    const gw = await startVersityGw();
    try {
      await createBucket(gw.endpoint, 'lake');
      const env = { ...s3Env(gw.endpoint), AWS_SECRET_ACCESS_KEY: 'not-the-secret' };
      const line = await expectUnavailable('s3://lake/raw', env, /access denied \(403 SignatureDoesNotMatch/);
      assert.doesNotMatch(line, /not-the-secret/, 'the secret is not echoed');
      assert.deepEqual(await listKeys('s3://lake', '', s3Env(gw.endpoint)), [], 'the bucket is still empty');
    } finally {
      await gw.stop();
      await rm(gw.dir, { recursive: true, force: true });
    }
  });

  test('unreachable endpoint', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    await expectUnavailable('s3://lake/raw', s3Env(closed), /the endpoint did not answer \(ECONNREFUSED\)/);
  });
});

test('S3 answers 503 SlowDown to one request in four: the SDK retries and every page lands once', { timeout: 120_000 }, async () => {
  proxy.setSlowDown(0.25);
  try {
    const job = await writeJob(await tempDir(), jobYaml('s3://lake/slowdown'));
    const before = proxy.failed;
    const r = await run(['ingest', job, '--executors', '2', '--json'], s3Env(proxy.endpoint));
    assert.equal(r.code, 0, r.stderr);
    assert.ok(proxy.failed - before > 20, `the proxy throttled requests (${proxy.failed - before})`);
    assert.equal(JSON.parse(r.stdout).status.records, SIZE);
  } finally {
    proxy.setSlowDown(0);
  }
  const data = readBack('s3://lake/slowdown', 'movies', 'parquet', s3Env(moto.endpoint));
  assert.equal(data.count, SIZE);
  assert.equal(data.distinct, SIZE);
});

describe('uploads and checksums (S3Store against moto)', () => {
  const settings = () => ({ endpoint: proxy.endpoint, partSizeBytes: 5 * MiB, maxAttempts: 2 });
  before(() => void Object.assign(process.env, s3Env(moto.endpoint)));

  test('a multipart upload whose part keeps failing is aborted: the put fails, no parts or object remain', async () => {
    const store = new S3Store('s3://lake/mp', settings());
    proxy.failWhen((method, url) => method === 'PUT' && /[?&]partNumber=2\b/.test(url));
    try {
      await assert.rejects(store.put('data/big.parquet', randomBytes(12 * MiB)), (e: Error & { code?: string }) => e.code === 'PF_ERR_WRITE' && /SlowDown/.test(e.message));
    } finally {
      proxy.failWhen(undefined);
    }
    const s3 = s3Client(moto.endpoint);
    try {
      const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'lake', Prefix: 'mp/' }));
      assert.deepEqual(uploads.Uploads ?? [], [], 'no unfinished upload is left');
    } finally {
      s3.destroy();
    }
    assert.equal(await store.get('data/big.parquet'), undefined);
  });

  test('the SDK default integrity checksums are on: objects carry a CRC32 the server verified', async () => {
    const store = new S3Store('s3://lake/ck', settings());
    await store.put('small.bin', randomBytes(1000));
    const s3 = s3Client(moto.endpoint);
    try {
      const head = await s3.send(new HeadObjectCommand({ Bucket: 'lake', Key: 'ck/small.bin', ChecksumMode: 'ENABLED' }));
      assert.match(head.ChecksumCRC32 ?? '', /^[A-Za-z0-9+/]{6}==$/, 'a CRC32 was sent with the upload and stored');
    } finally {
      s3.destroy();
    }
  });
});

describe('the S3 server is killed in the middle of a run (versitygw, which keeps its data on disk)', () => {
  let gw: VersityGw;
  before(async () => {
    gw = await startVersityGw();
    await createBucket(gw.endpoint, 'lake');
  });
  after(async () => {
    await gw.stop();
    await rm(gw.dir, { recursive: true, force: true });
  });

  test('the run fails with exit 1, nothing is half-visible, and a resume after restart lands exactly the rest', { timeout: 180_000 }, async () => {
    const env = s3Env(gw.endpoint);
    const root = 's3://lake/outage';
    const job = await writeJob(await tempDir(), jobYaml(root));
    const args = ['ingest', job, '--run-id', 'outage', '--executors', '1', '--log-format', 'json'];
    const first = pagefleet(args, env);
    await waitFor(async () => (await listKeys(root, 'movies/ndjson/ingest_date=', env)).length >= 3, 60_000);
    await gw.kill();
    const failed = await first.done;
    assert.equal(failed.code, 1, failed.stderr);
    assert.match(failed.stderr, /cannot write s3:\/\/lake\/outage\/.*the endpoint did not answer/);
    await gw.start();

    const mid = await run(['status', job, '--run-id', 'outage', '--json'], env);
    assert.equal(mid.code, 1, mid.stderr);
    const st = JSON.parse(mid.stdout);
    assert.ok(st.totals.landed > 0 && st.totals.landed < SIZE / 50, mid.stdout);
    assert.deepEqual(st.reconcile.orphan_files, [], 'no data file without its commit record');
    for (const format of ['parquet', 'ndjson'] as const) {
      const data = readBack(root, 'movies', format, env);
      assert.equal(data.count, st.records_by_format[format], `${format}: readers see exactly the records of committed files`);
      assert.equal(data.distinct, data.count);
    }

    const resumed = await run(args, env);
    assert.equal(resumed.code, 0, resumed.stderr);
    const final = await run(['status', job, '--run-id', 'outage', '--json'], env);
    assert.equal(final.code, 0, final.stdout);
    assert.equal(JSON.parse(final.stdout).records, SIZE);
    for (const format of ['parquet', 'ndjson'] as const) {
      const data = readBack(root, 'movies', format, env);
      assert.equal(data.count, SIZE, `${format}: every record`);
      assert.equal(data.distinct, SIZE, `${format}: no record twice`);
      assert.deepEqual(data.temp_files, []);
    }
  });
});
