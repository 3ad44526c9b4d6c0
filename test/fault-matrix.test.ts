import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pagefleet, readBack, run, sleep, startMockApi, tempDir, writeJob, type Proc } from './harness.js';
import { createBucket, s3Env, startMotoServer, type MotoServer } from './s3-server.js';
import { mulberry32 as prng } from './prng.js';

/**
 * docs/design.md, "Exactly once per page" and "Status is COMPLETE only when true", under a matrix of faults:
 * in every trial three executors of one run start as separate processes against a faulty API, one or two
 * random processes are killed with SIGKILL at random moments, and in some trials a second copy of one index
 * runs alongside the first (a scheduler's zombie and its retry). Every index that did not exit 0 is then
 * resumed. An independent reader (pyarrow, DuckDB) must find every id exactly once in each format, and
 * `status` must exit 0 only when that is so.
 *
 * Black box: only exit codes, `status --json` (`complete`, `totals`) and the read-back are used, never file
 * names or the ledger's layout. Seeded: the seed is printed; PF_FAULT_SEED=<seed> replays the same
 * schedule (process timing still varies from run to run).
 */
const SEED = process.env.PF_FAULT_SEED ? Number(process.env.PF_FAULT_SEED) : randomInt(2 ** 31);
const SIZE = 3_000;
const PER_PAGE = 20;
const PAGES = SIZE / PER_PAGE;
const EXECUTORS = 3;
const FORMATS = ['parquet', 'ndjson'] as const;
/** Trials per store, and how many of them start a second copy of an index (about 40 %). */
const STORES = [
  { store: 'folder', trials: 12, secondCopies: 5 },
  { store: 'moto', trials: 8, secondCopies: 3 },
] as const;
/** Resume rounds before a trial gives up on reaching a complete run. */
const MAX_RESUME_ROUNDS = 4;


const between = (random: () => number, lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));

/** What one trial will do, drawn up front from the seed. */
interface Schedule {
  /** Milliseconds after the start, and a number in [0, 1) that picks the victim among live processes. */
  kills: { atMs: number; pick: number }[];
  secondCopy?: { index: number; atMs: number };
}

function schedules(random: () => number, trials: number, secondCopies: number): Schedule[] {
  const withCopy = new Set<number>();
  while (withCopy.size < secondCopies) withCopy.add(between(random, 0, trials - 1));
  return Array.from({ length: trials }, (_, t) => ({
    kills: Array.from({ length: between(random, 1, 2) }, () => ({ atMs: between(random, 50, 1500), pick: random() })),
    secondCopy: withCopy.has(t) ? { index: between(random, 0, EXECUTORS - 1), atMs: between(random, 0, 500) } : undefined,
  }));
}

/** What a trial found, for the summary line. */
interface Outcome {
  kills: number;
  secondCopies: number;
  duplicates: number;
  missing: number;
}

const outcomes: Outcome[] = [];
let api: Awaited<ReturnType<typeof startMockApi>>;
let moto: MotoServer;

before(async () => {
  process.stdout.write(`fault matrix seed ${SEED} (replay: PF_FAULT_SEED=${SEED})\n`);
  moto = await startMotoServer();
  await createBucket(moto.endpoint, 'lake');
  api = await startMockApi([
    '--size', String(SIZE), '--per-page', String(PER_PAGE), '--seed', '13',
    '--latency', '2', '--error-rate', '0.03', '--reset-rate', '0.01',
  ]);
});

after(async () => {
  await api?.stop();
  await moto?.stop();
  const sum = (k: keyof Outcome) => outcomes.reduce((n, o) => n + o[k], 0);
  process.stdout.write(
    `fault matrix: ${outcomes.length} trials, ${sum('kills')} kills, ${sum('secondCopies')} second copies, ` +
      `${sum('duplicates')} duplicates, ${sum('missing')} missing (records over both formats; seed ${SEED})\n`,
  );
});

const isLive = (p: Proc) => p.child.exitCode === null && p.child.signalCode === null;

/** Starts the executors of one schedule, fires its kills, and waits until every process has ended. */
async function runScheduled(exec: (index: number) => Proc, schedule: Schedule) {
  const procs: { index: number; proc: Proc }[] = [];
  for (let i = 0; i < EXECUTORS; i++) procs.push({ index: i, proc: exec(i) });
  const copy = schedule.secondCopy;
  const copyStarted = copy && sleep(copy.atMs).then(() => procs.push({ index: copy.index, proc: exec(copy.index) }));
  let kills = 0;
  await Promise.all(
    schedule.kills.map(async ({ atMs, pick }) => {
      await sleep(atMs);
      const live = procs.filter((p) => isLive(p.proc));
      if (!live.length) return;
      const victim = live[Math.floor(pick * live.length)].proc;
      victim.child.kill('SIGKILL');
      if ((await victim.done).signal === 'SIGKILL') kills++;
    }),
  );
  await copyStarted;
  const results = await Promise.all(procs.map(async (p) => ({ index: p.index, ...(await p.proc.done) })));
  return { results, kills };
}

