import { rename, rm, writeFile } from 'node:fs/promises';
import { ConfigError } from '../errors.js';
import { Redactor } from '../http/redact.js';
import { safeRunId } from '../job/identity.js';
import { readPlan } from '../job/read-plan.js';
import { Layout } from '../landing/layout.js';
import { openStore } from '../landing/open-store.js';
import { buildReportData } from '../report/aggregate.js';
import { readRun } from '../report/read-run.js';
import { renderReportHtml } from '../report/render-html.js';
import { loadSpec } from '../spec/load.js';
import { overridesFrom } from './flags.js';
import { latestRun } from './status.js';

/**
 * `pagefleet report JOB [--run-id ID] --html FILE`: the run's story as one self-contained HTML page, read
 * from the landing zone alone (a folder or S3, whoever ran the executors). Writes nothing there. Exit 0
 * once the file is written, whatever the run's outcome (`status` is the gate; the page says the outcome).
 */
export async function report(job: string, opts: { runId?: string; html?: string; quick?: boolean; [k: string]: unknown }): Promise<number> {
  if (!opts.html) throw new ConfigError('--html', 'expected the path of the HTML file to write');
  const spec = await loadSpec(job, overridesFrom(opts));
  const store = await openStore(spec.output.root, spec.output.s3);
  const runId = opts.runId ? safeRunId(opts.runId) : await latestRun(store, spec.dataset);
  const plan = await readPlan(store, spec.dataset, runId);
  if (!plan) throw new ConfigError('--run-id', `no run ${runId} of dataset ${spec.dataset} in ${store.location}`);
  const layout = new Layout(plan.dataset, plan.run_id, plan.ingest_date);
  const input = await readRun(store, layout, plan, spec.output.formats, {
    verifyRecords: !opts.quick,
    rateLimit: spec.limits.rate,
    sourceUrl: spec.source.url,
  });
  // Ledger messages are redacted when written; the job's redactor runs over everything shown once more.
  const data = new Redactor(spec.secrets).redactValue(buildReportData(input, new Date()));
  const html = renderReportHtml(data);
  const tmp = `${opts.html}.tmp-${process.pid}`;
  try {
    await writeFile(tmp, html);
    await rename(tmp, opts.html);
  } catch (err) {
    await rm(tmp, { force: true });
    throw new ConfigError('--html', `a file that can be written, got ${opts.html} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  process.stderr.write(`pagefleet: report of run ${plan.run_id} (${data.complete ? 'COMPLETE' : 'INCOMPLETE'}) written to ${opts.html} (${Buffer.byteLength(html)} bytes)\n`);
  process.stdout.write(`${opts.html}\n`);
  return 0;
}
