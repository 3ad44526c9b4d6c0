import { CreateMultipartUploadCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import { rm } from 'node:fs/promises';
import { S3Store } from '../src/landing/s3-store.js';
import { createBucket, s3Client, s3Env, startVersityGw } from './s3-server.js';
import { storeConformance } from './store-conformance.js';

const MiB = 1024 * 1024;

/** The same contract on a second, independent S3 implementation (versitygw over a POSIX folder). */
storeConformance('S3 (versitygw)', async () => {
  const gw = await startVersityGw();
  await createBucket(gw.endpoint, 'conform');
  const env = s3Env(gw.endpoint);
  Object.assign(process.env, env);
  const settings = { endpoint: gw.endpoint, partSizeBytes: 5 * MiB, maxAttempts: 3 };
  const root = 's3://conform/lake';
  const s3 = s3Client(gw.endpoint);
  return {
    root,
    env,
    store: new S3Store(root, settings),
    unusable: new S3Store('s3://no-such-bucket/lake', settings),
    async leaveInterruptedWrite(dir, name) {
      const Key = `lake/${dir}/${name}`;
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'conform', Key }));
      await s3.send(new UploadPartCommand({ Bucket: 'conform', Key, UploadId, PartNumber: 1, Body: 'half a file' }));
    },
    async teardown() {
      s3.destroy();
      await gw.stop();
      await rm(gw.dir, { recursive: true, force: true });
    },
  };
});
