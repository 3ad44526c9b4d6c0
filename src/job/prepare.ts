import { systemClock } from '../clock.js';
import { ConfigError } from '../errors.js';
import { DatasetSchema } from '../executor/dataset-schema.js';
import { inferSchema } from '../format/schema.js';
import { Redactor } from '../http/redact.js';
import { Layout } from '../landing/layout.js';
import { openStore } from '../landing/open-store.js';
import type { Store } from '../landing/types.js';
import { createPagination } from '../pagination/create.js';
import type { PaginationStrategy } from '../pagination/types.js';
import { discover } from '../plan/discover.js';
import type { Plan } from '../plan/types.js';
import { loadSpec, specFromObject, type SpecOverrides } from '../spec/load.js';
import type { JobSpec } from '../spec/types.js';
import { checkResumeSpec } from './check-resume.js';
import { clientFor, governorOf } from './client.js';
import { discoverInsideSlots } from './discovery-share.js';
import { lastEndFor } from './last-run.js';
import { readPlan } from './read-plan.js';

export interface PreparedRun {
  spec: JobSpec;
  store: Store;
  plan: Plan;
  layout: Layout;
  strategy: PaginationStrategy;
  redactor: Redactor;
  /** True when this call created the plan (a new run), false when it resumed an existing one. */
  created: boolean;
}

/**
 * Everything before the first page: spec (exit 2 on bad input), the run's plan if it exists (a resume,
 * whose spec must be the one it was planned with: exit 2), the dataset's schema.json (exit 2 when it is
 * not a Spark schema), landing zone preflight (exit 3), then for a new run the plan, discovered with one
 * request and written create-once. A resume writes nothing, not even the preflight's probe, before its
 * spec is checked; a new run nothing but that probe before the API has answered.
 */
export async function prepareRun(
  job: string | Record<string, unknown>,
  overrides: SpecOverrides,
  opts: {
    runId: string;
    executors: number;
    discoverIfMissing?: boolean;
    /** Given (one executor per process, e.g. a pod): discovery runs inside the rate slots (discovery-share.ts). */
    executorIndex?: number;
  },
): Promise<PreparedRun> {
  const spec = typeof job === 'string' ? await loadSpec(job, overrides) : specFromObject(job, overrides);
  const redactor = new Redactor(spec.secrets);
  const store = await openStore(spec.output.root, spec.output.s3);
  const strategy = createPagination(spec);
  const existing = await existingPlan(store, spec.dataset, opts.runId);
  // a corrupt schema.json stops the run here, before anything is written (every executor loads it later)
  const datasetSchema = new DatasetSchema(store, new Layout(spec.dataset, opts.runId, ''));
  if (existing) {
    const resumed = finish(spec, store, existing, strategy, redactor, false, opts.executors);
    await datasetSchema.load();
    await store.preflight();
    return resumed;
  }
  await datasetSchema.load();
  await store.preflight();
  if (opts.discoverIfMissing === false) {
    throw new ConfigError('--run-id', `run ${opts.runId} of dataset ${spec.dataset} has no plan in ${store.location}`);
  }
  const client = clientFor(spec, opts.executors, redactor.fn);
  let found;
  // the discovery session's end (discovery-share.ts), written while the plan is: awaited before returning
  let discoveryEnded: Promise<void> = Promise.resolve();
  try {
    const lastEnd = await lastEndFor(spec, store);
    const plan = () => discover(spec, strategy, client, { runId: opts.runId, executors: opts.executors, now: new Date(), lastEnd });
    if (opts.executorIndex === undefined) found = await plan();
    else {
      const inSlots = await discoverInsideSlots(
        { store, dataset: spec.dataset, runId: opts.runId, executors: opts.executors, executor: opts.executorIndex, jobRate: spec.limits.rate, governor: governorOf(spec, opts.executors), clock: systemClock },
        plan,
      );
      found = inSlots.found;
      discoveryEnded = inSlots.ended;
    }
  } finally {
    await client.close();
  }
  try {
    return await writePlan(spec, store, strategy, redactor, datasetSchema, found, opts);
  } finally {
    await discoveryEnded;
  }
}

/** Writes a discovered plan create-once, or takes the one another executor wrote first (then returns it). */
async function writePlan(
  spec: JobSpec,
  store: Store,
  strategy: PaginationStrategy,
  redactor: Redactor,
  datasetSchema: DatasetSchema,
  found: Awaited<ReturnType<typeof discover>>,
  opts: { runId: string; executors: number },
): Promise<PreparedRun> {
  const { plan } = found;
  const layout = new Layout(spec.dataset, opts.runId, plan.ingest_date);
  const ours = JSON.stringify(plan, null, 1);
  const created = await store.put(layout.plan, ours, { ifAbsent: true });
  // Another executor of the same run planned first: use its plan so all agree on the page space. The
  // read-back also covers servers whose If-None-Match is not atomic (two "winners": the last write counts).
  const stored = (await readPlan(store, spec.dataset, opts.runId))!;
  if (!created || JSON.stringify(stored, null, 1) !== ours) {
    return finish(spec, store, stored, strategy, redactor, false, opts.executors);
  }
  await datasetSchema.seed(inferSchema(found.sample));
  return finish(spec, store, plan, strategy, redactor, true, opts.executors);
}

/** The run's plan, if any. If it cannot be read, the preflight names what is wrong with the store (exit 3). */
async function existingPlan(store: Store, dataset: string, runId: string): Promise<Plan | undefined> {
  try {
    return await readPlan(store, dataset, runId);
  } catch (err) {
    await store.preflight();
    throw err;
  }
}

function finish(
  spec: JobSpec,
  store: Store,
  plan: Plan,
  strategy: PaginationStrategy,
  redactor: Redactor,
  created: boolean,
  executors: number,
): PreparedRun {
  if (plan.executors !== executors) {
    throw new ConfigError('--executors', `run ${plan.run_id} was planned for ${plan.executors} executors, got ${executors}`);
  }
  checkResumeSpec(plan, spec);
  return { spec, store, plan, layout: new Layout(plan.dataset, plan.run_id, plan.ingest_date), strategy, redactor, created };
}

