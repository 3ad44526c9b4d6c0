/**
 * The rate-limited cases: the page server keeps a token bucket of `apiLimit` requests/s (429 + Retry-After
 * when empty) and logs every request; pagefleet runs with `limits.rate: jobRate`. The server's log then
 * tells how much of the job's rate was used between the first request and the last, how many requests
 * were refused, and the most requests in any 1 s window.
 *
 *   node dist/bench/rate-case.js --case 4          4 executor processes of one run (`--executor-index i`)
 *                                                  started 1 s apart, so they finish at different times
 *   node dist/bench/rate-case.js --case 64         `ingest --executors 64`, 4,000 pages, bucket 400/s, job 390/s
 *   node dist/bench/rate-case.js --case late-kill  4 processes: executor 3 starts 10 s late, executor 1 is
 *                                                  killed (SIGKILL) halfway and never restarted
 *   node dist/bench/rate-case.js --case scale      the 64 case with 2, 8, 16 and 64 executors, one after the other
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_EXECUTOR_NODE_FLAGS } from '../src/job/heap.js';
import { startPageServer } from './page-server-process.js';
import { rateReport, type RateReport } from './rate-analysis.js';
import { CLI, REPO, executorEvents, inTempDir, pagefleetCli, readBackLanding, writeJob } from './throughput-cases.js';

export interface RateScenario {
  pages: number;
  /** The API's token bucket (requests/s) and its size. */
  apiLimit: number;
  burst?: number;
  /** limits.rate of the job (requests/s). */
  jobRate: number;
  executors: number;
  /** 'pods': one process per executor (`--executor-index i`); 'local': one `ingest --executors N`. */
  mode: 'pods' | 'local';
  /** Pods: when executor i starts, ms after the first. */
  startAtMs?: (i: number) => number;
  /** Pods: executor `index` is killed with SIGKILL `atMs` after the first start, and not restarted. */
  kill?: { index: number; atMs: number };
  /** The CLI entry the processes run (default: the bundle, dist/bundle/main.js, when it was built). */
  cli?: string;
}

export interface RateCaseResult {
  scenario: RateScenario;
  burst: number;
  report: RateReport;
  /** 200s over the first-to-last-request span as a share of the job's rate. */
  shareOfJobRate: number;
  /** The same without the discovery request (the run's first): from the executors' first request on. */
  shareAfterPlan: number;
  /** Seconds from the first start to each executor's exit (the killed one: when it was killed). */
  finishedAtS: number[];
  /** From the first start to the last exit (s). */
  wallS: number;
  readBack: { count: number; distinct: number };
  /** CPU-seconds of the pagefleet processes (user + system, their children included; Linux only, else NaN). */
  cpuS: number;
  /** executor_finished events (their stats): start-up CPU and RSS, rate slots. */
  executors: Record<string, unknown>[];
  /** 200s per second from the first request (the shape of the run). */
  perSecond: number[];
  /** The server's request log and each process's stderr, for a closer look (`--dump FILE`). */
  raw: { log: [number, number, number][]; stderr: string[]; spawnedAt: number[] };
}

/** The 4-executor case of `npm run bench` (executors started `staggerMs` apart, bucket = job rate). */
export function rateCase(pages: number, limit: number, executors = 4, staggerMs = 1000): Promise<RateCaseResult> {
  return rateScenario({ pages, apiLimit: limit, jobRate: limit, executors, mode: 'pods', startAtMs: (i) => i * staggerMs });
}

