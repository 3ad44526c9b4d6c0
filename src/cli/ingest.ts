import { fileURLToPath } from 'node:url';
import { systemClock } from '../clock.js';
import { ConfigError } from '../errors.js';
import { EXIT_CODES } from '../failure.js';
import { governorOf } from '../job/client.js';
import { resolveIdentity, newRunId, safeRunId } from '../job/identity.js';
import { prepareRun, type PreparedRun } from '../job/prepare.js';
import { runLocalExecutors } from '../job/run-local.js';
import { runOneExecutor } from '../job/run-one.js';
import { oneLine } from '../http/one-line.js';
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
  [override: string]: unknown;
}

/** `pagefleet ingest JOB`: one executor here, or all N as child processes. Returns the exit code. */
export async function ingest(job: string, opts: IngestOptions): Promise<number> {
  const identity = resolveIdentity(opts);
  if (identity.index !== undefined && !opts.runId) {
    throw new ConfigError('--run-id', 'required with an executor index (the executors of a run must share it)');
  }
  const runId = safeRunId(opts.runId ?? newRunId(new Date()));
  const overrides = overridesFrom(opts);
  const lingerMs = metricsLingerOf(opts.metricsLinger);
  const started = Date.now();
  // bound before the run is prepared: a port in use is bad input, and nothing is written
  let families: () => MetricFamily[] = () => [];
  const endpoint = await startMetricsEndpoint(opts.metricsPort, opts.metricsHost, () => families());
  let progress: Progress | undefined;
  try {
    const run = await prepareRun(job, overrides, { runId, executors: identity.count, executorIndex: identity.index });
    const tty = !opts.progressEvents && opts.logFormat === 'text' && process.stderr.isTTY === true;
    const bar = new Progress(tty);
    progress = bar;
    const log = new Logger(opts.logFormat, run.redactor, (line) => bar.log(line));
    const abort = new AbortController();
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
    if (identity.index !== undefined) {
      const index = identity.index;
      const governor = governorOf(run.spec, run.plan.executors);
      const metrics = endpoint || opts.metricsEvents ? new ExecutorMetrics(index, () => governor) : undefined;
      families = () => metrics?.families() ?? [];
      let lastEvent = '';
      const result = await runOneExecutor(run, index, {
        signal: abort.signal,
        observer: metrics,
        onProgress: (stats) => {
          metrics?.track(stats);
          if (!opts.progressEvents) return bar.update(stats);
          // sent when something changed, at most every PROGRESS_INTERVAL_MS
          const fields = { stats, ...(opts.metricsEvents && metrics ? { metrics: metrics.families() } : {}) };
          const key = JSON.stringify(fields);
          if (key !== lastEvent) log.event('progress', fields);
          lastEvent = key;
        },
        takeOthers: !opts.onlyOwnPartition,
        log: (event, fields) => log.event(event, fields),
      });
      bar.stop();
      code = result.interrupted ? EXIT_CODES.interrupted : result.stats.pagesFailed > 0 ? EXIT_CODES.failedPages : EXIT_CODES.ok;
      log.event('executor_finished', { exit_code: code, ...result.stats });
      if (opts.json) process.stdout.write(JSON.stringify(run.redactor.redactValue({ exit_code: code, ...result.stats })) + '\n');
    } else {
      const lastStats = new Map<number, Record<string, unknown>>();
      const childMetrics = new Map<number, MetricFamily[]>();
      families = () => mergeFamilies([...childMetrics.keys()].sort((a, b) => a - b).map((i) => childMetrics.get(i)!));
      const codes = await runLocalExecutors({
        cliPath: fileURLToPath(new URL('./main.js', import.meta.url)),
        count: identity.count,
        args: (i) => [
          'ingest', job, '--run-id', runId, '--executors', String(identity.count), '--executor-index', String(i),
          '--log-format', 'json', '--progress-events', ...(endpoint ? ['--metrics-events'] : []),
          ...(opts.onlyOwnPartition ? ['--only-own-partition'] : []), ...overridesAsArgs(overrides),
        ],
        // the parent serves the children's metrics: a child must not bind the port itself
        env: { PAGEFLEET_METRICS_PORT: undefined, PAGEFLEET_METRICS_HOST: undefined, PAGEFLEET_METRICS_LINGER: undefined },
        onProgress: (stats, metrics) => {
          bar.update(stats);
          if (metrics) childMetrics.set(stats.executor, metrics);
        },
        onEvent: (e) => {
          if (e.event === 'executor_finished') lastStats.set(Number(e.executor), e);
          if (e.event !== 'run_planned' && e.event !== 'run_resumed') log.event(e.event, Object.fromEntries(Object.entries(e).filter(([k]) => k !== 'event' && k !== 'ts')));
        },
        signal: abort.signal,
      });
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
