/**
 * The bare Node fetcher: the floor of what Node can do on this machine for the same job. PROCESSES
 * processes (bench/bare-fetcher-worker.ts), each taking a contiguous share of pages 1..PAGES with an
 * undici Pool of 8 in flight, JSON.parse, and NDJSON through gzip at LEVEL into one file per process.
 *
 *   node dist/bench/bare-fetcher.js URL PAGES LEVEL OUT_DIR [PROCESSES=2]
 *
 * Writes OUT_DIR/part-<i>.ndjson.gz and prints one JSON line: pages and records summed, the longest
 * request gap and event-loop block and the largest peak RSS over the processes.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

interface WorkerResult {
  pages: number;
  records: number;
  maxRequestGapMs: number;
  maxEventLoopBlockMs: number;
  maxRssMiB: number;
}

const WORKER = join(import.meta.dirname, 'bare-fetcher-worker.js');

/** Pages 1..pages cut into `parts` contiguous ranges, as even as possible. */
export function splitPages(pages: number, parts: number): [first: number, last: number][] {
  const ranges: [number, number][] = [];
  for (let i = 0; i < parts; i++) {
    const first = Math.floor((pages * i) / parts) + 1;
    const last = Math.floor((pages * (i + 1)) / parts);
    if (last >= first) ranges.push([first, last]);
  }
  return ranges;
}

function runWorker(args: string[]): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WORKER, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`bare fetcher worker ${args.join(' ')} exited ${code}`))));
  });
}

async function main(): Promise<void> {
  const [url, pages, level, outDir, processes = '2'] = process.argv.slice(2);
  const results = await Promise.all(
    splitPages(Number(pages), Number(processes)).map(([first, last], i) =>
      runWorker([url, String(first), String(last), level, join(outDir, `part-${i}.ndjson.gz`)]),
    ),
  );
  const max = (k: keyof WorkerResult) => Math.max(...results.map((r) => r[k]));
  const sum = (k: keyof WorkerResult) => results.reduce((t, r) => t + r[k], 0);
  process.stdout.write(
    JSON.stringify({
      pages: sum('pages'),
      records: sum('records'),
      maxRequestGapMs: max('maxRequestGapMs'),
      maxEventLoopBlockMs: max('maxEventLoopBlockMs'),
      maxRssMiB: max('maxRssMiB'),
    }) + '\n',
  );
}

if (process.argv[1] === import.meta.filename) await main();
