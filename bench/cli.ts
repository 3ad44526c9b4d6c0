/** What the benchmarks share: run the built CLI as a process, and serve the demo API from it. */
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const CLI = join(import.meta.dirname, '../src/cli/main.js');

export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d) => (stdout += d));
    c.stderr.on('data', (d) => (stderr += d));
    c.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `pagefleet mock-api` with a catalogue of `size` records, in its own process. */
export async function startDemoApi(size: number): Promise<{ url: string; stop: () => void }> {
  const c = spawn(process.execPath, [CLI, 'mock-api', '--port', '0', '--size', String(size)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((r) => createInterface({ input: c.stdout }).once('line', (l) => r(JSON.parse(l).url)));
  return { url, stop: () => c.kill() };
}

/**
 * Writes a job spec against the demo API's /3/movie/popular into a new temp folder, unpaced (rate
 * 100000, concurrency 8). `output` gets the folder, for a landing zone inside it.
 */
export async function demoJob(url: string, dataset: string, pagination: string, output: (dir: string) => string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pf-bench-'));
  const job = join(dir, 'job.yaml');
  await writeFile(
    job,
    `dataset: ${dataset}
source: { url: "${url}/3/movie/popular", records: results }
pagination: ${pagination}
limits: { rate: 100000, concurrency: 8 }
output: ${output(dir)}
`,
  );
  return job;
}

/** `pagefleet ingest JOB --executors N --json`, timed; throws unless it exits 0. */
export async function timedIngest(job: string, executors: number, env: NodeJS.ProcessEnv = {}) {
  const t0 = performance.now();
  const r = await spawnCli(['ingest', job, '--executors', String(executors), '--json'], env);
  const seconds = (performance.now() - t0) / 1000;
  if (r.code !== 0) throw new Error(`ingest of ${job} failed: ${r.stderr}`);
  const s = JSON.parse(r.stdout);
  return { seconds, pages: s.status.totals.landed as number, records: s.status.records as number };
}
