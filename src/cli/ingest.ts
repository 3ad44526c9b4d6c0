import { setMaxListeners } from 'node:events';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../clock.js';
import { ConfigError } from '../errors.js';
import { EXIT_CODES } from '../failure.js';
import { governorOf } from '../job/client.js';
import { GovernorRegistry, processGovernors } from '../http/governor-registry.js';
import { ProcessPacer } from '../http/process-pacer.js';
import { resolveIdentity, newRunId, safeRunId, type ExecutorIdentity } from '../job/identity.js';
import { prepareRun, type PreparedRun } from '../job/prepare.js';
import { executorNodeFlags } from '../job/heap.js';
import { defaultProcesses, spreadExecutors, startLocalExecutors, waitForParentPlan } from '../job/run-local.js';
import { loadSpec } from '../spec/load.js';
import { openStore } from '../landing/open-store.js';
import { loadFileBuilders, type Format } from '../format/index.js';
import { runOneExecutor } from '../job/run-one.js';
import { oneLine } from '../http/one-line.js';
import { SharedRecordReads } from '../ledger/sessions.js';
import { ShareNudges } from '../executor/rate-share.js';
import { computeStatus, writeStatus } from '../ledger/status.js';
import { ExecutorMetrics } from '../metrics/executor-metrics.js';
import { mergeFamilies } from '../metrics/merge-families.js';
import type { MetricFamily } from '../metrics/types.js';
import { parseDuration } from '../spec/units.js';
import { overridesAsArgs, overridesFrom } from './flags.js';
import { startMetricsEndpoint } from './metrics-endpoint.js';
import { Logger, Progress, type LogFormat } from './output.js';
import { formatSummary, type RunSummary } from './summary.js';

export interface IngestOptions {
  runId?: string;
  executors?: string;
  executorIndex?: string;
  logFormat: LogFormat;
  json?: boolean;
  progressEvents?: boolean;
  /** Hidden: a child of a local run adds its metrics to its progress events (the parent serves them). */
  metricsEvents?: boolean;
  metricsPort?: string;
  metricsHost?: string;
  metricsLinger?: string;
  onlyOwnPartition?: boolean;
  /** A local run: how many child processes host its executors (default: run-local.ts defaultProcesses). */
  processes?: string;
  /** Hidden: a local run's child started before the plan is written waits for its parent's word (run-local.ts). */
  waitForPlan?: boolean;
  /** Hidden: the executors a local run's child hosts (comma-separated indexes). */
  hostExecutors?: string;
  [override: string]: unknown;
}

