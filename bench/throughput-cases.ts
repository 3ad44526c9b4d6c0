/**
 * The cases of the throughput benchmark: how to run each one once against the page server, measured
 * (bench/measured-run.ts), and how its output is read back for the exactly-once check.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { measuredRun, type MeasuredRun } from './measured-run.js';
import { PAGES_PATH } from './page-server-paths.js';

export const REPO = resolve(import.meta.dirname, '../..');
export const PYTHON = process.env.PAGEFLEET_PYTHON ?? join(REPO, '.venv/bin/python');
/** The compiled, unbundled CLI. */
export const CLI = join(REPO, 'dist/src/cli/main.js');
/** The bundled CLI (scripts/bundle.mjs), what `pagefleet` runs. */
export const BUNDLED_CLI = join(REPO, 'dist/bundle/main.js');

/**
 * The CLI the pagefleet cases run: the bundle when it was built after the last tsc (`npm run build`, which
 * `npm run bench` runs first, does both), else dist/src/cli/main.js: a bundle older than the compiled code
 * would measure old code.
 */
export function pagefleetCli(): string {
  if (existsSync(BUNDLED_CLI) && statSync(BUNDLED_CLI).mtimeMs >= statSync(CLI).mtimeMs) return BUNDLED_CLI;
  process.stderr.write(`bench: ${BUNDLED_CLI} is missing or older than dist/src (run \`npm run build\`): running ${CLI}\n`);
  return CLI;
}

/** What one run of a case measured. */
export interface Sample {
  wallS: number;
  pagesPerS: number;
  cpuS: number;
  /** Largest peak RSS of any one process of the case (GNU time). */
  maxRssMiB: number;
  /** Longest time between two request starts (ms). */
  maxRequestGapMs: number;
  /** Longest event-loop block (ms); undefined for the Python baseline. */
  maxEventLoopBlockMs?: number;
  /** Records read back, and distinct ids among them, per output (one per format). */
  readBack: { output: string; count: number; distinct: number }[];
}

export interface Case {
  name: string;
  /** gzip level of its NDJSON, for the ratio to the bare fetcher at the same level. */
  gzipLevel?: number;
  /** Bare fetcher level this case is (the denominator of the ratio), if it is one. */
  isBareAt?: number;
  run(url: string, pages: number): Promise<Sample>;
}

export function seedCase(): Case {
  return {
    name: 'seed-style Python: requests.Session + ThreadPoolExecutor(8), a JSON file per page',
    run: (url, pages) =>
      inTempDir(async (dir) => {
        const r = ok(await measuredRun(PYTHON, [join(REPO, 'bench/seed-baseline.py'), url + PAGES_PATH, String(pages), dir]));
        const out = JSON.parse(r.stdout);
        return sample(r, pages, out.maxRequestGapMs, undefined, [readBackBaseline('json files', 'json-pages', dir)]);
      }),
  };
}

export function bareCase(level: number): Case {
  return {
    name: `bare Node: 2 processes, undici Pool 8 in flight, NDJSON gzip ${level}`,
    gzipLevel: level,
    isBareAt: level,
    run: (url, pages) =>
      inTempDir(async (dir) => {
        const r = ok(await measuredRun(process.execPath, [join(REPO, 'dist/bench/bare-fetcher.js'), url, String(pages), String(level), dir]));
        const out = JSON.parse(r.stdout);
        return sample(r, pages, out.maxRequestGapMs, out.maxEventLoopBlockMs, [readBackBaseline('ndjson', 'ndjson-gz', dir)]);
      }),
  };
}

/** `pagefleet ingest JOB --executors N --json --log-format json` into a folder, default file_target. */
export function pagefleetCase(formats: ('parquet' | 'ndjson')[], executors: number, gzipLevel: number): Case {
  const label = formats.map((f) => (f === 'parquet' ? 'Parquet' : 'NDJSON')).join(' + ');
  return {
    name: `pagefleet ${label}, ${executors} executor${executors > 1 ? 's' : ''}`,
    gzipLevel,
    run: (url, pages) =>
      inTempDir(async (dir) => {
        const root = join(dir, 'landing');
        const job = await writeJob(dir, url, root, formats, { rate: 100_000, concurrency: 8 });
        const r = ok(await measuredRun(process.execPath, [pagefleetCli(), 'ingest', job, '--executors', String(executors), '--end', String(pages), '--json', '--log-format', 'json']));
        const finished = executorEvents(r.stderr);
        if (finished.length !== executors) throw new Error(`expected ${executors} executor_finished events, got ${finished.length}`);
        const max = (k: string) => Math.max(...finished.map((e) => Number(e[k]) || 0));
        return sample(r, pages, max('maxRequestGapMs'), max('maxEventLoopBlockMs'), formats.map((f) => readBackLanding(root, f)));
      }),
  };
}

/** A job spec against the page server, written into `dir`. */
export async function writeJob(
  dir: string,
  url: string,
  root: string,
  formats: string[],
  limits: { rate: number; concurrency: number },
): Promise<string> {
  const job = join(dir, 'job.yaml');
  await writeFile(
    job,
    `dataset: bench
source: { url: "${url}${PAGES_PATH}", records: results }
pagination: { page: { total_pages: total_pages } }
limits: { rate: ${limits.rate}, concurrency: ${limits.concurrency} }
output: { root: "${root}", formats: [${formats.join(', ')}] }
`,
  );
  return job;
}

/** The `executor_finished` events among JSON log lines (`--log-format json`). */
export function executorEvents(stderr: string): Record<string, unknown>[] {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((e) => e.event === 'executor_finished');
}

/** pagefleet's landing zone, read back by test/readback.py (pyarrow / DuckDB). */
export function readBackLanding(root: string, format: string): Sample['readBack'][number] {
  return { output: format, ...python([join(REPO, 'test/readback.py'), root, 'bench', format]) };
}

function readBackBaseline(output: string, kind: string, dir: string): Sample['readBack'][number] {
  return { output, ...python([join(REPO, 'bench/exactly-once.py'), kind, dir]) };
}

function python(args: string[]): { count: number; distinct: number } {
  const r = spawnSync(PYTHON, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`read-back ${args.join(' ')} failed: ${r.stderr}`);
  const { count, distinct } = JSON.parse(r.stdout);
  return { count, distinct };
}

function sample(r: MeasuredRun, pages: number, gap: number, loop: number | undefined, readBack: Sample['readBack']): Sample {
  return {
    wallS: r.wallS,
    pagesPerS: pages / r.wallS,
    cpuS: r.cpuS,
    maxRssMiB: r.maxRssMiB,
    maxRequestGapMs: gap,
    maxEventLoopBlockMs: loop,
    readBack,
  };
}

function ok(r: MeasuredRun): MeasuredRun {
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr.slice(-2000)}`);
  return r;
}

/** Runs `fn` in a new temp dir, removed afterwards (the outputs are ~100 MB). */
export async function inTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'pf-bench-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
