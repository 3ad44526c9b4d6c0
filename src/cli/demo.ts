import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startMockApi } from '../mock/server.js';
import { ingest } from './ingest.js';

/**
 * `pagefleet demo`: serves the demo API (with a few faults, so retries show), ingests it into
 * ./landing with 4 executors, and says how to look at the result.
 */
export async function demo(opts: { root: string; executors: string; size: string }): Promise<number> {
  const api = await startMockApi({ size: Number(opts.size), perPage: 100, latencyMs: 5, errorRate: 0.02, rateLimit: 400 });
  const dir = await mkdtemp(join(tmpdir(), 'pagefleet-demo-'));
  const job = join(dir, 'demo.yaml');
  await writeFile(
    job,
    [
      'dataset: demo_movies',
      'source:',
      `  url: ${api.url}/3/movie/popular`,
      '  records: results',
      'pagination:',
      '  page: { param: page, start: 1, total_pages: total_pages }',
      'limits: { rate: 300, concurrency: 8, retries: 6, timeout: 10s }',
      'output:',
      `  root: ${resolve(opts.root)}`,
      '  formats: [parquet, ndjson]',
      '  file_target: 8MiB',
      '',
    ].join('\n'),
  );
  process.stderr.write(`pagefleet demo: demo API at ${api.url}, job spec ${job}\n`);
  try {
    const code = await ingest(job, { executors: opts.executors, logFormat: 'text' });
    const root = resolve(opts.root);
    process.stdout.write(
      [
        '',
        'Read it back:',
        `  .venv/bin/python -c "import duckdb; print(duckdb.sql(\\"select count(*), count(distinct id) from read_parquet('${root}/demo_movies/parquet/**/*.parquet', hive_partitioning=true)\\"))"`,
        `  .venv/bin/python -c "import pyarrow.dataset as d; print(d.dataset('${root}/demo_movies/parquet', partitioning='hive').count_rows())"`,
        `  node dist/src/cli/main.js status ${job}`,
        `  PYSPARK_PYTHON=.venv/bin/python .venv/bin/spark-submit --jars "$(bash spark/fetch-jars.sh)" spark/reader.py --landing ${root} --dataset demo_movies --output ./curated/demo_movies --checkpoint ./checkpoints/demo_movies --trigger available-now`,
        '',
      ].join('\n'),
    );
    return code;
  } finally {
    await api.close();
  }
}
