import { Layout } from '../landing/layout.js';
import { readJsonEntry } from '../landing/read-json-entry.js';
import type { Store } from '../landing/types.js';
import type { Plan } from '../plan/types.js';

/** A run's plan.json, or undefined when the run does not exist; a corrupt one is an error naming it. */
export function readPlan(store: Store, dataset: string, runId: string): Promise<Plan | undefined> {
  return readJsonEntry<Plan>(store, new Layout(dataset, runId, '').plan, { expected: "a run's plan JSON" });
}
