import { ConfigError } from '../errors.js';

export interface ExecutorIdentity {
  /** Undefined: run all executors on this machine. */
  index?: number;
  count: number;
}

/**
 * Executor index and count (docs/design.md, "Contract of the CLI"): flags (which commander already
 * merged with PAGEFLEET_EXECUTOR_INDEX / PAGEFLEET_EXECUTORS), else JOB_COMPLETION_INDEX (Kubernetes
 * Indexed Job, count from the flag/env), else AWS_BATCH_JOB_ARRAY_INDEX / AWS_BATCH_JOB_ARRAY_SIZE.
 */
export function resolveIdentity(
  flags: { executors?: string; executorIndex?: string },
  env: NodeJS.ProcessEnv = process.env,
): ExecutorIdentity {
  let countRaw = flags.executors;
  let indexRaw = flags.executorIndex;
  let indexField = '--executor-index';
  if (indexRaw === undefined && env.JOB_COMPLETION_INDEX !== undefined) {
    indexRaw = env.JOB_COMPLETION_INDEX;
    indexField = 'JOB_COMPLETION_INDEX';
  } else if (indexRaw === undefined && env.AWS_BATCH_JOB_ARRAY_INDEX !== undefined) {
    indexRaw = env.AWS_BATCH_JOB_ARRAY_INDEX;
    indexField = 'AWS_BATCH_JOB_ARRAY_INDEX';
    countRaw ??= env.AWS_BATCH_JOB_ARRAY_SIZE;
  }
  const count = countRaw === undefined ? 1 : integer('--executors', countRaw);
  if (count < 1) throw new ConfigError('--executors', `expected an integer >= 1, got ${countRaw}`);
  if (indexRaw === undefined) return { count };
  if (countRaw === undefined) {
    throw new ConfigError('--executors', `expected the executor count with ${indexField} (executors must agree on N)`);
  }
  const index = integer(indexField, indexRaw);
  if (index < 0 || index >= count) {
    throw new ConfigError(indexField, `expected an index in 0..${count - 1}, got ${indexRaw}`);
  }
  return { index, count };
}

function integer(field: string, raw: string): number {
  if (!/^\s*-?\d+\s*$/.test(raw)) throw new ConfigError(field, `expected an integer, got "${raw}"`);
  return Number(raw);
}

/** A run id users can read and sort: 20261125T130501Z-a1b2. */
export function newRunId(now: Date, random: () => number = Math.random): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
  return `${stamp}-${Math.floor(random() * 0xffff).toString(16).padStart(4, '0')}`;
}

/**
 * Run ids become path segments (`run_id=<id>`) that Hadoop must parse, so characters other than
 * letters, digits, `_`, `.` and `-` are replaced by `-`. Deterministic, so executors given the same raw
 * id (say Airflow's `manual__2026-01-01T00:00:00+00:00`) still agree.
 */
export function safeRunId(raw: string): string {
  const id = raw.trim().replace(/[^A-Za-z0-9_.-]/g, '-');
  if (!id || id.length > 200 || /^[._]/.test(id)) {
    throw new ConfigError('--run-id', 'expected 1-200 characters, not starting with . or _');
  }
  return id;
}
