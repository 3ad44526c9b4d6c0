import { rename, rm, writeFile } from 'node:fs/promises';
import { ConfigError } from '../errors.js';
import { Redactor } from '../http/redact.js';
import { buildReportData } from '../report/aggregate.js';
import { readRun } from '../report/read-run.js';
import { renderReportHtml } from '../report/render-html.js';
import { openRun } from './open-run.js';

/**
 * `pagefleet report JOB [--run-id ID] --html FILE`: the run's story as one self-contained HTML page, read
 * from the landing zone alone (a folder or S3, whoever ran the executors). Writes nothing there. Exit 0
 * once the file is written, whatever the run's outcome (`status` is the gate; the page says the outcome).
 */
export async function report(job: string, opts: { runId?: string; html?: string; quick?: boolean; [k: string]: unknown }): Promise<number> {
  if (!opts.html) throw new ConfigError('--html', 'expected the path of the HTML file to write');
  const { spec, store, plan, layout } = await openRun(job, opts);
  const input = await readRun(store, layout, plan, spec.output.formats, {
    verifyRecords: !opts.quick,
    rateLimit: spec.limits.rate,
    sourceUrl: spec.source.url,
  });
  // The page is an edge where text leaves: redacted here, once (the spec's URL is shown, and may hold a `${VAR}`).
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