/** `pagefleet ingest JOB`: one executor here, or all N as child processes. Returns the exit code. */
export async function ingest(job: string, opts: IngestOptions): Promise<number> {
  const identity = resolveIdentity(opts);
  if (identity.index !== undefined && !opts.runId) {
    throw new ConfigError('--run-id', 'required with an executor index (the executors of a run must share it)');
  }
  if (opts.hostExecutors !== undefined && (identity.index !== undefined || !opts.runId)) {
    throw new ConfigError('--host-executors', 'expected with --run-id and --executors, without --executor-index (a local run starts its children so)');
  }
  // the executors this process runs itself, or (none) how many children a local run starts
  const hosted = hostedOf(opts.hostExecutors, identity);
  const processes = hosted ? 1 : processesOf(opts.processes, identity.count);
  const runId = safeRunId(opts.runId ?? newRunId(new Date()));
  const overrides = overridesFrom(opts);
  const lingerMs = metricsLingerOf(opts.metricsLinger);
  const started = Date.now();
  // bound before the run is prepared: a port in use is bad input, and nothing is written
  let families: () => MetricFamily[] = () => [];
  const endpoint = await startMetricsEndpoint(opts.metricsPort, opts.metricsHost, () => families());
  let progress: Progress | undefined;
  const abort = new AbortController();
  // a local run's children, started before the plan is written: they load while this process plans
  let local: ReturnType<typeof startChildren> | undefined;
  try {
    if (opts.waitForPlan && !(await warmUpAndWaitForPlan(job, overrides))) return EXIT_CODES.interrupted;
    if (!hosted) {
      const formats = (await loadSpec(job, overrides)).output.formats;
      local = startChildren({ job, runId, opts, overrides, count: identity.count, processes, formats, signal: abort.signal, metrics: Boolean(endpoint) });
    }
    const run = await prepareRun(job, overrides, { runId, executors: identity.count, executorIndex: identity.index }).catch(async (err: unknown) => {
      local?.children.cancel(); // they exit at once, having written nothing
      await local?.children.exits;
      throw err;
    });
    local?.children.go();
    const tty = !opts.progressEvents && opts.logFormat === 'text' && process.stderr.isTTY === true;
    const bar = new Progress(tty);
    progress = bar;
    const log = new Logger(opts.logFormat, run.redactor, (line) => bar.log(line));
    const onSignal = () => abort.abort(new Error('interrupted'));
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    log.event(run.created ? 'run_planned' : 'run_resumed', {
      run_id: runId,
      dataset: run.spec.dataset,
      executors: identity.count,
      pages: run.plan.pages,
      slices: run.plan.slices?.values.length,
      landing: run.store.location,
    });
    if (endpoint) log.event('metrics_serving', { url: endpoint.url });

    let code: number;
    if (hosted) {
      const metricsOn = Boolean(endpoint || opts.metricsEvents);
      // their governors' pumps share one event loop: one bucket more spaces what they grant together
      const pacer = hosted.length > 1 ? new ProcessPacer() : undefined;
      const sharedRecords = hosted.length > 1 ? new SharedRecordReads(systemClock) : undefined;
      const shareNudges = hosted.length > 1 ? new ShareNudges() : undefined;
      const runs = hosted.map((index) => {
        // one executor alone draws on the process's governors (shared with its discovery); executors
        // hosted together each get their own, as if they were processes: they share only the landing zone
        const governors = hosted.length === 1 ? processGovernors : new GovernorRegistry();
        const governor = governorOf(run.spec, run.plan.executors, governors);
        return { index, governors, metrics: metricsOn ? new ExecutorMetrics(index, () => governor) : undefined, lastEvent: '' };
      });
      families = () => mergeFamilies(runs.map((r) => r.metrics?.families() ?? []));
      setMaxListeners(hosted.length + 16, abort.signal); // each hosted executor's own signal listens to it
      const results = await Promise.allSettled(
        runs.map((r) =>
          runOneExecutor(run, r.index, {
            signal: hosted.length === 1 ? abort.signal : linkedSignal(abort.signal),
            governors: r.governors,
            pacer,
            sharedRecords,
            shareNudges,
            // a local run's child (--host-executors): its parent started every child at once
            startedTogether: opts.hostExecutors !== undefined,
            observer: r.metrics,
            onProgress: (stats) => {
              r.metrics?.track(stats);
              if (!opts.progressEvents) return bar.update(stats);
              // sent when something changed, at most every PROGRESS_INTERVAL_MS
              const fields = { stats, ...(opts.metricsEvents && r.metrics ? { metrics: r.metrics.families() } : {}) };
              const key = JSON.stringify(fields);
              if (key !== r.lastEvent) log.event('progress', fields);
              r.lastEvent = key;
            },
            takeOthers: !opts.onlyOwnPartition,
            log: (event, fields) => log.event(event, fields),
          }),
        ),
      );
      bar.stop();
      const codes: number[] = [];
      for (const r of results) {
        if (r.status === 'rejected') continue;
        const c = r.value.interrupted ? EXIT_CODES.interrupted : r.value.stats.pagesFailed > 0 ? EXIT_CODES.failedPages : EXIT_CODES.ok;
        codes.push(c);
        log.event('executor_finished', { exit_code: c, ...r.value.stats });
        if (opts.json) process.stdout.write(JSON.stringify(run.redactor.redactValue({ exit_code: c, ...r.value.stats })) + '\n');
      }
      // an executor that threw (the store gone, a bad spec value found late) decides the exit code, after the others ended
      const thrown = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (thrown) throw thrown.reason;
      code = codes.includes(EXIT_CODES.interrupted) ? EXIT_CODES.interrupted : codes.includes(EXIT_CODES.failedPages) ? EXIT_CODES.failedPages : EXIT_CODES.ok;
    } else {
      const { children, lastStats, childMetrics, listen } = local!;
      families = () => mergeFamilies([...childMetrics.keys()].sort((a, b) => a - b).map((i) => childMetrics.get(i)!));
      listen(bar, log);
      const codes = await children.exits;
      bar.stop();
      code = await finishLocalRun(run, codes, lastStats, started, abort.signal.aborted, opts);
    }
    if (endpoint && lingerMs > 0 && !abort.signal.aborted) {
      // the final values stay up for one more scrape; SIGINT/SIGTERM ends the wait (the exit code stays)
      log.event('metrics_linger', { url: endpoint.url, seconds: lingerMs / 1000 });
      await systemClock.sleep(lingerMs, abort.signal).catch(() => {});
    }
    return code;
  } finally {
    progress?.stop(); // before an error is printed: never into the bar's line
    await endpoint?.close();
  }
}

