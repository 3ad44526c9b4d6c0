import type { Store } from '../landing/types.js';
import { ConfigError } from '../errors.js';
import { Redactor } from '../http/redact.js';
import { Layout } from '../landing/layout.js';
import { openStore } from '../landing/open-store.js';
import { repairRun } from '../ledger/repair.js';
import { computeStatus, writeStatus } from '../ledger/status.js';
import { safeRunId } from '../job/identity.js';
import { readPlan } from '../job/read-plan.js';
import { loadSpec } from '../spec/load.js';
import { overridesFrom } from './flags.js';
import { formatSummary } from './summary.js';

/** `pagefleet status JOB [--run-id ID]`: landed / failed / missing per executor; exit 1 unless complete. */
export async function status(
  job: string,
  opts: { runId?: string; json?: boolean; repair?: boolean; quick?: boolean; [k: string]: unknown },
): Promise<number> {
  const spec = await loadSpec(job, overridesFrom(opts));
  const store = await openStore(spec.output.root, spec.output.s3);
  const runId = opts.runId ? safeRunId(opts.runId) : await latestRun(store, spec.dataset);
  const plan = await readPlan(store, spec.dataset, runId);
  if (!plan) throw new ConfigError('--run-id', `no run ${runId} of dataset ${spec.dataset} in ${store.location}`);
  const layout = new Layout(plan.dataset, plan.run_id, plan.ingest_date);
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

/** The newest run of a dataset (by plan creation time). */
export async function latestRun(store: Store, dataset: string): Promise<string> {
  let best: { id: string; at: string } | undefined;
  for (const key of await store.list(Layout.runsDir(dataset))) {
    const m = /run_id=([^/]+)\/plan\.json$/.exec(key);
    if (!m) continue;
    const plan = await readPlan(store, dataset, m[1]);
    if (plan && (!best || plan.created_at > best.at)) best = { id: m[1], at: plan.created_at };
  }
  if (!best) throw new ConfigError('--run-id', `no runs of dataset ${dataset} in ${store.location}`);
  return best.id;
}
