import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startMockApi } from '../mock/server.js';
import { ingest } from './ingest.js';

interface DemoOptions {
  root: string;
  executors: string;
  size: string;
  /** spec overrides handed to the ingest: requests/s, and how old a file may get before it is cut */
  rate?: string;
  maxFileAge?: string;
  /** where to write the job spec, so `pagefleet status JOB` can be run after the demo */
  job?: string;
  /** false: print no read-back hints (scripts/demo.sh reads the result back itself) */
  hints?: boolean;
}

/**
 * `pagefleet demo`: serves the demo API (with a few faults, so retries show), ingests it into
 * ./landing with 4 executors, and says how to look at the result.
 */
export async function demo(opts: DemoOptions): Promise<number> {
  const api = await startMockApi({ size: Number(opts.size), perPage: 100, latencyMs: 5, errorRate: 0.02, rateLimit: 400 });
  const job = opts.job ? resolve(opts.job) : join(await mkdtemp(join(tmpdir(), 'pagefleet-demo-')), 'demo.yaml');
  const root = resolve(opts.root);
  await writeFile(job, demoSpec(api.url, root));
  process.stderr.write(`pagefleet demo: demo API at ${api.url}, job spec ${job}\n`);
  try {
    const code = await ingest(job, { executors: opts.executors, logFormat: 'text', rate: opts.rate, maxFileAge: opts.maxFileAge });
    if (opts.hints !== false) process.stdout.write(readBackHints(root, job));
    return code;
  } finally {
    await api.close();
  }
}

/** The demo's job spec: the demo API's catalogue into `root`, in both formats. */
function demoSpec(apiUrl: string, root: string): string {
  return [
    'dataset: demo_movies',
    'source:',
    `  url: ${apiUrl}/3/movie/popular`,
    '  records: results',
    'pagination:',
    '  page: { param: page, start: 1, total_pages: total_pages }',
    'limits: { rate: 300, concurrency: 8, retries: 6, timeout: 10s }',
    'output:',
    `  root: ${root}`,
    '  formats: [parquet, ndjson]',
    '  file_target: 8MiB',
    '',
  ].join('\n');
}

function readBackHints(root: string, job: string): string {
  return [
    '',
    'Look at it:',
    `  node dist/src/cli/main.js status ${job}`,
    `  PYSPARK_PYTHON=.venv/bin/python .venv/bin/spark-submit --jars "$(bash spark/fetch-jars.sh --no-s3)" spark/reader.py --landing ${root} --dataset demo_movies --output ./curated/demo_movies --checkpoint ./checkpoints/demo_movies --trigger available-now`,
    '  bash scripts/demo.sh   (does all of it: the Spark reader streams the landing zone into Delta while the executors write)',
    '',
  ].join('\n');
}
