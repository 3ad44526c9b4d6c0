import type { Format } from '../format/types.js';

/** Page-number pagination: `?page=N`. The page space is `end`, or read from the first page. */
export interface PageStyle {
  style: 'page';
  param: string;
  start: number;
  end?: number;
  /** Dotted body path of the page count, e.g. `total_pages`. */
  totalPages?: string;
  /** Dotted body path of the record count, e.g. `total_results` (pages = ceil(total / page size)). */
  totalResults?: string;
  /** Header holding the record count, e.g. `X-Total-Count`. */
  totalHeader?: string;
  /** Read the last page number from the `Link` header's rel="last". */
  linkLast: boolean;
  /** Optional page-size param and value sent with every request. */
  sizeParam?: string;
  size?: number;
}

/** Offset/limit pagination: `?offset=O&limit=L`. */
export interface OffsetStyle {
  style: 'offset';
  param: string;
  limitParam: string;
  limit: number;
  start: number;
  /** Exclusive end offset, if known up front. */
  end?: number;
  total?: string;
  totalHeader?: string;
}

/** Cursor pagination: the next cursor comes from a body path and goes into `param`. */
export interface CursorStyle {
  style: 'cursor';
  param: string;
  next: string;
  limitParam?: string;
  limit?: number;
}

/** Next-link pagination: an absolute or relative URL from a body path, or a `Link` header rel="next". */
export interface LinkStyle {
  style: 'link';
  next?: string;
  header?: string;
}

export type Pagination = PageStyle | OffsetStyle | CursorStyle | LinkStyle;

/** Slices of one query: listed values of one param (a one-bound date range becomes such a list), or date windows. */
export type Slices = ValueSlices | WindowSlices;

export interface ValueSlices {
  kind: 'values';
  param: string;
  values: string[];
}

/** Windows [from, to] (inclusive days) sent in two params; the run's root windows are cut at plan time. */
export interface WindowSlices {
  kind: 'windows';
  fromParam: string;
  toParam: string;
  /** A date, or 'last': where the last complete run of the dataset ended, less `lookbackDays`. */
  from: string;
  /** Undefined: today (UTC) when the run is planned. */
  to?: string;
  /** Days per root window; undefined: one window from..to. */
  stepDays?: number;
  /** A window announcing more pages is split in halves, down to one day. */
  maxPages?: number;
  lookbackDays: number;
}

export interface Limits {
  /** Requests per second for the whole job, split evenly across executors. */
  rate: number;
  /** In-flight requests per executor. */
  concurrency: number;
  retries: number;
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  /** Total time of one attempt: connect, headers and the whole body (ms). */
  attemptDeadlineMs: number;
  maxRetryAfterMs: number;
  /** Largest response body buffered for one page (bytes); a larger one fails that page. */
  maxBodyBytes: number;
  /** Cap on the pages of one cursor/link chain (a guard against endless chains). */
  maxChainPages: number;
  /** Cap on the cursors/URLs one chain remembers to spot a loop (bounded memory). */
  maxSeenCursors: number;
}

export interface Output {
  root: string;
  formats: Format[];
  fileTargetBytes: number;
  /** A file is cut when its first page is this old, even below fileTargetBytes (milliseconds). */
  maxFileAgeMs: number;
  partitioning: 'contiguous' | 'stride';
  /** S3 client settings; anything unset comes from the AWS environment and credential chain. */
  s3: S3Settings;
}

export interface S3Settings {
  endpoint?: string;
  region?: string;
  forcePathStyle?: boolean;
  /** Files up to this size are one PutObject; larger ones a multipart upload in parts of this size. */
  partSizeBytes: number;
  /** Attempts per S3 request (the SDK's standard retry: 5xx, SlowDown, throttling, network errors). */
  maxAttempts: number;
}

export interface JobSpec {
  dataset: string;
  source: {
    url: string;
    headers: Record<string, string>;
    params: Record<string, string>;
    /** Dotted path to the record array; '' for a top-level array. */
    records: string;
    /** Origins a next link may point to (they never get credentials). */
    allowOrigins: string[];
  };
  pagination: Pagination;
  slices?: Slices;
  limits: Limits;
  output: Output;
  /** Values substituted from `${VAR}`: secrets to redact everywhere. */
  secrets: string[];
  /** Header names whose values held a `${VAR}`: credentials, stripped off-origin. */
  credentialHeaders: string[];
  /** What decides the page space and the records, as planned; a resume must match it (fingerprint.ts). */
  fingerprint: SpecFingerprint;
}

/**
 * Spec field path (`source.url`, `pagination`, ...) → its normalized value, defaults applied, `${VAR}`
 * templates kept as written so no secret is in it. Plain JSON: it is stored in plan.json.
 */
export type SpecFingerprint = Record<string, unknown>;
