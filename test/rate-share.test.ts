import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startPageServer } from '../bench/page-server-process.js';
import { maxInWindow } from '../bench/rate-analysis.js';
import { PAGES_PATH } from '../bench/page-server-paths.js';
import { blocksOf, pagesOfBlock } from '../src/plan/partition.js';
import type { Plan } from '../src/plan/types.js';
import { pagefleet, readBack, tempDir, writeJob } from './harness.js';

/**
 * The rate follows the live executors: three executors of one run as separate processes (as pods would
 * be), each on its own partition, against an API whose token bucket allows R requests/s (429 beyond).
 * The job rate is just under R. Executor 0 starts alone, executor 1 a little later, executor 2 only once executor 0 has exited. From the
 * API's own request log: no 1 s window holds more than R + the bucket, 429s stay under 0.5%, and
 * executor 2 fetched faster than a third of the job rate (a static split would hold it at R/3: the share of the finished
 * executor moved to the live ones). Every record lands exactly once.
 */
const R = 60;
/**
 * The API's bucket: R/10. Each executor's governor grants at most one request beyond its pace, but on a
 * loaded machine a process stalled by the scheduler sends a granted request late, next to the one granted
 * when it wakes: two at once per process, and the three processes may stall together.
 */
const BUCKET = 6;
/**
 * The job's rate, a little under the API's limit as a user would set it: a client that paces at exactly
 * the limit meets the server's bucket empty whenever network or event-loop jitter bunches two requests.
 */
const JOB_RATE = 57;
const PAGES = 480;
const PER_PAGE = 20;

test('executors share the job rate through the rate slots: never above the limit, a late executor gets the share of a finished one', { timeout: 120_000 }, async () => {
  const server = await startPageServer(['--pages', String(PAGES), '--per-page', String(PER_PAGE), '--template', '200', '--rate-limit', String(R), '--burst', String(BUCKET), '--log']);
  try {
    const dir = await tempDir();
    const root = join(dir, 'landing');
    const job = await writeJob(
      dir,
      `dataset: rated
source: { url: "${server.url}${PAGES_PATH}", records: results }
pagination: { page: { total_pages: total_pages } }
limits: { rate: ${JOB_RATE}, concurrency: 4 }
output: { root: "${root}", formats: [ndjson] }
`,
    );
    const executor = (i: number) =>
      pagefleet(['ingest', job, '--run-id', 'shared', '--executors', '3', '--executor-index', String(i), '--only-own-partition', '--log-format', 'json']);
    const first = executor(0);
    await new Promise((r) => setTimeout(r, 2_000));
    const second = executor(1);
    const a = await first.done;
    assert.equal(a.code, 0, a.stderr);
    const third = executor(2);
    const [b, c] = await Promise.all([second.done, third.done]);
    assert.equal(b.code, 0, b.stderr);
    assert.equal(c.code, 0, c.stderr);

    const log = await server.log();
    const times = log.map(([at]) => at).sort((x, y) => x - y);
    const throttled = log.filter(([, , status]) => status === 429).length;
    assert.ok(maxInWindow(times, 1000) <= R + BUCKET, `at most ${maxInWindow(times, 1000)} requests in a 1 s window (limit ${R} + bucket ${BUCKET})`);
    assert.ok(throttled <= 0.005 * log.length, `${throttled} × 429 of ${log.length} requests`);

    // executor 2's pages, from the plan: how fast the API saw them come
    const plan = JSON.parse(readFileSync(join(root, '_pagefleet/rated/run_id=shared/plan.json'), 'utf8')) as Plan;
    const own = new Set(blocksOf(plan, 2).flatMap((bl) => pagesOfBlock(plan, bl)));
    const late = log.filter(([, page, status]) => status === 200 && own.has(page)).map(([at]) => at).sort((x, y) => x - y);
    assert.equal(late.length, own.size, 'every page of executor 2 was fetched once');
    const rate = (late.length - 1) / ((late.at(-1)! - late[0]) / 1000);
    assert.ok(rate > JOB_RATE / 3, `executor 2 fetched at ${rate.toFixed(1)} pages/s, more than a static third (${JOB_RATE / 3})`);
    const stats = JSON.parse(c.stderr.trim().split('\n').filter((l) => l.includes('executor_finished')).pop()!);
    assert.ok(stats.rateShareMean > JOB_RATE / 3, `executor 2's mean share ${stats.rateShareMean} req/s`);

    const back = readBack(root, 'rated', 'ndjson');
    assert.equal(back.count, PAGES * PER_PAGE);
    assert.equal(back.distinct, PAGES * PER_PAGE, 'no record twice');
  } finally {
    await server.stop();
  }
});
