import { ConfigError } from '../errors.js';
import { DEFAULT_ATTEMPT_DEADLINE_MS } from '../http/constants.js';
import { MAX_BODY_LIMIT_BYTES, MAX_DEADLINE_MS } from './constants.js';
import { s3Settings, type RawSpec } from './schema.js';
import type { JobSpec, Limits, Pagination, Slices } from './types.js';
import { addDays, parseDuration, parseSize } from './units.js';

/** Turns a validated raw spec into a JobSpec (all but its fingerprint), checking what a schema cannot express. */
export function normalize(raw: RawSpec, secrets: string[], credentialHeaders: string[]): Omit<JobSpec, 'fingerprint'> {
  return {
    dataset: raw.dataset,
    source: {
      url: raw.source.url,
      headers: raw.source.headers,
      params: Object.fromEntries(Object.entries(raw.source.params).map(([k, v]) => [k, String(v)])),
      records: raw.source.records,
      allowOrigins: raw.source.allow_origins.map((u) => new URL(u).origin),
    },
    pagination: pagination(raw.pagination),
    slices: raw.slices && slices(raw.slices, Object.keys(raw.pagination).find((k) => (raw.pagination as Record<string, unknown>)[k]) as Pagination['style']),
    limits: limits(raw.limits),
    output: {
      root: raw.output.root,
      formats: [...new Set(raw.output.formats)],
      fileTargetBytes: parseSize(raw.output.file_target)!,
      maxFileAgeMs: maxFileAge(raw.output.max_file_age),
      partitioning: raw.output.partitioning,
      s3: s3(raw.output),
    },
    secrets,
    credentialHeaders,
  };
}

function limits(l: RawSpec['limits']): Limits {
  const timeout = parseDuration(l.timeout)!;
  return {
    rate: l.rate,
    concurrency: l.concurrency,
    retries: l.retries,
    connectTimeoutMs: parseDuration(l.connect_timeout)!,
    headersTimeoutMs: timeout,
    bodyTimeoutMs: timeout,
    attemptDeadlineMs: deadline(l.deadline, l.timeout, timeout),
    maxRetryAfterMs: parseDuration(l.max_retry_after)!,
    maxBodyBytes: maxBody(l.max_body),
    maxChainPages: l.max_chain_pages,
    maxSeenCursors: l.max_seen_cursors,
  };
}

/** `limits.deadline` bounds one whole attempt, so it can be no shorter than the headers timeout inside it. */
function deadline(written: string | number | undefined, timeoutAsWritten: string | number, timeoutMs: number): number {
  if (written === undefined) return Math.max(DEFAULT_ATTEMPT_DEADLINE_MS, timeoutMs);
  const ms = parseDuration(written)!;
  if (ms > MAX_DEADLINE_MS) {
    throw new ConfigError('limits.deadline', `expected at most ${MAX_DEADLINE_MS / 3_600_000}h, got ${written}`);
  }
  if (ms < timeoutMs) {
    throw new ConfigError('limits.deadline', `expected at least limits.timeout (${timeoutAsWritten}), got ${written}`);
  }
  return ms;
}

function maxBody(written: string | number): number {
  const bytes = parseSize(written)!;
  if (bytes > MAX_BODY_LIMIT_BYTES) {
    throw new ConfigError('limits.max_body', `expected at most ${MAX_BODY_LIMIT_BYTES / 1024 ** 3}GiB, got ${written}`);
  }
  return bytes;
}

/** Bounds of output.max_file_age: below a second files get tiny; above an hour readers wait too long. */
const MAX_FILE_AGE_RANGE_MS = [1_000, 3_600_000] as const;

function maxFileAge(raw: string | number): number {
  const ms = parseDuration(raw)!;
  const [lo, hi] = MAX_FILE_AGE_RANGE_MS;
  if (ms < lo || ms > hi) throw new ConfigError('output.max_file_age', `expected a duration from 1s to 1h, got ${raw}`);
  return ms;
}

const MIN_PART_BYTES = 5 * 1024 * 1024;

function s3(output: RawSpec['output']): JobSpec['output']['s3'] {
  if (output.s3 && !/^s3a?:\/\//i.test(output.root)) {
    throw new ConfigError('output.s3', `only applies to an s3://bucket/prefix output.root, got ${output.root}`);
  }
  const raw = output.s3 ?? s3Settings.parse({});
  const partSizeBytes = parseSize(raw.part_size)!;
  if (partSizeBytes < MIN_PART_BYTES) {
    throw new ConfigError('output.s3.part_size', `expected at least 5MiB (the S3 minimum part size), got ${raw.part_size}`);
  }
  return {
    endpoint: raw.endpoint,
    region: raw.region,
    forcePathStyle: raw.force_path_style,
    partSizeBytes,
    maxAttempts: raw.max_attempts,
  };
}

