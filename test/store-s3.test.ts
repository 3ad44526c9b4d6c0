import { CreateMultipartUploadCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import { rm } from 'node:fs/promises';
import { S3Store } from '../src/landing/s3-store.js';
import { createBucket, s3Client, s3Env, startMotoServer, startVersityGw } from './s3-server.js';
import { storeConformance, type StoreFixture } from './store-conformance.js';

const MiB = 1024 * 1024;

/** The S3 store on a running server: a bucket `conform`, the landing zone under its `lake/` prefix. */
async function s3Fixture(server: { endpoint: string; stop(): Promise<void>; dir?: string }, atomicCreateOnce = true): Promise<StoreFixture> {
  await createBucket(server.endpoint, 'conform');
  const env = s3Env(server.endpoint);
  Object.assign(process.env, env);
  const settings = { endpoint: server.endpoint, partSizeBytes: 5 * MiB, maxAttempts: 3 };
  const root = 's3://conform/lake';
  const s3 = s3Client(server.endpoint);
  return {
    root,
    env,
    atomicCreateOnce,
    store: new S3Store(root, settings),
    unusable: new S3Store('s3://no-such-bucket/lake', settings),
    async leaveInterruptedWrite(dir, name) {
      const Key = `lake/${dir}/${name}`;
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'conform', Key }));
      await s3.send(new UploadPartCommand({ Bucket: 'conform', Key, UploadId, PartNumber: 1, Body: 'half a file' }));
    },
    async teardown() {
      s3.destroy();
      await server.stop();
      if (server.dir) await rm(server.dir, { recursive: true, force: true });
    },
  };
}

storeConformance('S3 (moto_server)', async () => s3Fixture(await startMotoServer()));
/**
 * The same contract on a second, independent S3 implementation (versitygw over a POSIX folder). Its
 * If-None-Match is not atomic: 5 concurrent conditional PUTs of one key let 2 succeed in one CI run.
 */
storeConformance('S3 (versitygw)', async () => s3Fixture(await startVersityGw(), false));