export async function rateScenario(s: RateScenario): Promise<RateCaseResult> {
  const burst = s.burst ?? Math.max(1, Math.round(s.apiLimit / 20));
  const server = await startPageServer(['--pages', String(s.pages), '--rate-limit', String(s.apiLimit), '--burst', String(burst), '--log']);
  try {
    return await inTempDir(async (dir) => {
      const root = join(dir, 'landing');
      const job = await writeJob(dir, server.url, root, ['ndjson'], { rate: s.jobRate, concurrency: 8 });
      const t0 = performance.now();
      const since = () => (performance.now() - t0) / 1000;
      const cli = s.cli ?? pagefleetCli();
      const run = (args: string[], killAfterMs?: number) => runCli(cli, args, killAfterMs);
      const runs = s.mode === 'local'
        ? [run(['ingest', job, '--run-id', 'rate', '--executors', String(s.executors), '--json', '--log-format', 'json']).then((r) => ({ ...r, at: since() }))]
        : Array.from({ length: s.executors }, async (_, i) => {
            await new Promise((r) => setTimeout(r, s.startAtMs?.(i) ?? 0));
            const args = ['ingest', job, '--run-id', 'rate', '--executors', String(s.executors), '--executor-index', String(i), '--json', '--log-format', 'json'];
            const killAt = s.kill?.index === i ? s.kill.atMs - (s.startAtMs?.(i) ?? 0) : undefined;
            return { ...(await run(args, killAt)), at: since() };
          });
      const cpuBefore = childrenCpuS();
      const done = await Promise.all(runs);
      const cpuS = childrenCpuS() - cpuBefore; // the page server is still running: its CPU is not in this
      done.forEach((r, i) => {
        if (r.code !== 0 && !r.killed) throw new Error(`rate case: executor ${i} exited ${r.code}:\n${r.stderr.split('\n').filter((l) => !/executor_finished|waiting_for_session/.test(l)).join('\n').slice(-3000)}\n${r.stdout.slice(0, 1500)}`);
      });
      const { count, distinct } = readBackLanding(root, 'ndjson');
      const log = await server.log();
      const report = rateReport(log, s.apiLimit);
      const first = Math.min(...log.map(([at]) => at));
      const perSecond: number[] = [];
      for (const [at, , status] of log) if (status === 200) perSecond[Math.floor((at - first) / 1000)] = (perSecond[Math.floor((at - first) / 1000)] ?? 0) + 1;
      return {
        scenario: s,
        burst,
        report,
        shareOfJobRate: report.spanS > 0 ? report.ok / report.spanS / s.jobRate : 0,
        shareAfterPlan: afterPlan(log, s.jobRate),
        finishedAtS: done.map((r) => r.at),
        wallS: Math.max(...done.map((r) => r.at)),
        readBack: { count, distinct },
        cpuS,
        executors: done.flatMap((r) => executorEvents(r.stderr)),
        perSecond: Array.from(perSecond, (n) => n ?? 0),
        raw: { log, stderr: done.map((r) => r.stderr), spawnedAt: done.map((r) => r.spawnedAt) },
      };
    });
  } finally {
    await server.stop();
  }
}

/**
 * CPU-seconds (user + system) of this process's children that have ended, from /proc/self/stat (cutime,
 * cstime: clock ticks of 1/100 s, Linux's USER_HZ). NaN where there is no /proc.
 */
function childrenCpuS(): number {
  try {
    // the fields after the command name, which is in parentheses and may hold spaces
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100; // fields 16 and 17 of proc(5), counted from 1 with pid and comm
  } catch {
    return NaN;
  }
}

/** Runs the CLI; with `killAfterMs`, SIGKILLs it then (it is then `killed`, whatever its code). */
function runCli(cli: string, args: string[], killAfterMs?: number): Promise<{ code: number | null; killed: boolean; stderr: string; stdout: string; spawnedAt: number }> {
  return new Promise((resolve, reject) => {
    const spawnedAt = Date.now();
    // with the flags `pagefleet` starts Node with (its #! line)
    const child: ChildProcess = spawn(process.execPath, [...DEFAULT_EXECUTOR_NODE_FLAGS, cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout!.on('data', (d) => (stdout += d));
    let stderr = '';
    let killed = false;
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => ((killed = true), child.kill('SIGKILL')), killAfterMs);
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, killed, stderr, stdout, spawnedAt });
    });
  });
}

/** 200s per second over the log without its first request (discovery), as a share of `rate`. */
function afterPlan(log: readonly [number, number, number][], rate: number): number {
  const sorted = [...log].sort((a, b) => a[0] - b[0]).slice(1);
  if (sorted.length < 2) return 0;
  const span = (sorted[sorted.length - 1][0] - sorted[0][0]) / 1000;
  return sorted.filter(([, , status]) => status === 200).length / span / rate;
}

const median = (xs: number[]) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length ? v[Math.floor((v.length - 1) / 2)] : NaN;
};