function pagination(p: RawSpec['pagination']): Pagination {
  if (p.page) {
    const s = p.page;
    if (s.end !== undefined && s.end < s.start) {
      throw new ConfigError('pagination.page.end', `expected end >= start (${s.start}), got ${s.end}`);
    }
    if (s.end === undefined && !s.total_pages && !s.total_results && !s.total_header && !s.link_last) {
      throw new ConfigError(
        'pagination.page',
        'expected a way to end: end, total_pages, total_results, total_header or link_last',
      );
    }
    return {
      style: 'page',
      param: s.param,
      start: s.start,
      end: s.end,
      totalPages: s.total_pages,
      totalResults: s.total_results,
      totalHeader: s.total_header,
      linkLast: s.link_last,
      sizeParam: s.size_param,
      size: s.size,
    };
  }
  if (p.offset) {
    const s = p.offset;
    if (s.end !== undefined && s.end < s.start) {
      throw new ConfigError('pagination.offset.end', `expected end >= start (${s.start}), got ${s.end}`);
    }
    if (s.end === undefined && !s.total && !s.total_header) {
      throw new ConfigError('pagination.offset', 'expected a way to end: end, total or total_header');
    }
    return {
      style: 'offset',
      param: s.param,
      limitParam: s.limit_param,
      limit: s.limit,
      start: s.start,
      end: s.end,
      total: s.total,
      totalHeader: s.total_header,
    };
  }
  if (p.cursor) {
    const s = p.cursor;
    return { style: 'cursor', param: s.param, next: s.next, limitParam: s.limit_param, limit: s.limit };
  }
  const s = p.link!;
  if (!s.next && !s.header) {
    throw new ConfigError('pagination.link', 'expected next (a body path) or header (such as link)');
  }
  return { style: 'link', next: s.next, header: s.header?.toLowerCase() };
}

/** Most root slices (values or windows) of a run. */
export const MAX_SLICES = 100_000;

function slices(s: NonNullable<RawSpec['slices']>, style: Pagination['style']): Slices {
  const days = (field: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    const n = Number(v.slice(0, -1));
    if (n < 1) throw new ConfigError(`slices.${field}`, 'expected at least 1d');
    return n;
  };
  if (s.from_param || s.to_param) {
    if (!s.from_param || !s.to_param) throw new ConfigError('slices', 'expected both from_param and to_param (windows bounded on both sides)');
    if (s.param || s.values) throw new ConfigError('slices', 'expected either param (with values or from/to) or from_param/to_param, not both');
    if (!s.from) throw new ConfigError('slices.from', 'required with from_param (a date YYYY-MM-DD, or last)');
    if (s.from !== 'last' && s.to && s.to < s.from) throw new ConfigError('slices.to', `expected a date on or after from (${s.from}), got ${s.to}`);
    if (s.lookback && s.from !== 'last') throw new ConfigError('slices.lookback', 'applies to from: last only');
    if (s.max_pages && style !== 'page' && style !== 'offset') {
      throw new ConfigError('slices.max_pages', `needs page or offset pagination (an announced page count), not ${style}`);
    }
    return { kind: 'windows', fromParam: s.from_param, toParam: s.to_param, from: s.from, to: s.to, stepDays: days('step', s.step), maxPages: s.max_pages, lookbackDays: days('lookback', s.lookback) ?? 0 };
  }
  if (!s.param) throw new ConfigError('slices.param', 'required (or from_param and to_param for windows)');
  if (s.max_pages) throw new ConfigError('slices.max_pages', 'needs windows (from_param and to_param) to split');
  if (s.lookback || s.from === 'last') throw new ConfigError('slices.from', 'last needs windows (from_param and to_param)');
  if (s.values) {
    if (s.from || s.to) throw new ConfigError('slices', 'expected either values or from/to, not both');
    return { kind: 'values', param: s.param, values: s.values.map(String) };
  }
  if (!s.from || !s.to) throw new ConfigError('slices', 'expected values, or both from and to');
  if (s.to < s.from) throw new ConfigError('slices.to', `expected a date on or after from (${s.from}), got ${s.to}`);
  const step = days('step', s.step) ?? 1;
  const values: string[] = [];
  for (let d = s.from; d <= s.to; d = addDays(d, step)) {
    if (values.length >= MAX_SLICES) throw new ConfigError('slices', `expected at most ${MAX_SLICES} slices`);
    values.push(d);
  }
  return { kind: 'values', param: s.param, values };
}
