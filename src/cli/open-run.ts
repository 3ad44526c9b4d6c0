import { ConfigError } from '../errors.js';
import { safeRunId } from '../job/identity.js';
import { readPlan } from '../job/read-plan.js';
import { Layout } from '../landing/layout.js';
import { openStore } from '../landing/open-store.js';
import type { Store } from '../landing/types.js';
import type { Plan } from '../plan/types.js';
import { loadSpec } from '../spec/load.js';
import type { JobSpec } from '../spec/types.js';
import { overridesFrom } from './flags.js';

/** A run that exists in the landing zone, as the commands that look at one (`status`, `report`) open it. */
export interface OpenedRun {
  spec: JobSpec;
  store: Store;
  plan: Plan;
  layout: Layout;
}

/** The job's spec and store, and the run `--run-id` names (default: the newest); exit 2 if there is none. */
export async function openRun(job: string, opts: { runId?: string; [k: string]: unknown }): Promise<OpenedRun> {
  const spec = await loadSpec(job, overridesFrom(opts));
  const store = await openStore(spec.output.root, spec.output.s3);
  const runId = opts.runId ? safeRunId(opts.runId) : await latestRun(store, spec.dataset);
  const plan = await readPlan(store, spec.dataset, runId);
  if (!plan) throw new ConfigError('--run-id', `no run ${runId} of dataset ${spec.dataset} in ${store.location}`);
  return { spec, store, plan, layout: new Layout(plan.dataset, plan.run_id, plan.ingest_date) };
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
