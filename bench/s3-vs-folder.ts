/**
 * Pages/s of `pagefleet ingest` into a local folder vs an S3-compatible server on the same machine
 * (moto_server, and versitygw when scripts/setup.sh installed it), same demo API, same job.
 *   npm run build && node dist/bench/s3-vs-folder.js [--size 100000]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { demoJob, startDemoApi, timedIngest } from './cli.js';
import { createBucket, s3Env, startMotoServer, startVersityGw, VERSITYGW } from '../test/s3-server.js';

const arg = (name: string, fallback: number) => Number(process.argv[process.argv.indexOf(name) + 1] || fallback);
const size = arg("--size", 100_000);

/** `root` is an s3:// prefix, or undefined for a folder in the job's temp folder. */
async function ingest(url: string, root: string | undefined, env: NodeJS.ProcessEnv, executors: number, fileTarget: string) {
  const job = await demoJob(url, 'bench', '{ page: { total_pages: total_pages } }', (dir) =>
    `{ root: "${root ?? join(dir, 'landing')}", formats: [parquet, ndjson], file_target: ${fileTarget} }`);
  return timedIngest(job, executors, env);
}

const api = await startDemoApi(size);
const moto = await startMotoServer();
const versity = existsSync(VERSITYGW) ? await startVersityGw() : undefined;
try {
  await createBucket(moto.endpoint, 'bench');
  const stores: [string, string | undefined, NodeJS.ProcessEnv][] = [
    ['local folder', undefined, {}],
    ['moto_server', 's3://bench/lake', s3Env(moto.endpoint)],
  ];
  if (versity) {
    await createBucket(versity.endpoint, 'bench');
    stores.push(['versitygw (posix)', 's3://bench/lake', s3Env(versity.endpoint)]);
  }
  console.log(`# catalogue ${size} records, ${size / 100} pages of 100, Parquet + NDJSON; demo API and S3 server on this machine; ${new Date().toISOString()}`);
  console.log('| landing zone | executors | file_target | seconds | pages/s |');
  console.log('|---|---|---|---|---|');
  for (const [executors, fileTarget] of [[1, '1MiB'], [4, '1MiB'], [4, '64MiB']] as const) {
    for (const [name, root, env] of stores) {
      const r = await ingest(api.url, root && `${root}-${executors}-${fileTarget}`, env, executors, fileTarget);
      console.log(`| ${name} | ${executors} | ${fileTarget} | ${r.seconds.toFixed(1)} | ${(r.pages / r.seconds).toFixed(0)} |`);
    }
  }
} finally {
  api.stop();
  await moto.stop();
  await versity?.stop();
}
