import { Redactor } from '../http/redact.js';
import { repairRun } from '../ledger/repair.js';
import { computeStatus, writeStatus } from '../ledger/status.js';
import { openRun } from './open-run.js';
import { formatSummary } from './summary.js';

/** `pagefleet status JOB [--run-id ID]`: landed / failed / missing per executor; exit 1 unless complete. */
export async function status(
  job: string,
  opts: { runId?: string; json?: boolean; repair?: boolean; quick?: boolean; [k: string]: unknown },
): Promise<number> {
  const { spec, store, plan, layout } = await openRun(job, opts);
  if (opts.repair) {
    const r = await repairRun(store, layout, plan, spec.output.formats);
    process.stderr.write(
      `pagefleet: repair removed ${r.removed.length} uncommitted files, voided ${r.voided.length} committed files, fixed ${r.markers} landed markers` +
        `${r.voided.length ? ' (their pages are fetched again by a resume)' : ''}\n`,
    );
  }
  // redacted as a value before it is written or printed
  const redactor = new Redactor(spec.secrets);
  const st = redactor.redactValue(await computeStatus(store, layout, plan, spec.output.formats, { verifyRecords: !opts.quick }));
  await writeStatus(store, layout, st);
  if (opts.json) process.stdout.write(JSON.stringify(st) + '\n');
  else {
    process.stdout.write(
      formatSummary({
        status: st,
        exit_code: st.complete ? 0 : 1,
        elapsed_s: 0,
        pages_fetched: 0,
        pages_per_s: 0,
        retries: 0,
        warnings: 0,
        secret_echoes: 0,
        ...redactor.redactValue({
          landing: store.location,
          data_paths: spec.output.formats.map((f) => `${store.location}/${layout.dataDir(f)}`),
        }),
      }).replace(/\n {2}session .*\n/, '\n'),
    );
  }
  return st.complete ? 0 : 1;
}
