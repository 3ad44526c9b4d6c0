/**
 * Runs one command under GNU time (`/usr/bin/time`), which reads the kernel's accounting when the command
 * exits: user and system CPU of the command and every descendant it waited for (pagefleet's executors,
 * the bare fetcher's workers), and the largest peak RSS among them. Wall time is measured here.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface MeasuredRun {
  code: number | null;
  stdout: string;
  stderr: string;
  wallS: number;
  /** User + system CPU seconds of the command and its descendants. */
  cpuS: number;
  /** Largest peak resident set of any one process of the command (MiB). */
  maxRssMiB: number;
}

const TIME = '/usr/bin/time';
/** elapsed, user, system (s), max RSS (KiB): one line, after any "Command exited…" line. */
const FORMAT = '%e %U %S %M';

export async function measuredRun(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<MeasuredRun> {
  const dir = await mkdtemp(join(tmpdir(), 'pf-bench-time-'));
  const report = join(dir, 'time.txt');
  try {
    const t0 = performance.now();
    const { code, stdout, stderr } = await run(TIME, ['-f', FORMAT, '-o', report, command, ...args], env);
    const wallS = (performance.now() - t0) / 1000;
    const { userS, sysS, maxRssKiB } = parseTime(await readFile(report, 'utf8'));
    return { code, stdout, stderr, wallS, cpuS: userS + sysS, maxRssMiB: maxRssKiB / 1024 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The figures of GNU time's FORMAT line (the last line of its report). */
export function parseTime(report: string): { userS: number; sysS: number; maxRssKiB: number } {
  const line = report.trim().split('\n').at(-1) ?? '';
  const [, user, sys, rss] = line.split(' ').map(Number);
  if (![user, sys, rss].every(Number.isFinite)) throw new Error(`unexpected /usr/bin/time report: ${report}`);
  return { userS: user, sysS: sys, maxRssKiB: rss };
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
