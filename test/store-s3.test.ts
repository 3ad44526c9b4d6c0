import { CreateMultipartUploadCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import { S3Store } from '../src/landing/s3-store.js';
import { createBucket, s3Client, s3Env, startMotoServer } from './s3-server.js';
import { storeConformance } from './store-conformance.js';

const MiB = 1024 * 1024;

storeConformance('S3 (moto_server)', async () => {
  const moto = await startMotoServer();
  await createBucket(moto.endpoint, 'conform');
  const env = s3Env(moto.endpoint);
  Object.assign(process.env, env);
  const settings = { endpoint: moto.endpoint, partSizeBytes: 5 * MiB, maxAttempts: 3 };
  const root = 's3://conform/lake';
  const s3 = s3Client(moto.endpoint);
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
      await moto.stop();
    },
  };
});
