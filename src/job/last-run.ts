import { Layout } from '../landing/layout.js';
import type { Store } from '../landing/types.js';
import { computeStatus } from '../ledger/status.js';
import type { Format } from '../format/types.js';
import type { JobSpec } from '../spec/types.js';
import { readPlan } from './read-plan.js';

/**
 * Where the last complete run of a dataset ended: the last day of its windows (`slices.from: last`). Runs
 * are tried newest window first; the first whose status is complete (every page landed once) counts.
 */
export async function lastCompleteEnd(store: Store, dataset: string, formats: Format[]): Promise<string | undefined> {
  const runs = [];
  for (const key of await store.list(Layout.runsDir(dataset))) {
    const m = /run_id=([^/]+)\/plan\.json$/.exec(key);
    const plan = m && (await readPlan(store, dataset, m[1]));
    const windows = plan?.slices?.windows?.list;
    if (plan && windows?.length) runs.push({ plan, end: windows[windows.length - 1].to });
  }
  for (const { plan, end } of runs.sort((a, b) => b.end.localeCompare(a.end))) {
    const status = await computeStatus(store, new Layout(plan.dataset, plan.run_id, plan.ingest_date), plan, formats);
    if (status.complete) return end;
  }
  return undefined;
}

/** The end of the last complete run, when the spec's windows start from `last` (else undefined). */
export async function lastEndFor(spec: JobSpec, store: Store): Promise<string | undefined> {
  if (spec.slices?.kind !== 'windows' || spec.slices.from !== 'last') return undefined;
  return lastCompleteEnd(store, spec.dataset, spec.output.formats);
}
