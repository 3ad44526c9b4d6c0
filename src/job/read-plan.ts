import { Layout } from '../landing/layout.js';
import { readJsonEntry } from '../landing/read-json-entry.js';
import type { Store } from '../landing/types.js';
import type { Plan } from '../plan/types.js';

const STYLES: readonly string[] = ['page', 'offset', 'cursor', 'link'] satisfies Plan['style'][];

/** A run's plan.json, or undefined when the run does not exist; a corrupt one is an error naming it. */
export function readPlan(store: Store, dataset: string, runId: string): Promise<Plan | undefined> {
  return readJsonEntry(store, new Layout(dataset, runId, '').plan, { parse: asPlan, expected: "a run's plan" });
}

/** The fields every plan has (a plan without them would read as an empty, complete run). */
function asPlan(json: unknown): Plan {
  const p = (typeof json === 'object' && json !== null && !Array.isArray(json) ? json : {}) as Record<string, unknown>;
  for (const field of ['dataset', 'run_id', 'ingest_date'] as const) {
    if (typeof p[field] !== 'string') throw new TypeError(`${field} is not a string`);
  }
  if (!Number.isInteger(p.executors) || (p.executors as number) < 1) throw new TypeError('executors is not a positive integer');
  if (!STYLES.includes(p.style as string)) throw new TypeError(`style is not one of ${STYLES.join(', ')}`);
  return p as unknown as Plan;
}
