import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import {
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { listKeys, readBack, tempDir, waitFor } from './harness.js';
import { createBucket, s3Client, s3Env, startFaultProxy, startMotoServer, type FaultProxy, type MotoServer } from './s3-server.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

let moto: MotoServer;
let proxy: FaultProxy;
const BUCKET = 'harness';

before(async () => {
  moto = await startMotoServer();
  await createBucket(moto.endpoint, BUCKET);
  proxy = await startFaultProxy(moto.endpoint);
});
after(async () => {
  await proxy?.close();
  await moto?.stop();
});

async function put(endpoint: string, key: string, body: Uint8Array, maxAttempts = 1) {
  const s3 = s3Client(endpoint, { maxAttempts });
  try {
    return await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
  } finally {
    s3.destroy();
  }
}

async function get(endpoint: string, key: string): Promise<Buffer> {
  const s3 = s3Client(endpoint, { maxAttempts: 1 });
  try {
    const r = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return Buffer.from(await r.Body!.transformToByteArray());
  } finally {
    s3.destroy();
  }
}

test('bytes round-trip through the fault proxy to moto (small and multi-MB bodies)', async () => {
  const before = proxy.requests;
  for (const size of [17, 3 * 1024 * 1024 + 5]) {
    const body = randomBytes(size);
    await put(proxy.endpoint, `rt/${size}.bin`, body);
    assert.ok((await get(proxy.endpoint, `rt/${size}.bin`)).equals(body), `${size} bytes read back through the proxy`);
    assert.ok((await get(moto.endpoint, `rt/${size}.bin`)).equals(body), `${size} bytes really stored in moto`);
  }
  assert.equal(proxy.requests - before, 4);
  assert.equal(proxy.failed, 0);
});

test('setSlowDown(1) answers 503 SlowDown; setSlowDown(0.5) fails exactly every other request', async () => {
  proxy.setSlowDown(1);
  try {
    const failedBefore = proxy.failed;
    await assert.rejects(put(proxy.endpoint, 'slow/a', Buffer.from('x')), (e: any) => {
      assert.equal(e.name, 'SlowDown');
      assert.equal(e.Code, 'SlowDown');
      assert.equal(e.$metadata.httpStatusCode, 503);
      return true;
    });
    assert.equal(proxy.failed - failedBefore, 1);
    await assert.rejects(get(moto.endpoint, 'slow/a'), { name: 'NoSuchKey' }, 'a SlowDown request never reaches moto');

    proxy.setSlowDown(0.5);
    const outcomes: string[] = [];
    for (let i = 0; i < 6; i++) {
      outcomes.push(await put(proxy.endpoint, `slow/${i}`, Buffer.from('y')).then(() => 'ok', (e) => e.name));
    }
    assert.deepEqual(outcomes, ['ok', 'SlowDown', 'ok', 'SlowDown', 'ok', 'SlowDown']);

    // The SDK's own retries get through a 50% SlowDown rate.
    await put(proxy.endpoint, 'slow/retried', Buffer.from('z'), 4);
    assert.equal((await get(moto.endpoint, 'slow/retried')).toString(), 'z');
  } finally {
    proxy.setSlowDown(0);
  }
});

test('cut() makes the endpoint go away (even for keep-alive clients); restore() brings it back on the same port', { timeout: 20_000 }, async () => {
  const s3 = s3Client(proxy.endpoint, { maxAttempts: 1 });
  try {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'cut/1', Body: 'one' })); // opens a keep-alive socket
    // An upload still in flight when the server goes away is torn down, not waited for.
    const received = proxy.requests;
    const inFlight = request(`${proxy.endpoint}/${BUCKET}/cut/half`, { method: 'PUT', headers: { 'content-length': 10 } });
    const torn = new Promise<any>((res) => inFlight.on('error', res).on('response', () => res(new Error('got a response'))));
    inFlight.write('abc');
    await waitFor(() => proxy.requests > received, 5000);
    await proxy.cut();
    assert.match((await torn).code, /ECONNRESET/);
    await assert.rejects(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'cut/2', Body: 'two' })), (e: any) => {
      assert.match(String(e.code ?? e.name), /ECONNREFUSED|ECONNRESET|EPIPE/);
      assert.equal(e.$metadata?.httpStatusCode, undefined, 'no HTTP response at all');
      return true;
    });
    await assert.rejects(fetch(proxy.endpoint), 'nothing listens while cut');
    await proxy.restore();
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'cut/3', Body: 'three' }));
  } finally {
    s3.destroy();
  }
  assert.equal((await get(moto.endpoint, 'cut/3')).toString(), 'three');
  await assert.rejects(get(moto.endpoint, 'cut/2'), { name: 'NoSuchKey' });
  await assert.rejects(get(moto.endpoint, 'cut/half'), { name: 'NoSuchKey' });
});