for (const { store, trials, secondCopies } of STORES) {
  describe(`fault matrix on ${store === 'folder' ? 'a folder' : 'moto_server (S3)'}`, () => {
    const plans = schedules(prng(SEED ^ (store === 'folder' ? 0 : 0x5eed)), trials, secondCopies);
    plans.forEach((schedule, t) => {
      const label = `${schedule.kills.length} kill(s)${schedule.secondCopy ? `, second copy of executor ${schedule.secondCopy.index}` : ''}`;
      test(`trial ${t + 1}/${trials}: ${label}`, { timeout: 90_000 }, async () => {
        const dir = await tempDir('pf-fault-');
        const root = store === 'folder' ? join(dir, 'landing') : `s3://lake/${dir.split('/').pop()}`;
        const env = store === 'folder' ? {} : s3Env(moto.endpoint);
        const job = await writeJob(
          dir,
          `dataset: movies
source: { url: "${api.url}/3/movie/popular", records: results }
pagination: { page: { param: page, start: 1, total_pages: total_pages } }
limits: { rate: 150, concurrency: 4, retries: 10, timeout: 5s }
output: { root: "${root}", formats: [${FORMATS.join(', ')}], file_target: 64KiB }
`,
        );
        const runId = `fault-${SEED}-${store}-${t}`;
        const exec = (i: number) =>
          pagefleet(['ingest', job, '--run-id', runId, '--executors', String(EXECUTORS), '--executor-index', String(i), '--log-format', 'json'], env);
        const status = async () => {
          const r = await run(['status', job, '--run-id', runId, '--json'], env);
          return { code: r.code, st: r.stdout.trim() ? JSON.parse(r.stdout) : undefined, stderr: r.stderr };
        };
        const readAll = () =>
          FORMATS.map((format) => {
            const { files, count, distinct, min, max } = readBack(root, 'movies', format, env);
            return { format, files, count, distinct, min, max };
          });
        const exact = (rb: ReturnType<typeof readAll>) => rb.every((r) => r.count === SIZE && r.distinct === SIZE);
        const outcome: Outcome = { kills: 0, secondCopies: schedule.secondCopy ? 1 : 0, duplicates: 0, missing: 0 };
        outcomes.push(outcome);

        const first = await runScheduled(exec, schedule);
        outcome.kills = first.kills;

        // The converse of "exact ⇒ exit 0", checked on the state the kills left: status may only say
        // complete if the data is exactly the catalogue. (A non-zero exit needs no read-back to be safe.)
        const mid = await status();
        if (mid.code === 2) assert.match(mid.stderr, /no run/, 'exit 2 only when the kills came before any executor planned the run');
        else assert.equal(mid.st?.complete, mid.code === 0, `status --json complete agrees with its exit code: ${mid.stderr}`);
        if (mid.code === 0) {
          const rb = readAll();
          assert.ok(exact(rb), `status exited 0 after the kills, but the read-back is ${JSON.stringify(rb)}`);
        }

        let unfinished = [...new Set(first.results.filter((r) => r.code !== 0).map((r) => r.index))];
        let rounds = 0;
        while (unfinished.length && rounds < MAX_RESUME_ROUNDS) {
          rounds++;
          const resumed = await Promise.all(unfinished.map(async (i) => ({ index: i, ...(await exec(i).done) })));
          for (const r of resumed) assert.ok(r.code === 0 || r.code === 1, `resumed executor ${r.index} exited ${r.code}: ${r.stderr.slice(-2000)}`);
          unfinished = resumed.filter((r) => r.code !== 0).map((r) => r.index);
        }

        const final = await status();
        const rb = readAll();
        for (const r of rb) {
          outcome.duplicates += r.count - r.distinct;
          outcome.missing += SIZE - r.distinct;
        }
        process.stdout.write(
          `trial ${store} ${t + 1}: ${outcome.kills} kills, ${outcome.secondCopies} second copies, ${rounds} resume rounds, ` +
            `status ${mid.code} → ${final.code}, ${rb.map((r) => `${r.format} ${r.count}/${r.distinct}`).join(', ')}\n`,
        );
        if (!exact(rb)) assert.notEqual(final.code, 0, `status exited 0, but the read-back is ${JSON.stringify(rb)}`);
        for (const r of rb) {
          assert.equal(r.count - r.distinct, 0, `${r.format}: no id twice (${r.count} records, ${r.distinct} distinct)`);
          assert.equal(r.distinct, SIZE, `${r.format}: every id of the catalogue`);
          assert.equal(r.min, 1);
          assert.equal(r.max, SIZE);
        }
        assert.deepEqual(unfinished, [], `every executor ended with exit 0 within ${MAX_RESUME_ROUNDS} resume rounds`);
        assert.equal(final.code, 0, `status exits 0 once every id is there exactly once: ${JSON.stringify(final.st?.totals)}`);
        assert.equal(final.st.complete, true);
        assert.deepEqual(final.st.totals, { planned: PAGES, landed: PAGES, failed: 0, missing: 0 });
      });
    });
  });
}
