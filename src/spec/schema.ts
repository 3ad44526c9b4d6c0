import { z } from 'zod';
import { DEFAULT_MAX_BODY_BYTES } from '../http/constants.js';
import { DEFAULT_MAX_SEEN_CURSORS, MAX_CONCURRENCY, MAX_SEEN_CURSORS } from './constants.js';
import { parseDuration, parseSize } from './units.js';

/** The job spec as written (YAML/JSON, snake_case). `normalize.ts` turns it into a JobSpec. */
const name = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'expected a parameter name');
const path = z.string().regex(/^[^.\s]+(\.[^.\s]+)*$/, 'expected a dotted path such as meta.next_cursor');
const positiveInt = z.number().int().positive();
const duration = z
  .union([z.string(), z.number()])
  .refine((v) => parseDuration(v) !== undefined, 'expected a duration such as 30s, 500ms or 2m');
const size = z
  .union([z.string(), z.number()])
  .refine((v) => parseSize(v) !== undefined, 'expected a size such as 64MiB or 1000000');
const scalar = z.union([z.string(), z.number(), z.boolean()]);

/** `output.s3`; its defaults also apply when the block is left out (normalize parses `{}`). */
export const s3Settings = z.strictObject({
  endpoint: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL such as http://127.0.0.1:9000' }).optional(),
  region: z.string().min(1).optional(),
  force_path_style: z.boolean().optional(),
  part_size: size.default('16MiB'),
  max_attempts: z.number().int().min(1).max(20).default(5),
});

const page = z.strictObject({
  param: name.default('page'),
  start: z.number().int().nonnegative().default(1),
  end: z.number().int().nonnegative().optional(),
  total_pages: path.optional(),
  total_results: path.optional(),
  total_header: z.string().optional(),
  link_last: z.boolean().default(false),
  size_param: name.optional(),
  size: positiveInt.optional(),
});

const offset = z.strictObject({
  param: name.default('offset'),
  limit_param: name.default('limit'),
  limit: positiveInt.default(100),
  start: z.number().int().nonnegative().default(0),
  end: z.number().int().nonnegative().optional(),
  total: path.optional(),
  total_header: z.string().optional(),
});

const cursor = z.strictObject({
  param: name,
  next: path,
  limit_param: name.optional(),
  limit: positiveInt.optional(),
});

const link = z.strictObject({ next: path.optional(), header: z.string().optional() });

/** Exactly one style key; `load.ts` checks "exactly one" before this schema runs. */
const pagination = z.strictObject({
  page: page.optional(),
  offset: offset.optional(),
  cursor: cursor.optional(),
  link: link.optional(),
});

/**
 * Slices cut one query into many (checked in normalize.ts): `param` + `values`; `param` + `from`/`to`/`step`
 * (one bound: the param gets each step's first day); or windows bounded on both sides, `from_param` +
 * `to_param` + `from`/`to`/`step`, which `max_pages` splits in halves while a window announces more pages.
 */
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD');
const days = z.string().regex(/^\d+d$/, 'expected a number of days such as 1d or 7d');
const slices = z.strictObject({
  param: name.optional(),
  values: z.array(scalar).min(1).optional(),
  from_param: name.optional(),
  to_param: name.optional(),
  from: z.union([date, z.literal('last')]).optional(),
  to: date.optional(),
  step: days.optional(),
  max_pages: positiveInt.optional(),
  lookback: days.optional(),
});

export const rawSpecSchema = z.strictObject({
  dataset: z.string().regex(/^[a-z0-9_]+$/, 'expected lower-case letters, digits and _ only'),
  source: z.strictObject({
    url: z.url({ protocol: /^https?$/, error: 'expected an absolute http(s) URL' }),
    headers: z.record(z.string(), z.string()).default({}),
    params: z.record(z.string(), scalar).default({}),
    records: z.union([z.literal(''), path]),
    allow_origins: z.array(z.url({ protocol: /^https?$/, error: 'expected an http(s) origin such as https://cdn.example.com' })).default([]),
  }),
  pagination,
  slices: slices.optional(),
  /** Every limit has a default; bounds of sizes and durations are checked in normalize.ts. */
  limits: z
    .strictObject({
      rate: z.number().positive().default(20),
      concurrency: positiveInt.max(MAX_CONCURRENCY).default(8),
      retries: z.number().int().nonnegative().default(6),
      /**
       * Headers and body (idle gap) timeouts. undici checks them on a coarse timer (about 0.5-1 s
       * resolution), so values below a second fire late; the connect timeout is exact.
       */
      timeout: duration.default('30s'),
      connect_timeout: duration.default('10s'),
      /** Unset: DEFAULT_ATTEMPT_DEADLINE_MS, or `timeout` when that is longer (normalize.ts). */
      deadline: duration.optional(),
      max_retry_after: duration.default('120s'),
      max_body: size.default(DEFAULT_MAX_BODY_BYTES),
      max_chain_pages: positiveInt.default(1_000_000),
      max_seen_cursors: positiveInt.max(MAX_SEEN_CURSORS).default(DEFAULT_MAX_SEEN_CURSORS),
    })
    .prefault({}),
  output: z
    .strictObject({
      root: z.string().min(1).default('./landing'),
      formats: z
        .array(z.enum(['parquet', 'ndjson']))
        .min(1)
        .default(['parquet', 'ndjson']),
      file_target: size.default('64MiB'),
      /** A file is also cut when its first page is this old, so a slow API's data reaches readers on time. */
      max_file_age: duration.default('60s'),
      partitioning: z.enum(['contiguous', 'stride']).default('contiguous'),
      s3: s3Settings.optional(),
    })
    .prefault({}),
});

export type RawSpec = z.infer<typeof rawSpecSchema>;
