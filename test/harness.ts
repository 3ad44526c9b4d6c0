import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
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
    // a fresh connection each time: a test may restart the API on the same port, and a kept-alive socket to
    // the old process would answer ECONNRESET
    stats: async () => (await fetch(`${url}/_stats`, { headers: { connection: 'close' } })).json(),
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
export function readBack(root: string, dataset: string, format: 'parquet' | 'ndjson', env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(PYTHON, [join(REPO, 'test/readback.py'), root, dataset, format], { encoding: 'utf8', env: { ...process.env, ...env } });
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

/** Keys (relative to `root`, '/'-separated, sorted) starting with `prefix`; root is a folder or s3://bucket/prefix. */
export async function listKeys(root: string, prefix: string, env: NodeJS.ProcessEnv = {}): Promise<string[]> {
  if (!root.startsWith('s3://')) {
    const dir = join(root, prefix.slice(0, prefix.lastIndexOf('/') + 1));
    const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch((e) => {
      if (e.code === 'ENOENT') return [];
      throw e;
    });
    return entries
      .filter((e) => e.isFile())
      .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
      .filter((k) => k.startsWith(prefix))
      .sort();
  }
  const { ListObjectsV2Command, S3Client } = await import('@aws-sdk/client-s3'); // only S3 tests pay for loading the SDK
  const e = { ...process.env, ...env };
  const [bucket, ...rest] = root.slice('s3://'.length).split('/');
  const rootPrefix = rest.filter(Boolean).map((p) => `${p}/`).join('');
  const s3 = new S3Client({
    endpoint: e.AWS_ENDPOINT_URL_S3 ?? e.AWS_ENDPOINT_URL,
    region: e.AWS_REGION ?? e.AWS_DEFAULT_REGION ?? 'us-east-1',
    forcePathStyle: true,
    ...(e.AWS_ACCESS_KEY_ID && e.AWS_SECRET_ACCESS_KEY
      ? { credentials: { accessKeyId: e.AWS_ACCESS_KEY_ID, secretAccessKey: e.AWS_SECRET_ACCESS_KEY, sessionToken: e.AWS_SESSION_TOKEN } }
      : {}),
  });
  const keys: string[] = [];
  try {
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: rootPrefix + prefix, ContinuationToken: token }));
      for (const o of page.Contents ?? []) keys.push(o.Key!.slice(rootPrefix.length));
      token = page.NextContinuationToken;
    } while (token);
  } finally {
    s3.destroy();
  }
  return keys.sort();
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

/** Runs `bash scripts/demo.sh ARGS` from `cwd`, collecting its output. */
export function runDemo(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('bash', [join(REPO, 'scripts/demo.sh'), ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}
