import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readBack, REPO, startMockApi, tempDir, writeJob } from './harness.js';

/** The bundled CLI (scripts/bundle.mjs, run by `npm run build`): what `pagefleet` and the Docker image start. */
const BUNDLE = join(REPO, 'dist/bundle/main.js');
const SIZE = 1_200;

/** Runs the bundled CLI as a real process. */
function bundled(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BUNDLE, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

test('the bundled CLI ingests with 3 local executors into Parquet and NDJSON (its lazy chunks load), and its status says COMPLETE', { timeout: 120_000 }, async () => {
  assert.ok(existsSync(BUNDLE), `${BUNDLE} is missing: npm run build makes it`);
  const api = await startMockApi(['--size', String(SIZE), '--per-page', '50', '--seed', '5']);
  try {
    const dir = await tempDir();
    const root = join(dir, 'landing');
    const job = await writeJob(
      dir,
      `dataset: movies
source: { url: "${api.url}/3/movie/popular", records: results }
pagination: { page: { param: page, start: 1, total_pages: total_pages } }
limits: { rate: 300, concurrency: 4 }
output: { root: "${root}", formats: [parquet, ndjson], file_target: 64KiB }
`,
    );
    const r = await bundled(['ingest', job, '--run-id', 'bundled', '--executors', '3', '--json', '--log-format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const finished = r.stderr.split('\n').filter((l) => l.includes('"executor_finished"')).map((l) => JSON.parse(l));
    assert.equal(finished.length, 3, 'three executors finished');
    for (const f of ['parquet', 'ndjson'] as const) {
      const d = readBack(root, 'movies', f);
      assert.equal(d.count, SIZE, `${f}: ${d.count} records for ${SIZE} ids`);
      assert.equal(d.distinct, SIZE, `${f}: no id twice`);
    }
    // status reads the Parquet footers (hyparquet, imported lazily)
    const st = await bundled(['status', job, '--run-id', 'bundled', '--json']);
    assert.equal(st.code, 0, st.stderr);
    assert.equal(JSON.parse(st.stdout).complete, true);
  } finally {
    await api.stop();
  }
});

test("`pagefleet` (the bundle run as a program) starts Node with the bounded executor flags, and a local run's children with those of its formats (src/job/heap.ts)", { timeout: 90_000 }, async () => {
  const { DEFAULT_EXECUTOR_NODE_FLAGS, executorNodeFlags } = await import('../src/job/heap.js');
  const cmdline = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  const childrenOf = (pid: number) => readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  const api = await startMockApi(['--size', '400', '--per-page', '20', '--latency', '300']);
  try {
    for (const formats of [['ndjson', 'parquet'], ['ndjson']] as const) {
      const dir = await tempDir();
      const job = await writeJob(
        dir,
        `dataset: movies
source: { url: "${api.url}/3/movie/popular", records: results }
pagination: { page: { total_pages: total_pages } }
limits: { rate: 20, concurrency: 1 }
output: { root: "${join(dir, 'landing')}", formats: [${formats.join(', ')}] }
`,
      );
      // executed directly: the kernel reads the #! line
      const parent = spawn(BUNDLE, ['ingest', job, '--executors', '2', '--log-format', 'json'], { stdio: ['ignore', 'ignore', 'pipe'] });
      try {
        let kids: number[] = [];
        for (let i = 0; i < 100 && kids.length < 2; i++) {
          await new Promise((r) => setTimeout(r, 100));
          kids = childrenOf(parent.pid!);
        }
        assert.equal(kids.length, 2, 'two executor processes');
        const nodeFlags = (argv: string[]) => argv.slice(1, argv.findIndex((a) => a.endsWith('main.js')));
        assert.deepEqual(nodeFlags(cmdline(parent.pid!)), DEFAULT_EXECUTOR_NODE_FLAGS, `${formats}: the parent`);
        for (const pid of kids) assert.deepEqual(nodeFlags(cmdline(pid)), executorNodeFlags(formats), `${formats}: child ${cmdline(pid).join(' ')}`);
      } finally {
        parent.kill('SIGTERM');
        await new Promise((r) => parent.once('close', r));
      }
    }
  } finally {
    await api.stop();
  }
});
