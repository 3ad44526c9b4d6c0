import { ConfigError } from '../errors.js';
import type { Plan } from '../plan/types.js';
import { describeChange, fingerprintChanges } from '../spec/fingerprint-diff.js';
import type { JobSpec } from '../spec/types.js';

const NEW_RUN = 'start a new run (omit --run-id or pass a new one)';

/**
 * A resume runs the spec it was planned with: throws ConfigError (exit 2) naming every changed field
 * with its planned and current value, or saying the plan is too old to tell. Reads nothing, writes nothing.
 */
export function checkResumeSpec(plan: Plan, spec: JobSpec): void {
  if (!plan.fingerprint) {
    throw new ConfigError(
      '--run-id',
      `run ${plan.run_id} was planned by an older pagefleet (plan version ${plan.version} has no spec fingerprint to check a resume against); ${NEW_RUN}`,
    );
  }
  const changes = fingerprintChanges(plan.fingerprint, spec.fingerprint);
  if (changes.length === 0) return;
  throw new ConfigError(
    'spec',
    `run ${plan.run_id} was planned with a different spec (${changes.map(describeChange).join('; ')}); resume it with the spec it was planned with, or ${NEW_RUN}`,
  );
}
