import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import pLimit from 'p-limit';
import type { ExecutorStats } from '../executor/stats.js';
import type { MetricFamily } from '../metrics/types.js';

export interface ChildEvent {
  event: string;
  [k: string]: unknown;
}

/**
 * How a local run spreads its N executors over child processes: round-robin over `processes` children
 * (child p hosts p, p + processes, ...). One Node process per executor costs ~0.2-0.3 CPU-s to start and
 * its own JIT warm-up and bookkeeping, so 64 children on 2 cores spent most of a run starting (issue 14);
 * executors hosted in one child still run as separate sessions with their own HTTP pool, governor and rate
 * slots, and share nothing but the landing zone.
 */
export function spreadExecutors(executors: number, processes: number): number[][] {
  const n = Math.max(1, Math.min(executors, processes));
  return Array.from({ length: n }, (_, p) => Array.from({ length: Math.ceil((executors - p) / n) }, (_, k) => p + k * n));
}

/**
 * Default number of child processes of a local run: one per CPU, never more than executors. Up to that many
 * executors each get a process of their own; beyond it they share. More processes than CPUs only compete:
 * each costs its start-up and its own event loop, and on 2 CPUs the 64-executor case used 53% of the job's
 * rate with 8 processes (9.5 CPU-s per 1,000 pages), 76% with 4 and 72-81% with 2 (5.9-7.5 CPU-s), with no
 * 429 in any (bench/RESULTS.md, "Scale: one process per CPU"). The bursts that once made 32 executors per
 * process draw 2-3% 429s are smoothed by the process's pacing bucket (src/http/process-pacer.ts).
 */
export function defaultProcesses(executors: number, cpus: number = availableParallelism()): number {
  return Math.max(1, Math.min(executors, cpus));
}

/**
 * Runs the executors of a run as child processes of this one (the plan already exists): child p hosts the
 * executors `hosts[p]` (`--host-executors`). Children report JSON lines on stderr; progress lines are
 * aggregated, the rest passed to `onEvent`. Resolves with each child's exit code (a signal counts as 130 for
 * SIGINT/SIGTERM, else 1).
 *
 * Children are started in order, at most `startingAtOnce` of them starting at a time (default: one per
 * CPU): a child has started once it says anything (its first line comes after Node has loaded the CLI and
 * it has read the spec and plan), or exits. Starting is CPU-bound: started a few at a time, the first ones
 * fetch (and take the whole rate, rate-share.ts) while the rest start, and take unstarted blocks of those
 * not yet up.
 */
export async function runLocalExecutors(opts: {
  cliPath: string;
  /** The executors each child hosts. */
  hosts: number[][];
  /** Node's flags for each child (heap.ts executorNodeFlags). */
  nodeFlags: readonly string[];
  /** The arguments of the child hosting `executors`. */
  args: (executors: number[]) => string[];
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
  const start = (executors: number[]): Promise<number> =>
    new Promise<number>((exited, failed) => {
      starting(
        () =>
          new Promise<void>((started) => {
            if (opts.signal.aborted) {
              started();
              exited(130); // interrupted before it started: it fetched nothing
              return;
            }
            const child = spawn(process.execPath, [...opts.nodeFlags, opts.cliPath, ...opts.args(executors)], {
              stdio: ['ignore', 'ignore', 'pipe'],
              env: definedOnly({ ...process.env, ...opts.env, PAGEFLEET_EXECUTOR_INDEX: undefined }),
            });
            procs.push(child);
            createInterface({ input: child.stderr! }).on('line', (line) => {
              started();
              let e: ChildEvent;
              try {
                e = JSON.parse(line);
              } catch {
                e = { event: 'output', executor: executors[0], message: line };
              }
              if (e.event === 'progress') opts.onProgress(e.stats as ExecutorStats, e.metrics as MetricFamily[] | undefined);
              else opts.onEvent({ executor: executors[0], ...e }); // events of hosted executors name their own
            });
            child.on('close', (code, sig) => {
              started();
              exited(code ?? (sig === 'SIGINT' || sig === 'SIGTERM' ? 130 : 1));
            });
          }),
      ).catch(failed);
    });
  const exits = opts.hosts.map(start);
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
