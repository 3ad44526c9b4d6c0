import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { safeRunId } from '../job/identity.js';
import { configErrorOf } from '../spec/config-error.js';
import type { SpecOverrides } from '../spec/load.js';

/** Whole numbers, also written as strings ("3"): events are often built by hand or by templates. */
const integer = z.preprocess((v) => (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v), z.number().int());
/** A flag's value, as the CLI would get it. */
const flagValue = z.union([z.string(), z.number()]).transform(String);

/** The event, checked field by field; a bad one is a ConfigError naming it (configErrorOf). */
const lambdaEventSchema = z
  .strictObject({
    job: z.union([z.string().refine((s) => s.trim() !== '', 'expected a spec file path or a spec object'), z.record(z.string(), z.unknown())]),
    run_id: z.string(),
    executor_index: integer,
    executors: integer.pipe(z.number().min(1)),
    overrides: z
      .strictObject({
        root: flagValue,
        formats: z.union([flagValue, z.array(z.string()).transform((list) => list.join(','))]),
        rate: flagValue,
        concurrency: flagValue,
        retries: flagValue,
        timeout: flagValue,
        file_target: flagValue,
        end: flagValue,
      })
      .partial()
      .nullish(),
  })
  .superRefine((e, ctx) => {
    if (e.executor_index < 0 || e.executor_index >= e.executors) {
      ctx.addIssue({ code: 'custom', path: ['executor_index'], message: `expected an index in 0..${e.executors - 1}, got ${e.executor_index}` });
    }
  });

export type LambdaEvent = z.input<typeof lambdaEventSchema>;
export type LambdaOverrides = NonNullable<LambdaEvent['overrides']>;

/** The event as the handler uses it. */
export interface ParsedEvent {
  job: string | Record<string, unknown>;
  runId: string;
  index: number;
  executors: number;
  overrides: SpecOverrides;
}

/** Checks a Lambda event (handler.ts documents it); a bad field is a one-line ConfigError naming it. */
export function parseEvent(event: unknown): ParsedEvent {
  if (!event || typeof event !== 'object' || Array.isArray(event)) {
    throw new ConfigError('event', 'expected an object with job, run_id, executor_index, executors');
  }
  const parsed = lambdaEventSchema.safeParse(event);
  if (!parsed.success) throw configErrorOf(parsed.error.issues[0], event);
  const e = parsed.data;
  let runId: string;
  try {
    runId = safeRunId(e.run_id);
  } catch (err) {
    throw err instanceof ConfigError ? err.renamed('run_id') : err;
  }
  const { file_target: fileTarget, ...same } = e.overrides ?? {};
  const overrides: SpecOverrides = fileTarget === undefined ? same : { ...same, fileTarget };
  return { job: e.job, runId, index: e.executor_index, executors: e.executors, overrides };
}
