import { ConfigError } from '../errors.js';
import { DEFAULT_ATTEMPT_DEADLINE_MS } from '../http/constants.js';
import { MAX_BODY_LIMIT_BYTES, MAX_DEADLINE_MS } from './constants.js';
import { s3Settings, type RawSpec } from './schema.js';
import { addDays, parseDuration, parseSize } from './units.js';

/**
 * Keys that may hold undefined become optional, so a spec built by hand (a test) may leave them out: the
 * types of src/spec/types.ts are what these functions return, not a second copy of the schema.
 */
type Optional<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: T[K];
};
const optional = <T extends object>(o: T): Optional<T> => o as Optional<T>;

/**
 * Turns the schema's output into a JobSpec (all but its fingerprint): camelCase, durations in ms, sizes in
 * bytes, one pagination style; and checks what a schema cannot express. Its return type is the JobSpec type.
 */
export function normalize(raw: RawSpec, secrets: string[], credentialHeaders: string[]) {
  const paging = pagination(raw.pagination);
  return optional({
    dataset: raw.dataset,
    source: {
      url: raw.source.url,
      headers: raw.source.headers,
      params: Object.fromEntries(Object.entries(raw.source.params).map(([k, v]) => [k, String(v)])),
      /** Dotted path to the record array; '' for a top-level array. */
      records: raw.source.records,
      /** Origins a next link may point to (they never get credentials). */
      allowOrigins: raw.source.allow_origins.map((u) => new URL(u).origin),
    },
    pagination: paging,
    slices: raw.slices && slices(raw.slices, paging.style),
    limits: limits(raw.limits),
    output: {
      root: raw.output.root,
      formats: [...new Set(raw.output.formats)],
      fileTargetBytes: parseSize(raw.output.file_target)!,
      /** A file is cut when its first page is this old, even below fileTargetBytes (milliseconds). */
      maxFileAgeMs: maxFileAge(raw.output.max_file_age),
      partitioning: raw.output.partitioning,
      /** S3 client settings; anything unset comes from the AWS environment and credential chain. */
      s3: s3(raw.output),
    },
    /** Values substituted from `${VAR}`: secrets to redact everywhere. */
    secrets,
    /** Header names whose values held a `${VAR}`: credentials, stripped off-origin. */
    credentialHeaders,
  });
}