/**
 * Starts a local run's children (run-local.ts), before the run is planned: they wait for the plan
 * (`--wait-for-plan`). Their events reach the bar and the log once `listen` is called (the plan is known
 * then; before it a waiting child says nothing but that it waits).
 */
function startChildren(a: {
  job: string;
  runId: string;
  opts: IngestOptions;
  overrides: ReturnType<typeof overridesFrom>;
  count: number;
  processes: number;
  formats: readonly Format[];
  signal: AbortSignal;
  /** The parent serves the children's metrics. */
  metrics: boolean;
}) {
  const lastStats = new Map<number, Record<string, unknown>>();
  const childMetrics = new Map<number, MetricFamily[]>();
  let output: { bar: Progress; log: Logger } | undefined;
  const children = startLocalExecutors({
    cliPath: fileURLToPath(new URL('./main.js', import.meta.url)),
    hosts: spreadExecutors(a.count, a.processes),
    nodeFlags: executorNodeFlags(a.formats),
    args: (hostedHere) => [
      'ingest', a.job, '--run-id', a.runId, '--executors', String(a.count), '--host-executors', hostedHere.join(','), '--wait-for-plan',
      '--log-format', 'json', '--progress-events', ...(a.metrics ? ['--metrics-events'] : []),
      ...(a.opts.onlyOwnPartition ? ['--only-own-partition'] : []), ...overridesAsArgs(a.overrides),
    ],
    // the parent serves the children's metrics: a child must not bind the port itself
    env: { PAGEFLEET_METRICS_PORT: undefined, PAGEFLEET_METRICS_HOST: undefined, PAGEFLEET_METRICS_LINGER: undefined },
    onProgress: (stats, metrics) => {
      output?.bar.update(stats);
      if (metrics) childMetrics.set(stats.executor, metrics);
    },
    onEvent: (e) => {
      if (e.event === 'executor_finished') lastStats.set(Number(e.executor), e);
      if (e.event !== 'run_planned' && e.event !== 'run_resumed') output?.log.event(e.event, Object.fromEntries(Object.entries(e).filter(([k]) => k !== 'event' && k !== 'ts')));
    },
    signal: a.signal,
  });
  return { children, lastStats, childMetrics, listen: (bar: Progress, log: Logger) => void (output = { bar, log }) };
}

/**
 * A local run's child started before its parent planned (`--wait-for-plan`): loads what its run will load
 * (the spec; the store's and the formats' modules), then waits for its parent's word. False: there is no
 * plan (the parent could not prepare the run, or died), and the child exits having done nothing.
 */
