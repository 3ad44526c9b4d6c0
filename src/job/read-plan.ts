import { Layout } from '../landing/layout.js';
import type { Store } from '../landing/types.js';
import type { Plan } from '../plan/types.js';

/** A run's plan.json, or undefined when the run does not exist. */
export async function readPlan(store: Store, dataset: string, runId: string): Promise<Plan | undefined> {
  const bytes = await store.get(new Layout(dataset, runId, '').plan);
  return bytes ? (JSON.parse(Buffer.from(bytes).toString('utf8')) as Plan) : undefined;
}
