import { setMaxListeners } from 'node:events';
import { systemClock } from '../clock.js';
import { Executor, type ExecutorResult } from '../executor/executor.js';
import type { ExecutorStats } from '../executor/stats.js';
import { processGovernors, type GovernorRegistry } from '../http/governor-registry.js';
import type { ProcessPacer } from '../http/process-pacer.js';
import type { SharedRecordReads } from '../ledger/sessions.js';
import type { ShareNudges } from '../executor/rate-share.js';
import type { HttpObserver } from '../http/types.js';
import { clientFor, governorOf } from './client.js';
import { boundHeapGrowth } from './heap.js';
import type { PreparedRun } from './prepare.js';

/** How often a running executor reports its stats (ms): often enough for a live bar, not a flood. */
export const PROGRESS_INTERVAL_MS = 250;

/** Runs executor `index` of a prepared run in this process. */
export async function runOneExecutor(
  run: PreparedRun,
  index: number,
  opts: {
    signal: AbortSignal;
    /** False: pace at the static `rate / executors` instead of taking part in the rate slots (rate-share.ts). */
    rateSlots?: boolean;
    /** False: work on this executor's own partition only (default: also take others' abandoned or unstarted blocks). */
    takeOthers?: boolean;
    /** Called every PROGRESS_INTERVAL_MS with the executor's live stats, and once at the end. */
    onProgress?: (stats: ExecutorStats) => void;
    /** Where the executor's rate governor comes from (default: this process's, shared with discovery). */
    governors?: GovernorRegistry;
    /** Watches every HTTP attempt of the executor (metrics). */
    observer?: HttpObserver;
    /** Spaces the requests of the executors hosted in this process (process-pacer.ts). */
    pacer?: ProcessPacer;
    /** Session records read by the executors hosted in this process, shared for a moment (sessions.ts). */
    sharedRecords?: SharedRecordReads;
    /** The run's other executors start at the same moment (a local run's children; rate-share.ts plannedSlots). */
    startedTogether?: boolean;
    /** The rate shares of the executors hosted in this process (rate-share.ts ShareNudges). */
    shareNudges?: ShareNudges;
    log?: (event: string, fields: Record<string, unknown>) => void;
  },
): Promise<ExecutorResult> {
  boundHeapGrowth(run.spec.output.formats);
  // every request waiting for the rate (all of them while the session holds no rate slot) listens to the signal
  setMaxListeners(run.spec.limits.concurrency + 16, opts.signal);
  const governors = opts.governors ?? processGovernors;
  const client = clientFor(run.spec, run.plan.executors, run.redactor.fn, governors, opts.observer, opts.pacer);
  const executor = new Executor({
    spec: run.spec,
    plan: run.plan,
    index,
    layout: run.layout,
    store: run.store,
    client,
    strategy: run.strategy,
    redact: run.redactor.fn,
    echoes: run.spec.secrets.length ? (text) => run.redactor.echoes(text) : undefined,
    clock: systemClock,
    signal: opts.signal,
    takeOthers: opts.takeOthers,
    governor: opts.rateSlots === false ? undefined : governorOf(run.spec, run.plan.executors, governors),
    sharedRecords: opts.sharedRecords,
    startedTogether: opts.startedTogether,
    shareNudges: opts.shareNudges,
    log: opts.log,
  });
  const timer = opts.onProgress && setInterval(() => opts.onProgress!(executor.stats), PROGRESS_INTERVAL_MS);
  try {
    return await executor.run();
  } finally {
    if (timer) clearInterval(timer);
    opts.onProgress?.(executor.stats);
    await client.close();
  }
}