/** The lines the benchmark prints for a case. */
export function rateLines(r: RateCaseResult, title = 'Rate limit'): string[] {
  const { scenario: s, report: rep } = r;
  const expected = s.pages * 100;
  const ideal = s.pages / s.jobRate;
  const num = (k: string) => r.executors.map((e) => Number(e[k])).filter((x) => Number.isFinite(x));
  const who = s.mode === 'local' ? `\`ingest --executors ${s.executors}\`` : `${s.executors} executor processes (\`--executor-index i\`)`;
  return [
    `- **${title}** (API bucket ${s.apiLimit} req/s holding ${r.burst}; job rate ${s.jobRate} req/s; ${who}; NDJSON; ${s.pages} pages):` +
      ` ${(100 * r.shareOfJobRate).toFixed(1)}% of the job rate used between the first and the last request (${rep.ok} answered 200 in ${rep.spanS.toFixed(1)} s; ideal ${ideal.toFixed(1)} s),` +
      ` ${(100 * r.shareAfterPlan).toFixed(1)}% from the first request after discovery;` +
      ` ${rep.throttled} × 429 (${((100 * rep.throttled) / Math.max(1, rep.requests)).toFixed(2)}% of ${rep.requests} requests);` +
      ` at most ${rep.maxInWindow} requests in any 1 s window (API limit ${s.apiLimit} + bucket ${r.burst});` +
      ` first start to last exit ${r.wallS.toFixed(1)} s (${((100 * r.wallS) / ideal).toFixed(0)}% of pages/rate);` +
      (s.mode === 'pods' ? ` executors exited at ${r.finishedAtS.map((x) => x.toFixed(1)).join(' / ')} s;` : '') +
      ` per executor at its first request: median ${median(num('startupCpuS')).toFixed(2)} CPU-s (max ${Math.max(...num('startupCpuS')).toFixed(2)}), median RSS ${median(num('startupRssMiB'))} MiB;` +
      ` peak RSS median ${median(num('maxRssMiB'))} MiB; rate slots held at most (median over sessions) ${median(num('rateSlotsMax'))};` +
      ` pagefleet processes ${r.cpuS.toFixed(1)} CPU-s (${((1000 * r.cpuS) / s.pages).toFixed(2)} per 1,000 pages);` +
      ` exactly once: ${r.readBack.count === expected && r.readBack.distinct === expected ? 'yes' : `**NO** (${r.readBack.count} records, ${r.readBack.distinct} distinct)`}.`,
  ];
}

/** `--case scale`: the 64-executor case run with each of these executor counts, one after the other. */
const SCALE_EXECUTORS = [2, 8, 16, 64];

/** The named cases of `--case`. */
export const RATE_CASES: Record<string, { title: string; scenario: RateScenario }> = {
  '4': {
    title: 'Rate limit, 4 executors started 1 s apart',
    scenario: { pages: 2000, apiLimit: 200, burst: 10, jobRate: 200, executors: 4, mode: 'pods', startAtMs: (i) => i * 1000 },
  },
  '64': {
    title: 'Rate limit, 64 executors at once',
    scenario: { pages: 4000, apiLimit: 400, jobRate: 390, executors: 64, mode: 'local' },
  },
  'late-kill': {
    title: 'Rate limit, 4 executors: one starts 10 s late, one is killed halfway',
    scenario: {
      pages: 4000, apiLimit: 200, jobRate: 195, executors: 4, mode: 'pods',
      startAtMs: (i) => (i === 3 ? 10_000 : 0),
      kill: { index: 1, atMs: Math.round((4000 / 195 / 2) * 1000) },
    },
  },
};

if (process.argv[1] === import.meta.filename) {
  const { values } = parseArgs({ options: { case: { type: 'string', default: '4' }, dump: { type: 'string' }, entry: { type: 'string', default: 'bundle' } } });
  const started = new Date().toISOString().slice(0, 16).replace('T', ' ');
  if (values.case === 'scale') {
    // the 64-executor case's API and job with fewer executors: what each executor more costs on this machine
    process.stdout.write(`${started} UTC, \`node dist/bench/rate-case.js --case scale\`\n`);
    for (const executors of SCALE_EXECUTORS) {
      const r = await rateScenario({ ...RATE_CASES['64'].scenario, executors });
      process.stdout.write(`${rateLines(r, `Scale, ${executors} executors`).join('\n')}\n`);
    }
    process.exit(0);
  }
  const c = RATE_CASES[values.case!];
  if (!c) throw new Error(`--case: one of ${[...Object.keys(RATE_CASES), 'scale'].join(', ')}`);
  // --entry src: the unbundled dist/src/cli/main.js, to compare start-up costs
  const r = await rateScenario({ ...c.scenario, ...(values.entry === 'src' ? { cli: CLI } : {}) });
  process.stdout.write(`${started} UTC, \`node dist/bench/rate-case.js --case ${values.case}${values.entry === 'src' ? ' --entry src' : ''}\`\n${rateLines(r, c.title).join('\n')}\n`);
  process.stderr.write(`200s per second: ${r.perSecond.join(' ')}\n`);
  if (values.dump) writeFileSync(values.dump, JSON.stringify({ t0: r.raw.log.length ? Math.min(...r.raw.log.map(([at]) => at)) : 0, ...r.raw }));
  process.stderr.write(JSON.stringify(r.executors.map((e) => ({ executor: e.executor, startupCpuS: e.startupCpuS, startupRssMiB: e.startupRssMiB, rateSlotsMax: e.rateSlotsMax, rateShareMean: e.rateShareMean, pagesLanded: e.pagesLanded }))) + '\n');
}
