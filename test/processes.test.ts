/**
 * A local run hosting several executors per child process (`ingest --executors N --processes P`,
 * src/job/run-local.ts): every executor is still a session of its own, the run lands every record once,
 * and a killed child takes its executors with it while the others finish their work.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pagefleet, readBack, run, startMockApi, tempDir, waitFor, writeJob } from './harness.js';

const SIZE = 2_400;

async function job(dir: string, url: string, rate = 400) {
  return writeJob(
    dir,
    `dataset: movies
source: { url: "${url}/3/movie/popular", records: results }
pagination: { page: { total_pages: total_pages } }
limits: { rate: ${rate}, concurrency: 2 }
output: { root: "${join(dir, 'landing')}", formats: [ndjson, parquet], file_target: 32KiB }
`,
  );
}

/**
 * The session records of a run as they are now. A record is rewritten through a dot-named temp file beside
 * it (its heartbeat), so those are skipped: read while half-written, one failed this helper's JSON.parse.
 */
function sessions(dir: string, runId: string): { executor: number; pid: number; ended_at?: string }[] {
  const at = join(dir, 'landing/_pagefleet/movies', `run_id=${runId}`, 'sessions');
  if (!existsSync(at)) return [];
  return readdirSync(at)
    .filter((f) => !f.startsWith('.') && f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(at, f), 'utf8')));
}

