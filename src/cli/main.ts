#!/usr/bin/env node
import { Command, CommanderError, Option } from 'commander';
import { exitCodeFor, PagefleetError } from '../errors.js';
import { EXIT_CODES } from '../failure.js';
import { activeRedactor } from '../http/active-redactor.js';
import { demo } from './demo.js';
import { withIdentity, withOutput, withSpecOverrides } from './flags.js';
import { ingest } from './ingest.js';
import { mockApiCommand } from './mock-api.js';
import { plan } from './plan.js';
import { report } from './report.js';
import { status } from './status.js';

const program = new Command('pagefleet')
  .description('Pull a paginated HTTP API into a landing zone: partitioned, rate-governed, resumable, exactly once per page.')
  .version('0.1.0')
  .exitOverride()
  .configureOutput({ outputError: () => {} });

const run = (fn: (...args: any[]) => Promise<number>) => async (...args: any[]) => {
  process.exitCode = await fn(...args);
};

withOutput(withSpecOverrides(withIdentity(program.command('ingest'))))
  .description('fetch the pages of JOB into the landing zone (resumes an existing --run-id)')
  .argument('<JOB>', 'job spec (YAML or JSON)')
  .addOption(new Option('--progress-events').hideHelp())
  .addOption(new Option('--metrics-events').hideHelp())
  .addOption(new Option('--metrics-port <port>', 'serve Prometheus metrics on http://HOST:PORT/metrics while the run lasts (0: any free port)').env('PAGEFLEET_METRICS_PORT'))
  .addOption(new Option('--metrics-host <address>', 'address the metrics endpoint binds to (a pod needs 0.0.0.0)').default('127.0.0.1').env('PAGEFLEET_METRICS_HOST'))
  .addOption(new Option('--metrics-linger <duration>', 'keep serving the final metrics this long after the run (e.g. 30s), for a last scrape').env('PAGEFLEET_METRICS_LINGER'))
  .addOption(new Option('--processes <n>', 'a local run (no --executor-index): child processes that host its executors (default: one per CPU, at most one per executor)').env('PAGEFLEET_PROCESSES'))
  .addOption(new Option('--host-executors <list>').hideHelp())
  .addOption(new Option('--wait-for-plan').hideHelp())
  .addOption(new Option('--only-own-partition', "do not take other executors' unstarted or abandoned blocks").env('PAGEFLEET_ONLY_OWN_PARTITION'))
  .action(run((job: string, opts) => ingest(job, opts)));

withSpecOverrides(program.command('plan'))
  .description('print the plan (page space, partitions) as JSON; fetches only the discovery page')
  .argument('<JOB>', 'job spec (YAML or JSON)')
  .addOption(new Option('--executors <n>', 'number of executors N').env('PAGEFLEET_EXECUTORS'))
  .addOption(new Option('--run-id <id>', 'run id to show in the plan').env('PAGEFLEET_RUN_ID'))
  .action(run((job: string, opts) => plan(job, opts)));

withSpecOverrides(program.command('status'))
  .description('landed / failed / missing pages per executor; exit 1 unless the run is complete')
  .argument('<JOB>', 'job spec (YAML or JSON)')
  .addOption(new Option('--run-id <id>', 'run id (default: the newest run)').env('PAGEFLEET_RUN_ID'))
  .addOption(new Option('--json', 'print JSON').env('PAGEFLEET_JSON'))
  .addOption(new Option('--repair', 'remove uncommitted files, void duplicate or damaged committed files (pages they held are fetched again on resume)'))
  .addOption(new Option('--quick', 'check file sizes only, do not read record counts from the files'))
  .action(run((job: string, opts) => status(job, opts)));

withSpecOverrides(program.command('report'))
  .description("the run's story as one self-contained HTML page (charts of throughput, latency, retries, rate, files; outcome as status computes it)")
  .argument('<JOB>', 'job spec (YAML or JSON)')
  .addOption(new Option('--run-id <id>', 'run id (default: the newest run)').env('PAGEFLEET_RUN_ID'))
  .addOption(new Option('--html <file>', 'write the report to this HTML file'))
  .addOption(new Option('--quick', 'check file sizes only, do not read record counts from the files'))
  .action(run((job: string, opts) => report(job, opts)));

mockApiCommand(program);

program
  .command('demo')
  .description('serve the demo API and ingest it into ./landing with 4 executors')
  .addOption(new Option('--root <path>', 'landing zone').default('./landing').env('PAGEFLEET_ROOT'))
  .addOption(new Option('--executors <n>', 'executors').default('4').env('PAGEFLEET_EXECUTORS'))
  .addOption(new Option('--size <n>', 'catalogue size').default('100000'))
  .addOption(new Option('--rate <n>', 'requests/s for the whole job (default 300; scripts/demo.sh paces it so Spark streams while it runs)'))
  .addOption(new Option('--max-file-age <duration>', 'cut a file when its first page is this old (default 60s), e.g. 5s'))
  .addOption(new Option('--job <file>', 'where to write the demo\'s job spec (default: a temp folder)'))
  .addOption(new Option('--no-hints', 'do not print how to read the result back (scripts/demo.sh reads it back itself)'))
  .action(run((opts) => demo(opts)));

/**
 * The last word on any error: one redacted line `pagefleet: <message>`, and the redacted stack only with
 * PAGEFLEET_DEBUG=1. The process-wide redactor knows every secret a spec in this process substituted.
 */
function exitWithError(err: unknown): never {
  const redactor = activeRedactor();
  const message = err instanceof Error ? `${err instanceof PagefleetError ? '' : `${err.name}: `}${err.message}` : String(err);
  process.stderr.write(`pagefleet: ${redactor.oneLine(message)}\n`);
  if (process.env.PAGEFLEET_DEBUG === '1' && err instanceof Error && err.stack) {
    process.stderr.write(`${redactor.redact(err.stack)}\n`);
  }
  process.exit(exitCodeFor(err));
}

process.on('uncaughtException', exitWithError);
process.on('unhandledRejection', exitWithError);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    if (err.exitCode === 0) process.exit(0);
    process.stderr.write(`pagefleet: ${activeRedactor().oneLine(err.message.replace(/^error: /, ''))}\n`);
    process.exit(EXIT_CODES.badInput);
  }
  exitWithError(err);
}
