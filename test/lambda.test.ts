import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ConfigError } from '../src/errors.js';
import { handler, type LambdaEvent, type LambdaResult } from '../src/lambda/handler.js';
import { readBack, run, startMockApi, tempDir, writeJob } from './harness.js';
import { createBucket, s3Env, startMotoServer, type MotoServer } from './s3-server.js';

/**
 * src/lambda/handler.ts invoked as Lambda would, in this process: a context whose time left counts down
 * from a small budget, so an invocation must stop early, land what it fetched and ask to be invoked again.
 * Invocations repeat (fresh budget each, as a Step Functions loop would) until both executors are complete;
 * then the real CLI's `status` and an independent reader check every record landed in S3 exactly once.
 */
const SIZE = 2_000;
const PER_PAGE = 20;
const PAGES = SIZE / PER_PAGE;
const BUDGET_MS = 7_000;
const MARGIN_MS = 4_000; // the stop (cut, commit, ledger flush to S3) took 3.4 s once on a machine at load 44
let api: Awaited<ReturnType<typeof startMockApi>>;
let moto: MotoServer;
const saved = { ...process.env };

before(async () => {
  moto = await startMotoServer();
  await createBucket(moto.endpoint, 'lake');
  Object.assign(process.env, s3Env(moto.endpoint), { PAGEFLEET_LAMBDA_MARGIN_MS: String(MARGIN_MS) });
  api = await startMockApi(['--size', String(SIZE), '--per-page', String(PER_PAGE), '--seed', '5', '--latency', '100']);
});
after(async () => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
  await api?.stop();
  await moto?.stop();
});

/** A Lambda context with `budget` ms left from now. */
function context(budget = BUDGET_MS) {
  const deadline = Date.now() + budget;
  return { getRemainingTimeInMillis: () => deadline - Date.now() };
}

const spec = (url: string) => ({
  dataset: 'movies',
  source: { url: `${url}/3/movie/popular`, records: 'results' },
  pagination: { page: { param: 'page', start: 1, total_pages: 'total_pages' } },
  limits: { rate: 200, concurrency: 2, retries: 3, timeout: '5s' },
  output: { root: './unused', formats: ['parquet', 'ndjson'], file_target: '64KiB' },
});

