import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, test } from 'node:test';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { S3RetryStrategy, s3RetryDelayMs } from './s3-retry.js';

const SLOW_DOWN = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>';
const BROKEN = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>oops</Message></Error>';
const DENIED = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>no</Message></Error>';

/** A loopback S3 stand-in: each key answers 503 SlowDown to its first `failFirst` GETs, then its name. */
let server: Server;
let endpoint: string;
const tries = new Map<string, number>();
let failFirst = 2;
before(async () => {
  server = createServer((req, res) => {
    const key = req.url!.split('?')[0];
    const n = (tries.get(key) ?? 0) + 1;
    tries.set(key, n);
    if (key.includes('denied')) return void res.writeHead(403, { 'content-type': 'application/xml' }).end(DENIED);
    if (key.includes('broken')) return void res.writeHead(500, { 'content-type': 'application/xml' }).end(BROKEN);
    if (n <= failFirst) return void res.writeHead(503, { 'content-type': 'application/xml' }).end(SLOW_DOWN);
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(key);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

function client(retryStrategy?: S3RetryStrategy): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'k', secretAccessKey: 's' },
    ...(retryStrategy ? { retryStrategy } : { maxAttempts: 5 }),
  });
}

/** `count` GETs at once; how many failed. */
async function burst(s3: S3Client, prefix: string, count: number): Promise<number> {
  tries.clear();
  const results = await Promise.allSettled(
    Array.from({ length: count }, (_, i) => s3.send(new GetObjectCommand({ Bucket: 'lake', Key: `${prefix}/${i}` })).then((r) => r.Body!.transformToString())),
  );
  results.forEach((r, i) => r.status === 'fulfilled' && assert.equal(r.value, `/lake/${prefix}/${i}`));
  return results.filter((r) => r.status === 'rejected').length;
}

test('a burst of throttled requests: the SDK standard strategy runs out of retry quota, this one retries them all', async () => {
  failFirst = 2;
  const standard = client();
  try {
    // 200 requests, 400 retries at 5 tokens each, a quota of 500: the premise of this strategy
    assert.ok((await burst(standard, 'std', 200)) > 50, 'the standard strategy gives up on many');
  } finally {
    standard.destroy();
  }
  const ours = client(new S3RetryStrategy(5, () => 0));
  try {
    assert.equal(await burst(ours, 'ours', 200), 0);
    assert.equal(await burst(ours, 'again', 200), 0, 'nothing is used up by the first burst');
  } finally {
    ours.destroy();
  }
});

test('gives up after maxAttempts tries (4× as many when throttled), and never retries a 4xx answer', async () => {
  const s3 = client(new S3RetryStrategy(2, () => 0));
  try {
    failFirst = 8;
    tries.clear();
    await assert.rejects(s3.send(new GetObjectCommand({ Bucket: 'lake', Key: 'k' })), (e: Error) => e.name === 'SlowDown');
    assert.equal(tries.get('/lake/k'), 8, 'a throttled request is tried 4 × 2 times');
    failFirst = 7;
    tries.clear();
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: 'lake', Key: 'k' }))).Body!.transformToString(), '/lake/k');
    assert.equal(tries.get('/lake/k'), 8);
    await assert.rejects(s3.send(new GetObjectCommand({ Bucket: 'lake', Key: 'denied' })), (e: Error) => e.name === 'AccessDenied');
    assert.equal(tries.get('/lake/denied'), 1);
  } finally {
    s3.destroy();
  }
});

test('a server error that is not throttling (500) is tried maxAttempts times', async () => {
  const s3 = client(new S3RetryStrategy(3, () => 0));
  try {
    tries.clear();
    await assert.rejects(s3.send(new GetObjectCommand({ Bucket: 'lake', Key: 'broken' })), (e: Error & { $metadata?: { httpStatusCode?: number } }) => e.$metadata?.httpStatusCode === 500);
    assert.equal(tries.get('/lake/broken'), 3);
  } finally {
    s3.destroy();
  }
});

test('backoff: throttled from 500 ms to a 2 s cap, other errors from 250 ms to 20 s; half fixed, half random', () => {
  assert.deepEqual([1, 2, 3, 4, 5].map((r) => s3RetryDelayMs(r, false, 0)), [125, 250, 500, 1000, 2000]);
  assert.deepEqual([1, 2, 3, 4, 5].map((r) => s3RetryDelayMs(r, true, 1)), [500, 1000, 2000, 2000, 2000]);
  assert.equal(s3RetryDelayMs(1, true, 0.5), 375);
  assert.equal(s3RetryDelayMs(20, false, 1), 20_000);
});