test('moto with auth:true rejects unknown credentials with 403', async () => {
  const authMoto = await startMotoServer({ auth: true });
  const random = { accessKeyId: `AKIA${randomBytes(8).toString('hex').toUpperCase()}`, secretAccessKey: randomBytes(20).toString('hex') };
  const s3 = s3Client(authMoto.endpoint, { maxAttempts: 1, credentials: random });
  try {
    await assert.rejects(s3.send(new HeadBucketCommand({ Bucket: BUCKET })), (e: any) => {
      assert.equal(e.$metadata.httpStatusCode, 403);
      return true;
    });
    await assert.rejects(s3.send(new ListBucketsCommand({})), (e: any) => {
      assert.equal(e.$metadata.httpStatusCode, 403);
      assert.equal(e.name, 'InvalidAccessKeyId');
      return true;
    });
  } finally {
    s3.destroy();
    await authMoto.stop();
  }
  // The same request against the no-auth server is fine: the 403 really is about credentials.
  const open = s3Client(moto.endpoint, { maxAttempts: 1, credentials: random });
  try {
    await open.send(new HeadBucketCommand({ Bucket: BUCKET }));
  } finally {
    open.destroy();
  }
});

test('readback.py reads an s3:// root and reports hidden keys and dangling multipart uploads', async () => {
  const root = `s3://${BUCKET}/lake`;
  const env = s3Env(moto.endpoint);
  const lines = [1, 2, 3, 2].map((id) => JSON.stringify({ id, _pf_run_id: 'r1', _pf_page: 1 }));
  await put(moto.endpoint, 'lake/movies/ndjson/run_id=r1/part-0.ndjson.gz', gzipSync(lines.join('\n') + '\n'));
  await put(moto.endpoint, 'lake/other/ndjson/part-0.ndjson.gz', gzipSync(JSON.stringify({ id: 99, _pf_run_id: 'r1', _pf_page: 1 }) + '\n'));

  const clean = readBack(root, 'movies', 'ndjson', env);
  assert.deepEqual({ ...clean, types: undefined }, { files: 1, count: 4, distinct: 3, min: 1, max: 3, types: undefined, temp_files: [] });
  assert.equal(clean.types.id, 'BIGINT');

  const s3 = s3Client(moto.endpoint);
  try {
    await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'lake/movies/ndjson/run_id=r1/part-1.ndjson.gz' }));
  } finally {
    s3.destroy();
  }
  await put(moto.endpoint, 'lake/movies/ndjson/run_id=r1/.part-2.ndjson.gz.tmp', Buffer.from('half'));
  const dirty = readBack(root, 'movies', 'ndjson', env);
  assert.equal(dirty.count, 4, 'neither the upload nor the hidden object is read as data');
  assert.deepEqual(dirty.temp_files.sort(), [
    'lake/movies/ndjson/run_id=r1/.part-2.ndjson.gz.tmp',
    'multipart:lake/movies/ndjson/run_id=r1/part-1.ndjson.gz',
  ]);

  assert.deepEqual(await listKeys(root, 'movies/', env), [
    'movies/ndjson/run_id=r1/.part-2.ndjson.gz.tmp',
    'movies/ndjson/run_id=r1/part-0.ndjson.gz',
  ]);
  assert.deepEqual(await listKeys(root, 'o', env), ['other/ndjson/part-0.ndjson.gz']);
});

test('readBack and listKeys still work on a local folder root', async () => {
  const root = join(await tempDir(), 'landing');
  const dir = join(root, 'movies/ndjson/run_id=r1');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'part-0.ndjson.gz'), gzipSync(JSON.stringify({ id: 7, _pf_run_id: 'r1', _pf_page: 1 }) + '\n'));
  await writeFile(join(dir, '.part-1.tmp'), 'half');
  const r = readBack(root, 'movies', 'ndjson');
  assert.equal(r.count, 1);
  assert.deepEqual(r.temp_files, [join(dir, '.part-1.tmp')]);
  assert.deepEqual(await listKeys(root, 'movies/ndjson/'), ['movies/ndjson/run_id=r1/.part-1.tmp', 'movies/ndjson/run_id=r1/part-0.ndjson.gz']);
  assert.deepEqual(await listKeys(root, 'nope/'), []);
});