async function warmUpAndWaitForPlan(job: string, overrides: ReturnType<typeof overridesFrom>): Promise<boolean> {
  const spec = await loadSpec(job, overrides);
  await Promise.all([openStore(spec.output.root, spec.output.s3), loadFileBuilders(spec.output.formats)]);
  return waitForParentPlan();
}

/** The executors this process runs itself: --executor-index's one, a local run child's (--host-executors), or none (a local run). */
function hostedOf(raw: string | undefined, identity: ExecutorIdentity): number[] | undefined {
  if (identity.index !== undefined) return [identity.index];
  if (raw === undefined) return undefined;
  const indexes = raw.split(',').map(Number);
  if (!indexes.length || indexes.some((i) => !Number.isInteger(i) || i < 0 || i >= identity.count) || new Set(indexes).size !== indexes.length) {
    throw new ConfigError('--host-executors', `expected distinct indexes in 0..${identity.count - 1}, comma-separated, got "${raw}"`);
  }
  return indexes;
}

/** --processes of a local run (default: defaultProcesses). */
function processesOf(raw: string | undefined, executors: number): number {
  if (raw === undefined) return defaultProcesses(executors);
  const n = /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1)) throw new ConfigError('--processes', `expected an integer >= 1, got "${raw}"`);
  return n;
}

/** A signal of its own for one of several executors in this process (each request listens to its executor's signal). */
function linkedSignal(parent: AbortSignal): AbortSignal {
  const own = new AbortController();
  if (parent.aborted) own.abort(parent.reason);
  else parent.addEventListener('abort', () => own.abort(parent.reason), { once: true });
  return own.signal;
}

/** --metrics-linger as ms (0 when unset). */
function metricsLingerOf(raw: string | undefined): number {
  if (raw === undefined) return 0;
  const ms = parseDuration(raw);
  if (ms === undefined) throw new ConfigError('--metrics-linger', `expected a duration such as 30s or 2m, got "${raw}"`);
  return ms;
}

async function finishLocalRun(
  run: PreparedRun,
  codes: number[],
  stats: Map<number, Record<string, unknown>>,
  started: number,
  interrupted: boolean,
  opts: IngestOptions,
): Promise<number> {
  const worst = [EXIT_CODES.unavailable, EXIT_CODES.badInput].find((c) => codes.includes(c));
  let status;
  try {
    status = run.redactor.redactValue(await computeStatus(run.store, run.layout, run.plan, run.spec.output.formats));
    await writeStatus(run.store, run.layout, status);
  } catch (err) {
    // the landing zone went away during the run: the executors' own exit codes already tell what happened
    process.stderr.write(`pagefleet: the run's status could not be read back (${oneLine(err, run.redactor.fn)}); run \`pagefleet status\` once the landing zone answers\n`);
    return interrupted ? EXIT_CODES.interrupted : (worst ?? EXIT_CODES.failedPages);
  }
  const code = interrupted || codes.includes(EXIT_CODES.interrupted)
    ? EXIT_CODES.interrupted
    : worst ?? (status.complete && codes.every((c) => c === 0) ? EXIT_CODES.ok : EXIT_CODES.failedPages);
  const sum = (k: string) => [...stats.values()].reduce((t, s) => t + (Number(s[k]) || 0), 0);
  const elapsed = (Date.now() - started) / 1000;
  const summary: RunSummary = {
    status,
    exit_code: code,
    elapsed_s: elapsed,
    pages_fetched: sum('pagesLanded'),
    pages_per_s: sum('pagesLanded') / Math.max(elapsed, 1e-3),
    retries: sum('retries'),
    warnings: sum('warnings'),
    secret_echoes: sum('secretEchoes'),
    landing: run.store.location,
    data_paths: run.spec.output.formats.map((f) => `${run.store.location}/${run.layout.dataDir(f)}`),
  };
  // redacted as a value, before it is formatted: a short secret must not break the JSON
  const safe = run.redactor.redactValue(summary);
  process.stdout.write(opts.json ? JSON.stringify(safe) + '\n' : formatSummary(safe));
  return code;
}