test('invocations stop before the time limit, land what they fetched, and resume to a complete run', { timeout: 120_000 }, async () => {
  const dir = await tempDir('pf-lambda-');
  const root = `s3://lake/${dir.split('/').pop()}`;
  const jobFile = await writeJob(dir, JSON.stringify(spec(api.url)), 'job.json');
  const runId = 'lambda-test';
  // executor 0 gets the spec as a bundled file path, executor 1 inline: both forms must plan the same run
  const events: LambdaEvent[] = [0, 1].map((i) => ({
    job: i === 0 ? jobFile : spec(api.url),
    run_id: runId,
    executor_index: i,
    executors: 2,
    overrides: { root },
  }));

  const invoke = async (event: LambdaEvent) => {
    const ctx = context();
    const started = Date.now();
    const result = await handler(event, ctx);
    const left = ctx.getRemainingTimeInMillis();
    assert.ok(left > 0, `returned ${-left} ms after the time limit`);
    return { result, ms: Date.now() - started };
  };

  // first invocation of each executor: stopped by the clock, with some (not all) of its pages landed
  const first = await Promise.all(events.map(invoke));
  for (const { result } of first) {
    assert.equal(result.resume, true, 'the time limit stopped it: invoke again');
    assert.equal(result.complete, false);
    assert.ok(result.stats.pagesLanded > 0, 'pages were landed before the stop');
    assert.ok(result.stats.pagesLanded < result.stats.pagesPlanned, 'not all of them');
    assert.equal(result.stats.pagesFailed, 0);
  }
  const partial = await run(['status', jobFile, '--root', root, '--run-id', runId, '--json'], s3Env(moto.endpoint));
  assert.equal(partial.code, 1, 'status: incomplete after the first invocations');
  const landedFirst = first.reduce((t, f) => t + f.result.stats.pagesLanded, 0);
  assert.equal(JSON.parse(partial.stdout).totals.landed, landedFirst, 'what the invocations reported landed is in S3');

  // invoke again with the same event, fresh budget, until complete (as a Step Functions loop would)
  const loop = async (event: LambdaEvent, firstResult: LambdaResult) => {
    const results = [firstResult];
    while (results.at(-1)!.resume) {
      assert.ok(results.length < 20, 'completes within 20 invocations');
      results.push((await invoke(event)).result);
    }
    return results;
  };
  const all = await Promise.all(events.map((e, i) => loop(e, first[i].result)));
  for (const results of all) {
    const last = results.at(-1)!;
    assert.equal(last.complete, true);
    assert.equal(last.resume, false);
    assert.ok(results.length >= 2, 'needed more than one invocation');
  }
  const landedTotal = all.flat().reduce((t, r) => t + r.stats.pagesLanded, 0);
  assert.equal(landedTotal, PAGES, 'no page was fetched and landed twice across invocations');
  process.stderr.write(
    `# lambda: invocations per executor ${all.map((r) => r.length).join(', ')}; first ones took ${first.map((f) => f.ms).join(', ')} ms of ${BUDGET_MS}\n`,
  );

  const final = await run(['status', jobFile, '--root', root, '--run-id', runId, '--json'], s3Env(moto.endpoint));
  assert.equal(final.code, 0, final.stdout + final.stderr);
  const st = JSON.parse(final.stdout);
  assert.equal(st.complete, true);
  assert.equal(st.totals.landed, PAGES);
  assert.equal(st.records, SIZE);
  assert.deepEqual(st.reconcile.orphan_files, []);
  for (const format of ['parquet', 'ndjson'] as const) {
    const data = readBack(root, 'movies', format, s3Env(moto.endpoint));
    assert.equal(data.count, SIZE, `${format}: every record`);
    assert.equal(data.distinct, SIZE, `${format}: no record twice`);
    assert.deepEqual(data.temp_files, []);
  }
});

test('a bad event is a one-line ConfigError naming the field', async () => {
  const good: LambdaEvent = { job: spec(api.url), run_id: 'r1', executor_index: 0, executors: 2, overrides: { root: 's3://lake/bad' } };
  const cases: [unknown, string][] = [
    [null, 'event'],
    [{ ...good, job: undefined }, 'job'],
    [{ ...good, job: 42 }, 'job'],
    [{ ...good, run_id: undefined }, 'run_id'],
    [{ ...good, run_id: '_hidden' }, 'run_id'],
    [{ ...good, executors: 'two' }, 'executors'],
    [{ ...good, executors: 0 }, 'executors'],
    [{ ...good, executor_index: 2 }, 'executor_index'],
    [{ ...good, executor_index: undefined }, 'executor_index'],
    [{ ...good, overrides: { rote: 5 } }, 'overrides.rote'],
    [{ ...good, overrides: { rate: { n: 5 } } }, 'overrides.rate'],
    [{ ...good, extra: true }, 'extra'],
    [{ ...good, job: '/nonexistent/job.yaml' }, 'job'],
    [{ ...good, job: { ...spec(api.url), pagination: { page: { param: 'page', start: 'one' } } } }, 'pagination.page.start'],
  ];
  for (const [event, field] of cases) {
    await assert.rejects(handler(event, context(60_000)), (err: unknown) => {
      assert.ok(err instanceof ConfigError, `${JSON.stringify(event)}: ${err}`);
      assert.equal(err.field, field);
      assert.ok(err.message.startsWith(`${field}: `) && !err.message.includes('\n'), err.message);
      return true;
    });
  }
});

test('a margin that leaves no time is refused before any work', async () => {
  const event: LambdaEvent = { job: spec(api.url), run_id: 'r2', executor_index: 0, executors: 1, overrides: { root: 's3://lake/margin' } };
  await assert.rejects(handler(event, context(1_000)), new RegExp(`PAGEFLEET_LAMBDA_MARGIN_MS: the stop margin \\(${MARGIN_MS} ms\\)`));
});
