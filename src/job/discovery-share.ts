import type { Clock } from '../clock.js';
import { RateShare } from '../executor/rate-share.js';
import type { RateGovernor } from '../http/rate-governor.js';
import { Layout } from '../landing/layout.js';
import type { Store } from '../landing/types.js';
import { slotCountFor } from '../ledger/rate-slots.js';
import { Heartbeat, LivenessJudge, newSessionId } from '../ledger/sessions.js';

/**
 * Runs a run's discovery (its first request) inside the rate slots, as a short session of its own.
 *
 * Needed when executors are started one per pod (`--executor-index I`): a pod that finds no plan
 * discovers, while pods that started earlier may already be fetching at the whole job rate. Inside the
 * slots the discovery waits for its fair share like any session, so the job's rate holds. (A local
 * `ingest --executors N` discovers before it starts any executor: nothing can overlap there, and it does
 * not come here.) The session's record says `role: discovery`, so status does not count it as an
 * executor's session; it ends, releasing its slots for good, as soon as the plan is known.
 *
 * Returns the discovery's result as soon as it has one, with `ended`: the session's end, still being written
 * (it never rejects). The governor is at 0 before this returns, so the caller may write the plan meanwhile
 * (a new run's first executor waited for these writes before its plan, 20-50 ms of the whole job rate on a
 * busy machine); it awaits `ended` before its executor starts, which then claims the slots at once.
 */
export async function discoverInsideSlots<T>(
  args: { store: Store; dataset: string; runId: string; executors: number; executor: number; jobRate: number; governor: RateGovernor; clock: Clock },
  discover: () => Promise<T>,
): Promise<{ found: T; ended: Promise<void> }> {
  const { store, clock, executor } = args;
  // control keys do not depend on the ingest date, which only the plan knows
  const layout = new Layout(args.dataset, args.runId, '');
  const session = newSessionId(executor);
  const heartbeat = new Heartbeat(store, layout, clock, session, executor, undefined, 'discovery');
  await heartbeat.start();
  const share = new RateShare({
    store,
    layout,
    clock,
    judge: new LivenessJudge(store, layout, clock),
    session,
    slots: slotCountFor(args.executors),
    jobRate: args.jobRate,
    target: args.governor,
    sessionsEveryMs: heartbeat.leaseMs / 4,
  });
  // share.end lowers the governor to 0 before it returns a promise: from then on the slots are free by either
  // write, its releases or the record's end, so both go at once (the executor that planned claims them next)
  const end = () => Promise.all([share.end(), heartbeat.end().catch(() => {})]).then(() => undefined);
  let found: T;
  try {
    await share.start();
    found = await discover();
  } catch (err) {
    await end();
    throw err;
  }
  return { found, ended: end() };
}
