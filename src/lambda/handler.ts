import { isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import type { ExecutorStats } from '../executor/stats.js';
import { prepareRun } from '../job/prepare.js';
import { runOneExecutor } from '../job/run-one.js';
import { parseEvent } from './event.js';

export type { LambdaEvent, LambdaOverrides } from './event.js';

/** The part of the Lambda context object the handler uses. */
export interface LambdaContext {
  getRemainingTimeInMillis(): number;
}

export interface LambdaResult {
  run_id: string;
  executor_index: number;
  /** Every page this executor owns has landed. */
  complete: boolean;
  /** The time limit stopped it: invoke again with the same event to go on. */
  resume: boolean;
  stats: ExecutorStats;
}

/** Lower bound of the default stop margin (ms): the final cut, commit and ledger flush need this much. */
export const MIN_MARGIN_MS = 10_000;
/** Default stop margin as a fraction of the time left at the start. */
export const MARGIN_FRACTION = 0.1;
/** Longest wait between two looks at the time left (ms). */
const WATCH_EVERY_MS = 1_000;

/**
 * One pagefleet executor per AWS Lambda invocation.
 *
 * Event (every field checked; a bad one throws a ConfigError naming it):
 *   {
 *     "job": "jobs/tmdb.yaml" | { dataset: ..., source: ..., pagination: ..., output: ... },
 *     "run_id": "tmdb-2026-05-01",        // shared by every executor of the run
 *     "executor_index": 0,                 // 0..executors-1
 *     "executors": 4,
 *     "overrides": { "root": "s3://lake/raw", "formats": ["parquet"], "rate": 40, "concurrency": 8,
 *                    "retries": 6, "timeout": "30s", "file_target": "64MiB", "end": 500 }   // optional
 *   }
 * `job` is a path to a spec file bundled with the function (relative paths resolve against
 * LAMBDA_TASK_ROOT, the function's code folder) or the spec itself as an object. `${VAR}` in the spec
 * comes from the function's environment, never from the event: events end up in logs and histories.
 *
 * Time limit: the executor is stopped cleanly (what was fetched lands and is recorded) once
 * `context.getRemainingTimeInMillis()` falls to the margin: PAGEFLEET_LAMBDA_MARGIN_MS, else
 * max(10 s, 10% of the time left when the invocation started). The result says whether to invoke
 * again with the same event (`resume`): a resumed executor fetches only the pages that have not landed.
 */
export async function handler(event: unknown, context: LambdaContext): Promise<LambdaResult> {
  const req = parseEvent(event);
  const margin = marginMs(context, process.env);
  const abort = new AbortController();
  const stopWatching = watchTime(context, margin, abort);
  try {
    const run = await prepareRun(specSource(req.job), req.overrides, { runId: req.runId, executors: req.executors }).catch((err) => {
      throw err instanceof ConfigError && err.field === 'JOB' ? err.renamed('job') : err;
    });
    const log = (ev: string, fields: Record<string, unknown>) =>
      process.stderr.write(JSON.stringify({ ts: new Date().toISOString(), event: ev, ...run.redactor.redactValue(fields) }) + '\n');
    log(run.created ? 'run_planned' : 'run_resumed', {
      run_id: req.runId, dataset: run.spec.dataset, executors: req.executors, executor: req.index, landing: run.store.location,
    });
    // static share: the rate slots' landing-zone traffic and hand-off cost the invocation its stop margin
    // against a slow S3 (test/lambda.test.ts on moto); to revisit with a cheaper tick
    const result = await runOneExecutor(run, req.index, { signal: abort.signal, log, rateSlots: false });
    const out: LambdaResult = {
      run_id: req.runId,
      executor_index: req.index,
      complete: !result.interrupted && result.stats.pagesFailed === 0,
      resume: result.interrupted,
      stats: result.stats,
    };
    log('executor_finished', { complete: out.complete, resume: out.resume, ...result.stats });
    return out;
  } finally {
    stopWatching();
  }
}

/** The stop margin: PAGEFLEET_LAMBDA_MARGIN_MS, else max(10 s, 10% of the time left now). */
export function marginMs(context: LambdaContext, env: NodeJS.ProcessEnv): number {
  const left = context.getRemainingTimeInMillis();
  const raw = env.PAGEFLEET_LAMBDA_MARGIN_MS;
  let margin = Math.max(MIN_MARGIN_MS, Math.round(left * MARGIN_FRACTION));
  if (raw !== undefined && raw.trim() !== '') {
    if (!/^\s*\d+\s*$/.test(raw)) throw new ConfigError('PAGEFLEET_LAMBDA_MARGIN_MS', `expected milliseconds >= 0, got "${raw}"`);
    margin = Number(raw);
  }
  if (margin >= left) {
    throw new ConfigError(
      'PAGEFLEET_LAMBDA_MARGIN_MS',
      `the stop margin (${margin} ms) leaves no time of the ${left} ms left: raise the function's timeout or lower the margin`,
    );
  }
  return margin;
}

/** Aborts once the time left falls to `margin`; returns the function that stops watching. */
function watchTime(context: LambdaContext, margin: number, abort: AbortController): () => void {
  let timer: NodeJS.Timeout | undefined;
  const look = () => {
    const until = context.getRemainingTimeInMillis() - margin;
    if (until <= 0) return abort.abort(new Error('the Lambda time limit is near'));
    timer = setTimeout(look, Math.min(until, WATCH_EVERY_MS));
  };
  look();
  return () => clearTimeout(timer);
}

/** The spec for prepareRun: a bundled file (relative to the function's code folder), or the spec object itself. */
function specSource(job: string | Record<string, unknown>): string | Record<string, unknown> {
  if (typeof job !== 'string') return job;
  return isAbsolute(job) ? job : resolve(process.env.LAMBDA_TASK_ROOT ?? process.cwd(), job);
}
