import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

/** Paths resolved from the compiled test file (dist/test/) back to the repository. */
export const REPO = resolve(import.meta.dirname, '../..');
export const CLI = join(REPO, 'dist/src/cli/main.js');
export const PYTHON = process.env.PAGEFLEET_PYTHON ?? join(REPO, '.venv/bin/python');

export interface Proc {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** Runs `pagefleet …` as a real process. */
export function pagefleet(args: string[], env: NodeJS.ProcessEnv = {}): Proc {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((res) =>
    child.on('close', (code, signal) => res({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

export async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  return pagefleet(args, env).done;
}

/** Starts `pagefleet mock-api` as a real process and resolves with its URL. */
export async function startMockApi(flags: string[] = []): Promise<{ url: string; stop: () => Promise<void>; stats: () => Promise<any> }> {
  const child = spawn(process.execPath, [CLI, 'mock-api', '--port', '0', ...flags], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((res, rej) => {
    createInterface({ input: child.stdout! }).once('line', (line) => res(JSON.parse(line).url));
    child.once('exit', (code) => rej(new Error(`mock-api exited with ${code}`)));
  });
  return {
    url,
    stats: async () => (await fetch(`${url}/_stats`)).json(),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function tempDir(prefix = 'pf-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** Writes a job spec (YAML text) to a temp file. */
export async function writeJob(dir: string, yaml: string, name = 'job.yaml'): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, yaml);
  return file;
}

/** Reads a landing zone back with pyarrow (Parquet) or DuckDB (NDJSON). */
export function readBack(root: string, dataset: string, format: 'parquet' | 'ndjson') {
  const r = spawnSync(PYTHON, [join(REPO, 'test/readback.py'), root, dataset, format], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`readback failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as {
    files: number;
    count: number;
    distinct: number;
    min: number | null;
    max: number | null;
    types: Record<string, string>;
    temp_files: string[];
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` returns a truthy value or the timeout passes. */
export async function waitFor<T>(check: () => Promise<T> | T, timeoutMs = 30_000, everyMs = 50): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(everyMs);
  }
}
