/**
 * The throughput benchmark (`npm run bench`): pagefleet against the seeds' own approach and a bare Node
 * fetcher, side by side in one invocation, on one local API of precomputed TMDB-shaped pages.
 *
 *   npm run bench [-- --runs 3 --pages 2000 --rate-limit 200 --no-rate --memory --memory-pages 100,10000 --no-record]
 *
 * Every case runs `--runs` times, interleaved (run k of every case before run k+1), and the median is
 * reported; every run's output is read back independently and must hold each record exactly once. Then
 * the rate-limited case (bench/rate-case.ts), and with `--memory` the memory case (bench/memory-case.ts:
 * one executor, 10k vs 1M records; 2–3 minutes on the shared 2-core machine, so not by default). The report is printed and appended to bench/RESULTS.md under a
 * heading with the date and this command (not with `--no-record`). Exit 1 if any output missed or
 * repeated a record.
 */
import { execFileSync } from 'node:child_process';
import { appendFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { GZIP_LEVEL } from '../src/format/constants.js';
import { memoryCase, memoryLines } from './memory-case.js';
import { startPageServer } from './page-server-process.js';
import { parseFlags, positiveInt } from './flags.js';
import { rateCase, rateLines } from './rate-case.js';
import { bareCase, pagefleetCase, REPO, seedCase, type Case } from './throughput-cases.js';
import { exactlyOnce, throughputTable, type CaseResult } from './throughput-table.js';

const PER_PAGE = 100;
const args = parseFlags('bench', {
  runs: { type: 'string', default: '3' },
  pages: { type: 'string', default: '2000' },
  'rate-limit': { type: 'string', default: '200' },
  'no-rate': { type: 'boolean', default: false },
  memory: { type: 'boolean', default: false },
  'memory-pages': { type: 'string', default: '100,10000' },
  'no-record': { type: 'boolean', default: false },
});
const runs = positiveInt('bench', 'runs', args.runs);
const pages = positiveInt('bench', 'pages', args.pages);
const rateLimit = positiveInt('bench', 'rate-limit', args['rate-limit']);
const memoryPages = args['memory-pages'].split(',').map((p) => positiveInt('bench', 'memory-pages', p));

/** Bare levels 1 and 6, and pagefleet's own level if it is neither. */
function cases(): Case[] {
  const levels = [...new Set([1, 6, GZIP_LEVEL])].sort((a, b) => a - b);
  return [
    seedCase(),
    ...levels.map(bareCase),
    pagefleetCase(['ndjson'], 1, GZIP_LEVEL),
    pagefleetCase(['ndjson'], 2, GZIP_LEVEL),
    pagefleetCase(['parquet', 'ndjson'], 1, GZIP_LEVEL),
    pagefleetCase(['parquet', 'ndjson'], 2, GZIP_LEVEL),
  ];
}

/**
 * Runs every case `runs` times, interleaved; round k starts at case k (and wraps), so no case always
 * runs first or right after the same neighbour.
 */
async function throughput(): Promise<{ results: CaseResult[]; pageBytes: number }> {
  const server = await startPageServer(['--pages', String(pages), '--per-page', String(PER_PAGE)]);
  try {
    const results: CaseResult[] = cases().map((c) => ({ case: c, samples: [] }));
    for (let k = 0; k < runs; k++) {
      for (const r of rotate(results, k)) {
        const s = await r.case.run(server.url, pages);
        r.samples.push(s);
        log(`run ${k + 1}/${runs} ${r.case.name}: ${s.pagesPerS.toFixed(0)} pages/s, ${s.cpuS.toFixed(1)} CPU-s, ${s.maxRssMiB.toFixed(0)} MiB`);
      }
    }
    return { results, pageBytes: server.meanBodyBytes };
  } finally {
    await server.stop();
  }
}

function rotate<T>(xs: readonly T[], k: number): T[] {
  const i = k % xs.length;
  return [...xs.slice(i), ...xs.slice(0, i)];
}

async function timed<T>(what: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const result = await fn();
  log(`${what}: ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return result;
}

function log(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}

/** The command as typed, for the record. */
function command(): string {
  const extra = process.argv.slice(2).join(' ');
  if (process.env.npm_lifecycle_event === 'bench') return `npm run bench${extra ? ` -- ${extra}` : ''}`;
  return `node dist/bench/throughput.js${extra ? ` ${extra}` : ''}`;
}

/** The last commit that changed `path` (all of the checkout when omitted), and whether it has edits since. */
function gitVersion(path?: string): string {
  const git = (...a: string[]) => execFileSync('git', ['-C', REPO, ...a], { encoding: 'utf8' }).trim();
  try {
    const scope = path ? ['--', path] : [];
    const dirty = git('status', '--porcelain', ...scope) ? ' + uncommitted edits' : '';
    return git('log', '-1', '--format=%h', ...scope) + dirty;
  } catch {
    return 'unknown';
  }
}

const load = () => loadavg().map((x) => x.toFixed(2)).join(', ');
const started = new Date();
const loadBefore = load();
const { results, pageBytes } = await timed('throughput cases', throughput);
const rate = args['no-rate'] ? undefined : await timed('rate case', () => rateCase(pages, rateLimit));
const memory = !args.memory ? undefined : await timed('memory case', () => memoryCase(memoryPages, PER_PAGE));
const minutes = (Date.now() - started.getTime()) / 60_000;

const report = [
  `## Throughput against the seed-style baseline (${started.toISOString().slice(0, 16).replace('T', ' ')} UTC)`,
  '',
  `Command: \`${command()}\` (src/ at \`${gitVersion('src')}\`, checkout at \`${gitVersion()}\`).`,
  `${pages.toLocaleString('en-US')} pages of ${PER_PAGE} TMDB-shaped records (${(pageBytes / 1000).toFixed(1)} KB each) from bench/page-server.ts (precomputed bodies, its own process, keep-alive),` +
    ` ${runs} interleaved runs per case, medians; node ${process.version}, ${cpus().length} CPUs shared with other work;` +
    ` load average (1, 5, 15 min) ${loadBefore} before, ${load()} after; ${minutes.toFixed(1)} min in all.`,
  `pagefleet's NDJSON gzip level is ${GZIP_LEVEL} (src/format/constants.ts). pages/s is pages over the wall time of the whole command (process start-up, planning and the final status included).` +
    ' The request gap is the longest time between two request starts of one process once its first answer is in (the first 8 requests leave together).',
  '',
  throughputTable(results, pages, pages * PER_PAGE),
  '',
  ...(rate ? rateLines(rate) : []),
  ...(memory ? memoryLines(memory) : []),
  '',
].join('\n');

process.stdout.write('\n' + report);
if (!args['no-record']) await appendFile(join(REPO, 'bench/RESULTS.md'), '\n' + report);
const failed = results.some((r) => !exactlyOnce(r.samples, pages * PER_PAGE)) || (memory?.some((m) => !m.exactlyOnce) ?? false) ||
  (rate !== undefined && (rate.readBack.count !== pages * PER_PAGE || rate.readBack.distinct !== pages * PER_PAGE));
if (failed) {
  log('FAILED: some output did not hold every record exactly once (see the table)');
  process.exitCode = 1;
}
