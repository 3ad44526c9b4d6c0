/**
 * Parquet writer benchmark: each candidate runs the whole ParquetBuilder pipeline (schema inference
 * over pages, typed column conversion, encoding) on N TMDB-shaped records, in a fresh child process per
 * run (so peak RSS is its own), and pyarrow reads the file back to check it.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/parquet-writers.js [--n 100000] [--page 20] [--repeat 3] [--spark]
 *
 * Runs are interleaved (run k of every candidate, then run k+1) so load changes hit all alike.
 * `--spark` also reads every file with Spark (bench/parquet-spark-check.py; pyspark must be importable).
 * `--min-heap` also finds, per candidate, the smallest `--max-old-space-size` (20 MiB steps) it completes
 * with: the live heap it needs, which peak RSS (GC is lazy) does not show.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCandidate, CANDIDATES, type RunResult } from './parquet-run.js';
import { movie, sampleIndexes } from './parquet-records.js';
import { isoToMicros } from '../src/format/timestamp.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const PYTHON = join(repo, '.venv/bin/python');
const CHECK = join(repo, 'bench/parquet-check.py');
const OUT = join(tmpdir(), 'pagefleet-bench');

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const n = arg('n', 100_000);
const pageSize = arg('page', 20);
const repeat = arg('repeat', 3);
const child = process.argv.indexOf('--child');

if (child > 0) {
  const result = await runCandidate(process.argv[child + 1], n, pageSize, OUT);
  process.stdout.write(JSON.stringify(result));
} else {
  mkdirSync(OUT, { recursive: true });
  const expectedPath = join(OUT, 'expected.json');
  writeFileSync(expectedPath, JSON.stringify(expected()));
  const runs = new Map<string, RunResult[]>(CANDIDATES.map((c) => [c, []]));
  for (let k = 0; k < repeat; k++) {
    for (const name of CANDIDATES) {
      const p = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', name,
        '--n', String(n), '--page', String(pageSize)], { encoding: 'utf8', maxBuffer: 1 << 24 });
      if (p.status !== 0) throw new Error(`${name} failed: ${p.stderr}`);
      runs.get(name)!.push(JSON.parse(p.stdout) as RunResult);
    }
  }
  const rows: string[] = [];
  for (const [name, rs] of runs) {
    const med = rs.map((r) => r.seconds).sort((a, b) => a - b)[Math.floor(rs.length / 2)];
    const r = rs[0];
    const check = r.file.endsWith('.parquet') ? pyarrowCheck(r.file, expectedPath) : 'n/a (not Parquet)';
    rows.push(`| ${name} | ${Math.round(n / med).toLocaleString('en-US')} | ${med.toFixed(2)} | ` +
      `${mb(Math.max(...rs.map((x) => x.peakRssBytes)))} | ${mb(Math.max(...rs.map((x) => x.rssOverBaseline)))} | ` +
      `${mb(r.heapDelta)} | ${Math.max(...rs.map((x) => x.finishBlockMs)).toFixed(0)} ms | ${mb(r.bytes)} | ${mb(r.approxBytes)} | ${check} |`);
    process.stderr.write(`${name}: ${JSON.stringify(rs)}\n`);
  }
  const held = JSON.parse(spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', 'hold',
    '--n', String(n), '--page', String(pageSize)], { encoding: 'utf8' }).stdout) as RunResult;
  console.log(`N=${n} records, pages of ${pageSize}, median of ${repeat} interleaved runs, node ${process.version}, ` +
    `${cpus().length} CPUs, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}\n`);
  console.log('| candidate | records/s | seconds | peak RSS | RSS over baseline | heap while holding | longest event-loop block in finish | file | approxBytes | pyarrow check |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
  console.log(`\nThe ${n} records take ${mb(held.heapDelta)} of heap as parsed objects and ${mb(held.bytes)} as JSON text; ` +
    `parsing all page bodies takes ${held.seconds.toFixed(2)} s, included in every candidate's time.`);
  if (process.argv.includes('--min-heap')) {
    console.log('\nSmallest V8 old space each candidate completes with (page bodies alone hold ' +
      `${mb(held.bytes)}; wasm linear memory is outside this limit):`);
    for (const name of CANDIDATES) console.log(`- ${name}: ${minHeap(name)} MiB`);
  }
  if (process.argv.includes('--spark')) {
    const files = [...runs.values()].map((rs) => rs[0].file).filter((f) => f.endsWith('.parquet'));
    const p = spawnSync(PYTHON, [join(repo, 'bench/parquet-spark-check.py'), ...files], { encoding: 'utf8' });
    console.log('\nSpark read-back:\n' + (p.status === 0 ? p.stdout : `failed: ${p.stderr.slice(-2000)}`));
  }
}

function minHeap(name: string): number {
  for (let limit = 60; limit <= 1000; limit += 20) {
    const p = spawnSync(process.execPath, [`--max-old-space-size=${limit}`, '--expose-gc', fileURLToPath(import.meta.url),
      '--child', name, '--n', String(n), '--page', String(pageSize)], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (p.status === 0) return limit;
  }
  return NaN;
}

function mb(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MiB`;
}

/** What the reader must find: row count, run id, and some rows in full. */
function expected() {
  return {
    rows: n,
    run_id: 'bench-run',
    samples: sampleIndexes(n).map((index) => ({
      index,
      page: Math.floor(index / pageSize) + 1,
      fetched_at_us: String(BigInt(Date.UTC(2024, 5, 1) + Math.floor(index / pageSize)) * 1000n),
      updated_at_us: String(isoToMicros(movie(index).updated_at)),
      record: movie(index),
    })),
  };
}

function pyarrowCheck(file: string, expectedPath: string): string {
  const p = spawnSync(PYTHON, [CHECK, file, expectedPath], { encoding: 'utf8' });
  if (p.status !== 0) return `ERROR ${p.stderr.trim().split('\n').pop()}`;
  const res = JSON.parse(p.stdout) as { ok: boolean; failures: string[] };
  return res.ok ? 'pass' : `FAIL: ${res.failures.join('; ')}`;
}
