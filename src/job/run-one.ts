import { setMaxListeners } from 'node:events';
import { systemClock } from '../clock.js';
import { Executor, type ExecutorResult } from '../executor/executor.js';
import type { ExecutorStats } from '../executor/stats.js';
import { clientFor, governorFor } from './client.js';
import type { PreparedRun } from './prepare.js';

/** Runs executor `index` of a prepared run in this process. */
export async function runOneExecutor(
  run: PreparedRun,
  index: number,
  opts: {
    signal: AbortSignal;
    /** False: work on this executor's own partition only (default: also take others' abandoned or unstarted blocks). */
    takeOthers?: boolean;
    onProgress?: (stats: ExecutorStats) => void;
    log?: (event: string, fields: Record<string, unknown>) => void;
  },
): Promise<ExecutorResult> {
  // every request waiting for the rate (all of them while the session holds no rate slot) listens to the signal
  setMaxListeners(run.spec.limits.concurrency + 16, opts.signal);
  const client = clientFor(run.spec, run.plan.executors, run.redactor.fn);
  const executor = new Executor({
    spec: run.spec,
    plan: run.plan,
    executor: index,
    layout: run.layout,
    store: run.store,
    client,
    strategy: run.strategy,
    redact: run.redactor.fn,
    echoes: run.spec.secrets.length ? (text) => run.redactor.echoes(text) : undefined,
    clock: systemClock,
    signal: opts.signal,
    takeOthers: opts.takeOthers,
    governor: governorFor(run.spec, run.plan.executors),
    log: opts.log,
  });
  const timer = opts.onProgress && setInterval(() => opts.onProgress!(executor.stats), 500);
  try {
    return await executor.run();
  } finally {
    if (timer) clearInterval(timer);
    opts.onProgress?.(executor.stats);
    await client.close();
  }
}
