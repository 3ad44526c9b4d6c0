/**
 * The rate-limited case: the page server keeps a token bucket of LIMIT requests/s (429 + Retry-After
 * when empty) and logs every request; pagefleet runs with `limits.rate: LIMIT` as 4 executor processes
 * of one run (`--executor-index i`) started 0, 1, 2 and 3 s apart, so they finish at different times.
 * The server's log then tells how much of the limit was used between the first request and the last,
 * how many requests were refused, and the most requests in any 1 s window.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startPageServer } from './page-server-process.js';
import { rateReport, type RateReport } from './rate-analysis.js';
import { CLI, inTempDir, readBackLanding, writeJob } from './throughput-cases.js';

export interface RateCaseResult {
  limit: number;
  burst: number;
  executors: number;
  /** Milliseconds between the starts of consecutive executors. */
  staggerMs: number;
  report: RateReport;
  /** Seconds from the first executor's start to each executor's exit. */
  finishedAtS: number[];
  readBack: { count: number; distinct: number };
}

export async function rateCase(pages: number, limit: number, executors = 4, staggerMs = 1000): Promise<RateCaseResult> {
  const burst = Math.max(1, Math.round(limit / 20));
  const server = await startPageServer(['--pages', String(pages), '--rate-limit', String(limit), '--burst', String(burst), '--log']);
  try {
    return await inTempDir(async (dir) => {
      const root = join(dir, 'landing');
      const job = await writeJob(dir, server.url, root, ['ndjson'], { rate: limit, concurrency: 8 });
      const t0 = performance.now();
      const exits = await Promise.all(
        Array.from({ length: executors }, async (_, i) => {
          await new Promise((r) => setTimeout(r, i * staggerMs));
          const args = ['ingest', job, '--run-id', 'rate', '--executors', String(executors), '--executor-index', String(i), '--json', '--log-format', 'json'];
          const code = await exitCode(process.execPath, [CLI, ...args]);
          if (code !== 0) throw new Error(`rate case: executor ${i} exited ${code}`);
          return (performance.now() - t0) / 1000;
        }),
      );
      const { count, distinct } = readBackLanding(root, 'ndjson');
      return { limit, burst, executors, staggerMs, report: rateReport(await server.log(), limit), finishedAtS: exits, readBack: { count, distinct } };
    });
  } finally {
    await server.stop();
  }
}

function exitCode(command: string, args: string[]): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) process.stderr.write(stderr);
      resolve(code);
    });
  });
}

/** The lines the benchmark prints for this case. */
export function rateLines(r: RateCaseResult, pages: number): string[] {
  const rep = r.report;
  const expected = pages * 100;
  return [
    `- **Rate limit** (${r.limit} req/s, server bucket of ${r.burst}; ${r.executors} executors as separate processes started ${r.staggerMs / 1000} s apart, NDJSON, ${pages} pages):` +
      ` ${(100 * rep.shareOfLimit).toFixed(1)}% of the limit used between the first and the last request (${rep.ok} answered 200 in ${rep.spanS.toFixed(1)} s);` +
      ` ${rep.throttled} × 429 (${((100 * rep.throttled) / Math.max(1, rep.requests)).toFixed(2)}% of ${rep.requests} requests);` +
      ` at most ${rep.maxInWindow} requests in any 1 s window (limit ${r.limit}, +${Math.max(0, rep.maxInWindow - r.limit)});` +
      ` executors exited at ${r.finishedAtS.map((s) => s.toFixed(1)).join(' / ')} s;` +
      ` exactly once: ${r.readBack.count === expected && r.readBack.distinct === expected ? 'yes' : `**NO** (${r.readBack.count} records, ${r.readBack.distinct} distinct)`}.`,
  ];
}
