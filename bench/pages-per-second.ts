/**
 * Pages/s of `pagefleet ingest` against the demo API (a separate process, no faults), for 1 and 4
 * executors and both partitionings, plus the peak memory of one executor as the page count grows.
 *   npm run build && node dist/bench/pages-per-second.js [--size 100000]
 */
import { join } from 'node:path';
import { demoJob, spawnCli, startDemoApi, timedIngest } from './cli.js';

const size = Number(process.argv[process.argv.indexOf('--size') + 1] || 100_000);

async function ingest(url: string, executors: number, partitioning: string, formats: string) {
  const job = await demoJob(url, 'bench', '{ page: { total_pages: total_pages } }', (dir) =>
    `{ root: "${join(dir, 'landing')}", formats: [${formats}], file_target: 64MiB, partitioning: ${partitioning} }`);
  return timedIngest(job, executors);
}

async function memory(url: string, end: number) {
  const job = await demoJob(url, 'mem', `{ page: { end: ${end} } }`, (dir) =>
    `{ root: "${join(dir, 'landing')}", formats: [parquet, ndjson], file_target: 4MiB }`);
  const r = await spawnCli(['ingest', job, '--executors', '1', '--executor-index', '0', '--run-id', 'm', '--json']);
  return JSON.parse(r.stdout).maxRssMiB as number;
}

const api = await startDemoApi(size);
try {
  console.log(`# catalogue ${size} records, ${size / 100} pages of 100; demo API in its own process; ${new Date().toISOString()}`);
  console.log('| executors | partitioning | formats | seconds | pages/s | records/s |');
  console.log('|---|---|---|---|---|---|');
  for (const [n, part, formats] of [
    [1, 'contiguous', 'ndjson'],
    [1, 'contiguous', 'parquet, ndjson'],
    [4, 'contiguous', 'ndjson'],
    [4, 'contiguous', 'parquet, ndjson'],
    [4, 'stride', 'parquet, ndjson'],
  ] as const) {
    const r = await ingest(api.url, n, part, formats);
    console.log(`| ${n} | ${part} | ${formats} | ${r.seconds.toFixed(1)} | ${(r.pages / r.seconds).toFixed(0)} | ${(r.records / r.seconds).toFixed(0)} |`);
  }
  console.log('\n| pages (one executor) | peak RSS MiB |');
  console.log('|---|---|');
  for (const end of [50, 250, Math.min(1000, size / 100)]) console.log(`| ${end} | ${await memory(api.url, end)} |`);
} finally {
  api.stop();
}
