import { Layout } from '../landing/layout.js';
import type { Store } from '../landing/types.js';
import { computeStatus } from '../ledger/status.js';
import type { Format } from '../format/types.js';
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
