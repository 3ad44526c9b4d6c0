/**
 * The memory case: one executor process (`--executor-index 0`), Parquet + NDJSON, default file_target,
 * for a small and a large run of the same API; peak RSS from GNU time (and the executor's own
 * `maxRssMiB`). Memory should be bounded by the file target, not by the number of pages.
 */
import { join } from 'node:path';
import { DEFAULT_EXECUTOR_NODE_FLAGS } from '../src/job/heap.js';
import { measuredRun } from './measured-run.js';
import { startPageServer } from './page-server-process.js';
import { inTempDir, pagefleetCli, readBackLanding, writeJob } from './throughput-cases.js';

export interface MemoryRun {
  pages: number;
  records: number;
  maxRssMiB: number;
  /** What the executor itself reported (`process.resourceUsage().maxRSS`). */
  executorMaxRssMiB: number;
  wallS: number;
  files: number;
  exactlyOnce: boolean;
}

export async function memoryCase(pageCounts: number[], perPage = 100): Promise<MemoryRun[]> {
  const server = await startPageServer(['--pages', String(Math.max(...pageCounts)), '--per-page', String(perPage)]);
  try {
    const runs: MemoryRun[] = [];
    for (const pages of pageCounts) runs.push(await oneRun(server.url, pages, perPage));
    return runs;
  } finally {
    await server.stop();
  }
}

async function oneRun(url: string, pages: number, perPage: number): Promise<MemoryRun> {
  return inTempDir(async (dir) => {
    const root = join(dir, 'landing');
    const job = await writeJob(dir, url, root, ['parquet', 'ndjson'], { rate: 100_000, concurrency: 8 });
    // started as `pagefleet` starts Node (its #! line names the executor's flags)
    const args = [...DEFAULT_EXECUTOR_NODE_FLAGS, pagefleetCli(), 'ingest', job, '--executors', '1', '--executor-index', '0', '--run-id', 'memory', '--end', String(pages), '--json'];
    const r = await measuredRun(process.execPath, args);
    if (r.code !== 0) throw new Error(`memory case (${pages} pages) exited ${r.code}: ${r.stderr.slice(-2000)}`);
    const stats = JSON.parse(r.stdout);
    const records = pages * perPage;
    const readBack = ['parquet', 'ndjson'].map((f) => readBackLanding(root, f));
    return {
      pages,
      records,
      maxRssMiB: r.maxRssMiB,
      executorMaxRssMiB: stats.maxRssMiB,
      wallS: r.wallS,
      files: stats.files,
      exactlyOnce: readBack.every((b) => b.count === records && b.distinct === records),
    };
  });
}

export function memoryLines(runs: MemoryRun[]): string[] {
  const [small, large] = [runs[0], runs[runs.length - 1]];
  return [
    `- **Memory** (1 executor, Parquet + NDJSON, default file_target): ` +
      runs
        .map((r) => `${r.records.toLocaleString('en-US')} records → peak RSS ${r.maxRssMiB.toFixed(0)} MiB (executor says ${r.executorMaxRssMiB}; ${r.files} files, ${r.wallS.toFixed(0)} s, exactly once: ${r.exactlyOnce ? 'yes' : '**NO**'})`)
        .join('; ') +
      `; ratio ${(large.maxRssMiB / small.maxRssMiB).toFixed(2)}×.`,
  ];
}