test('6 executors in 2 processes: 6 sessions of their own in 2 processes, every record once, status COMPLETE', { timeout: 120_000 }, async () => {
  const api = await startMockApi(['--size', String(SIZE), '--per-page', '20', '--seed', '3']);
  try {
    const dir = await tempDir();
    const spec = await job(dir, api.url);
    const r = await run(['ingest', spec, '--executors', '6', '--processes', '2', '--run-id', 'p2', '--log-format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const finished = r.stderr.split('\n').filter((l) => l.includes('"executor_finished"')).map((l) => JSON.parse(l).executor).sort();
    assert.deepEqual(finished, [0, 1, 2, 3, 4, 5]);
    const s = sessions(dir, 'p2');
    assert.deepEqual(s.map((x) => x.executor).sort(), [0, 1, 2, 3, 4, 5], 'one session per executor');
    assert.equal(new Set(s.map((x) => x.pid)).size, 2, 'in two processes');
    // round-robin: executors 0, 2, 4 share a process, and 1, 3, 5 the other
    const pidOf = (e: number) => s.find((x) => x.executor === e)!.pid;
    assert.ok(pidOf(0) === pidOf(2) && pidOf(2) === pidOf(4) && pidOf(1) === pidOf(3) && pidOf(0) !== pidOf(1));
    for (const f of ['ndjson', 'parquet'] as const) {
      const d = readBack(join(dir, 'landing'), 'movies', f);
      assert.equal(d.count, SIZE, `${f}: ${d.count}`);
      assert.equal(d.distinct, SIZE, `${f}: no record twice`);
    }
    const st = await run(['status', spec, '--run-id', 'p2', '--json']);
    assert.equal(st.code, 0, st.stdout);
    assert.equal(JSON.parse(st.stdout).complete, true);
  } finally {
    await api.stop();
  }
});

test('a child hosting 2 executors is killed: the other process takes their blocks, and the run still lands every record once', { timeout: 120_000 }, async () => {
  const api = await startMockApi(['--size', String(SIZE), '--per-page', '20', '--seed', '4', '--latency', '20']);
  try {
    const dir = await tempDir();
    const spec = await job(dir, api.url, 20); // 120 pages: about 6 s, so the kill lands mid-run
    const parent = pagefleet(['ingest', spec, '--executors', '4', '--processes', '2', '--run-id', 'kill', '--log-format', 'json']);
    // once both children have sessions, kill the one hosting executors 1 and 3
    const victim = await waitFor(() => {
      const s = sessions(dir, 'kill');
      return s.length === 4 ? s.find((x) => x.executor === 1)!.pid : undefined;
    }).catch(() => undefined);
    assert.ok(victim, 'four sessions appeared');
    process.kill(victim, 'SIGKILL');
    const r = await parent.done;
    // the killed child's exit shows in the code; the survivors took its blocks (same host, its PID gone)
    assert.equal(r.code, 1, r.stderr);
    for (const f of ['ndjson', 'parquet'] as const) {
      const d = readBack(join(dir, 'landing'), 'movies', f);
      assert.equal(d.count, SIZE, `${f}: ${d.count}`);
      assert.equal(d.distinct, SIZE, `${f}: no record twice`);
    }
    const st = await run(['status', spec, '--run-id', 'kill', '--json']);
    assert.equal(st.code, 0, st.stdout);
  } finally {
    await api.stop();
  }
});

test('--processes must be a positive integer, and --host-executors is refused without --run-id', async () => {
  const dir = await tempDir();
  const spec = await job(dir, 'http://127.0.0.1:9');
  const bad = await run(['ingest', spec, '--executors', '4', '--processes', '0']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^pagefleet: --processes: expected an integer >= 1, got "0"$/m);
  const hosted = await run(['ingest', spec, '--executors', '4', '--host-executors', '1,3']);
  assert.equal(hosted.code, 2);
  assert.match(hosted.stderr, /--host-executors/);
});

/** Child processes of `pid` (from /proc), with their command lines. */
function childrenOf(pid: number): { pid: number; cmdline: string }[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return ppid === pid ? [{ pid: Number(d), cmdline: readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').join(' ') }] : [];
      } catch {
        return []; // gone meanwhile
      }
    });
}

const alive = (pid: number) => existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');

test("a local run's children load while it discovers, and go on once the plan is written", { timeout: 120_000 }, async () => {
  const api = await startMockApi(['--size', '400', '--per-page', '20', '--seed', '5', '--latency', '1500']);
  try {
    const dir = await tempDir();
    const spec = await job(dir, api.url);
    const parent = pagefleet(['ingest', spec, '--executors', '2', '--run-id', 'early', '--log-format', 'json']);
    const plan = join(dir, 'landing/_pagefleet/movies/run_id=early/plan.json');
    // the discovery takes 1.5 s: both children are up, waiting, before the plan exists
    const waiting = await waitFor(() => {
      const kids = childrenOf(parent.child.pid!).filter((c) => c.cmdline.includes('--wait-for-plan'));
      return kids.length === 2 ? kids : undefined;
    });
    assert.equal(existsSync(plan), false, 'the children started before the plan was written');
    const r = await parent.done;
    assert.equal(r.code, 0, r.stderr);
    assert.ok(waiting!.every((c) => !alive(c.pid)));
    assert.equal(readBack(join(dir, 'landing'), 'movies', 'ndjson').distinct, 400);
  } finally {
    await api.stop();
  }
});

test('a local run whose discovery fails: its waiting children exit with it, and nothing is written', { timeout: 120_000 }, async () => {
  const api = await startMockApi(['--size', '40', '--per-page', '20', '--seed', '6']);
  const url = api.url;
  await api.stop(); // nothing listens there now: discovery retries, then fails
  const dir = await tempDir();
  const spec = await job(dir, url);
  const parent = pagefleet(['ingest', spec, '--executors', '4', '--processes', '2', '--run-id', 'nope', '--log-format', 'json']);
  const seen = await waitFor(() => {
    const kids = childrenOf(parent.child.pid!);
    return kids.length === 2 ? kids : undefined;
  });
  const r = await parent.done;
  assert.equal(r.code, 3, r.stderr); // the API cannot be used
  assert.match(r.stderr, /source\.url: the API cannot be used/);
  assert.ok(seen!.every((c) => !alive(c.pid)), 'no child outlives its parent');
  assert.equal(existsSync(join(dir, 'landing/_pagefleet/movies/run_id=nope')), false, 'no plan, no session, nothing of the run');
});