function limits(l: RawSpec['limits']) {
  const timeout = parseDuration(l.timeout)!;
  return {
    /** Requests per second for the whole job, split evenly across executors. */
    rate: l.rate,
    /** In-flight requests per executor. */
    concurrency: l.concurrency,
    retries: l.retries,
    connectTimeoutMs: parseDuration(l.connect_timeout)!,
    headersTimeoutMs: timeout,
    /** Largest idle gap between two body chunks (ms). */
    bodyTimeoutMs: timeout,
    /** Total time of one attempt: connect, headers and the whole body (ms). */
    attemptDeadlineMs: deadline(l.deadline, l.timeout, timeout),
    maxRetryAfterMs: parseDuration(l.max_retry_after)!,
    /** Largest response body buffered for one page (bytes); a larger one fails that page. */
    maxBodyBytes: maxBody(l.max_body),
    /** Cap on the pages of one cursor/link chain (a guard against endless chains). */
    maxChainPages: l.max_chain_pages,
    /** Cap on the cursors/URLs one chain remembers to spot a loop (bounded memory). */
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

function s3(output: RawSpec['output']) {
  if (output.s3 && !/^s3a?:\/\//i.test(output.root)) {
    throw new ConfigError('output.s3', `only applies to an s3://bucket/prefix output.root, got ${output.root}`);
  }
  const raw = output.s3 ?? s3Settings.parse({});
  const partSizeBytes = parseSize(raw.part_size)!;
  if (partSizeBytes < MIN_PART_BYTES) {
    throw new ConfigError('output.s3.part_size', `expected at least 5MiB (the S3 minimum part size), got ${raw.part_size}`);
  }
  return optional({
    endpoint: raw.endpoint,
    region: raw.region,
    forcePathStyle: raw.force_path_style,
    /** Files up to this size are one PutObject; larger ones a multipart upload in parts of this size. */
    partSizeBytes,
    /** Attempts per S3 request (see S3RetryStrategy: 5xx, SlowDown, throttling, network errors). */
    maxAttempts: raw.max_attempts,
  });
}

function pagination(p: RawSpec['pagination']) {
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
    return optional({
      /** Page-number pagination: `?page=N`. The page space is `end`, or read from the first page. */
      style: 'page' as const,
      param: s.param,
      start: s.start,
      end: s.end,
      /** Dotted body path of the page count, e.g. `total_pages`. */
      totalPages: s.total_pages,
      /** Dotted body path of the record count, e.g. `total_results` (pages = ceil(total / page size)). */
      totalResults: s.total_results,
      /** Header holding the record count, e.g. `X-Total-Count`. */
      totalHeader: s.total_header,
      /** Read the last page number from the `Link` header's rel="last". */
      linkLast: s.link_last,
      /** Optional page-size param and value sent with every request. */
      sizeParam: s.size_param,
      size: s.size,
    });
  }
  if (p.offset) {
    const s = p.offset;
    if (s.end !== undefined && s.end < s.start) {
      throw new ConfigError('pagination.offset.end', `expected end >= start (${s.start}), got ${s.end}`);
    }
    if (s.end === undefined && !s.total && !s.total_header) {
      throw new ConfigError('pagination.offset', 'expected a way to end: end, total or total_header');
    }
    return optional({
      /** Offset/limit pagination: `?offset=O&limit=L`. */
      style: 'offset' as const,
      param: s.param,
      limitParam: s.limit_param,
      limit: s.limit,
      start: s.start,
      /** Exclusive end offset, if known up front. */
      end: s.end,
      total: s.total,
      totalHeader: s.total_header,
    });
  }
  if (p.cursor) {
    const s = p.cursor;
    // cursor pagination: the next cursor comes from a body path and goes into `param`
    return optional({ style: 'cursor' as const, param: s.param, next: s.next, limitParam: s.limit_param, limit: s.limit });
  }
  const s = p.link!;
  if (!s.next && !s.header) {
    throw new ConfigError('pagination.link', 'expected next (a body path) or header (such as link)');
  }
  // next-link pagination: an absolute or relative URL from a body path, or a `Link` header rel="next"
  return optional({ style: 'link' as const, next: s.next, header: s.header?.toLowerCase() });
}

/** Most root slices (values or windows) of a run. */
export const MAX_SLICES = 100_000;

function slices(s: NonNullable<RawSpec['slices']>, style: string) {
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
    return optional({
      /** Windows [from, to] (inclusive days) sent in two params; the run's root windows are cut at plan time. */
      kind: 'windows' as const,
      fromParam: s.from_param,
      toParam: s.to_param,
      /** A date, or 'last': where the last complete run of the dataset ended, less `lookbackDays`. */
      from: s.from,
      /** Undefined: today (UTC) when the run is planned. */
      to: s.to,
      /** Days per root window; undefined: one window from..to. */
      stepDays: days('step', s.step),
      /** A window announcing more pages is split in halves, down to one day. */
      maxPages: s.max_pages,
      lookbackDays: days('lookback', s.lookback) ?? 0,
    });
  }
  if (!s.param) throw new ConfigError('slices.param', 'required (or from_param and to_param for windows)');
  if (s.max_pages) throw new ConfigError('slices.max_pages', 'needs windows (from_param and to_param) to split');
  if (s.lookback || s.from === 'last') throw new ConfigError('slices.from', 'last needs windows (from_param and to_param)');
  if (s.values) {
    if (s.from || s.to) throw new ConfigError('slices', 'expected either values or from/to, not both');
    return { kind: 'values' as const, param: s.param, values: s.values.map(String) };
  }
  if (!s.from || !s.to) throw new ConfigError('slices', 'expected values, or both from and to');
  if (s.to < s.from) throw new ConfigError('slices.to', `expected a date on or after from (${s.from}), got ${s.to}`);
  const step = days('step', s.step) ?? 1;
  const values: string[] = [];
  for (let d = s.from; d <= s.to; d = addDays(d, step)) {
    if (values.length >= MAX_SLICES) throw new ConfigError('slices', `expected at most ${MAX_SLICES} slices`);
    values.push(d);
  }
  return { kind: 'values' as const, param: s.param, values };
}
