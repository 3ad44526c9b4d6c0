import type { normalize } from './normalize.js';

/**
 * The job spec as the code uses it. Nothing here is written by hand: the zod schema (schema.ts) is the one
 * source of fields and defaults (its output is RawSpec), and JobSpec is what normalize.ts makes of that
 * output (camelCase, durations in ms, sizes in bytes), its fields documented there.
 */
export type JobSpec = ReturnType<typeof normalize> & {
  /** What decides the page space and the records, as planned; a resume must match it (fingerprint.ts). */
  fingerprint: SpecFingerprint;
};

export type Pagination = JobSpec['pagination'];
export type PageStyle = Extract<Pagination, { style: 'page' }>;
export type OffsetStyle = Extract<Pagination, { style: 'offset' }>;
export type CursorStyle = Extract<Pagination, { style: 'cursor' }>;
export type LinkStyle = Extract<Pagination, { style: 'link' }>;

export type S3Settings = JobSpec['output']['s3'];

/**
 * Spec field path (`source.url`, `pagination`, ...) → its normalized value, defaults applied, `${VAR}`
 * templates kept as written so no secret is in it. Plain JSON: it is stored in plan.json.
 */
export type SpecFingerprint = Record<string, unknown>;
