import { spawn, type ChildProcess } from 'node:child_process';
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

/** The children of a local run, started before its plan is known (`startLocalExecutors`). */
export interface LocalChildren {
  /** The plan is written: every child goes on (those not spawned yet go on as they start). */
  go(): void;
  /** There is no plan (the run could not be prepared): every child exits without doing anything. */
  cancel(): void;
  /** Each child's exit code, once all have exited (a signal counts as 130 for SIGINT/SIGTERM, else 1). */
  readonly exits: Promise<number[]>;
}

/** The line a child started with `--wait-for-plan` writes on stderr once it has loaded (not passed on). */
export const CHILD_WAITING_EVENT = 'child_waiting';
/** The line the parent writes on a waiting child's stdin once the plan is written (then closes it). */
export const PLAN_READY_LINE = 'plan';

/**
 * Starts the executors of a run as child processes of this one: child p hosts the executors `hosts[p]`
 * (`--host-executors`). They start while the parent discovers and plans (`args` must include
 * `--wait-for-plan`): a child loads Node, the CLI and the spec (~0.3 CPU-s, most of a child's start), says
 * so, and waits for `go` on its stdin, so the API's first request (discovery) and the first page requests
 * are not a child's start-up apart (issue 14: ~0.8 s of a 13 s run). A child whose stdin closes without
 * `go` (`cancel`, or the parent died) exits at once, having written nothing.
 *
 * Children report JSON lines on stderr; progress lines go to `onProgress`, the rest to `onEvent`. Children
 * are started in order, at most `startingAtOnce` of them starting at a time (default: one per CPU): a child
 * has started once it says anything, or exits. Starting is CPU-bound: started a few at a time, the first
 * ones fetch (and take the whole rate, rate-share.ts) while the rest start, and take unstarted blocks of
 * those not yet up.
 */
export function startLocalExecutors(opts: {
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
}): LocalChildren {
  const procs: ChildProcess[] = [];
  let word: 'go' | 'cancel' | undefined;
  const tell = (child: ChildProcess) => {
    if (word === undefined || !child.stdin || child.stdin.writableEnded) return;
    child.stdin.end(word === 'go' ? `${PLAN_READY_LINE}\n` : '');
  };
  // a place is held from a child's spawn until it has started (said anything) or exited
  const starting = pLimit(opts.startingAtOnce ?? availableParallelism());
  const start = (executors: number[]): Promise<number> =>
    new Promise<number>((exited, failed) => {
      starting(
        () =>
          new Promise<void>((started) => {
            if (opts.signal.aborted || word === 'cancel') {
              started();
              exited(130); // interrupted or cancelled before it started: it fetched nothing
              return;
            }
            const child = spawn(process.execPath, [...opts.nodeFlags, opts.cliPath, ...opts.args(executors)], {
              stdio: ['pipe', 'ignore', 'pipe'],
              env: definedOnly({ ...process.env, ...opts.env, PAGEFLEET_EXECUTOR_INDEX: undefined }),
            });
            procs.push(child);
            child.stdin!.on('error', () => {}); // a child that already exited: nothing to tell it
            tell(child);
            createInterface({ input: child.stderr! }).on('line', (line) => {
              started();
              let e: ChildEvent;
              try {
                e = JSON.parse(line);
              } catch {
                e = { event: 'output', executor: executors[0], message: line };
              }
              if (e.event === CHILD_WAITING_EVENT) return;
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
  const say = (w: 'go' | 'cancel') => {
    word ??= w;
    procs.forEach(tell);
  };
  return {
    go: () => say('go'),
    cancel: () => say('cancel'),
    exits: Promise.all(exits).finally(() => opts.signal.removeEventListener('abort', stop)),
  };
}

/** A child started with `--wait-for-plan`: says it is up, then whether its parent's plan is written (stdin). */
export async function waitForParentPlan(): Promise<boolean> {
  process.stderr.write(`${JSON.stringify({ event: CHILD_WAITING_EVENT })}\n`);
  for await (const line of createInterface({ input: process.stdin })) return line === PLAN_READY_LINE;
  return false;
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((kv): kv is [string, string] => kv[1] !== undefined));
}
