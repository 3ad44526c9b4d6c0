import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import pLimit from 'p-limit';
import type { ExecutorStats } from '../executor/stats.js';
import type { MetricFamily } from '../metrics/types.js';
import { EXECUTOR_NODE_FLAGS } from './heap.js';

export interface ChildEvent {
  event: string;
  [k: string]: unknown;
}

/**
 * Runs executors 0..n-1 of a run as child processes of this one (the plan already exists), each with
 * its identity on the command line and in PAGEFLEET_EXECUTOR_INDEX / PAGEFLEET_EXECUTORS. Children
 * report JSON lines on stderr; progress lines are aggregated, the rest passed to `onEvent`.
 * Resolves with each child's exit code (a signal counts as 130 for SIGINT/SIGTERM, else 1).
 *
 * Children are started in index order, at most `startingAtOnce` of them starting at a time (default: one
 * per CPU): a child has started once it says anything (its first line comes after Node has loaded the CLI
 * and it has read the spec and plan), or exits. Starting is CPU-bound, so 64 children started together on
 * 2 cores all reach their first request ~10 s later; started a few at a time, the first ones fetch (and
 * take the whole rate, rate-share.ts) while the rest start, and take unstarted blocks of those not yet up.
 */
export async function runLocalExecutors(opts: {
  cliPath: string;
  args: (index: number) => string[];
  count: number;
  /** Variables set in (or, undefined, removed from) each child's environment. */
  env?: Record<string, string | undefined>;
  /** A child's progress event: its stats, and its metrics when it was asked for them (--metrics-events). */
  onProgress: (stats: ExecutorStats, metrics?: MetricFamily[]) => void;
  onEvent: (e: ChildEvent) => void;
  signal: AbortSignal;
  /** Children starting (not yet heard from) at once; default one per CPU. */
  startingAtOnce?: number;
}): Promise<number[]> {
  const procs: ReturnType<typeof spawn>[] = [];
  // a place is held from a child's spawn until it has started (said anything) or exited
  const starting = pLimit(opts.startingAtOnce ?? availableParallelism());
  const start = (index: number): Promise<number> =>
    new Promise<number>((exited, failed) => {
      starting(
        () =>
          new Promise<void>((started) => {
            if (opts.signal.aborted) {
              started();
              exited(130); // interrupted before it started: it fetched nothing
              return;
            }
            const child = spawn(process.execPath, [...EXECUTOR_NODE_FLAGS, opts.cliPath, ...opts.args(index)], {
              stdio: ['ignore', 'ignore', 'pipe'],
              env: definedOnly({ ...process.env, ...opts.env, PAGEFLEET_EXECUTOR_INDEX: String(index), PAGEFLEET_EXECUTORS: String(opts.count) }),
            });
            procs.push(child);
            createInterface({ input: child.stderr! }).on('line', (line) => {
              started();
              let e: ChildEvent;
              try {
                e = JSON.parse(line);
              } catch {
                e = { event: 'output', executor: index, message: line };
              }
              if (e.event === 'progress') opts.onProgress(e.stats as ExecutorStats, e.metrics as MetricFamily[] | undefined);
              else opts.onEvent({ executor: index, ...e });
            });
            child.on('close', (code, sig) => {
              started();
              exited(code ?? (sig === 'SIGINT' || sig === 'SIGTERM' ? 130 : 1));
            });
          }),
      ).catch(failed);
    });
  const exits = Array.from({ length: opts.count }, (_, index) => start(index));
  // on abort each child gets SIGTERM: it lands what it has fetched, records it and exits 130
  const stop = () => procs.forEach((p) => p.exitCode === null && p.kill('SIGTERM'));
  opts.signal.addEventListener('abort', stop, { once: true });
  try {
    return await Promise.all(exits);
  } finally {
    opts.signal.removeEventListener('abort', stop);
  }
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((kv): kv is [string, string] => kv[1] !== undefined));
}
