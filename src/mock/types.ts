/** Public and internal types of the demo API (src/mock). */

/** Options of `startMockApi`. Every rate is a fraction 0..1 of requests; see MOCK_DEFAULTS. */
export interface MockApiOptions {
  /** TCP port; 0 = ephemeral. */
  port: number;
  host: string;
  /** Catalogue size (records). */
  size: number;
  /** Page size of the page style; default `limit` of offset, cursor and link styles. */
  perPage: number;
  seed: number;
  /** Added to every response, in milliseconds (plus up to `latencyJitterMs`, seeded). */
  latencyMs: number;
  latencyJitterMs: number;
  /** Fraction of requests answered 500/502/503 (seeded per page + attempt). */
  errorRate: number;
  /** Requests/s of a token bucket (burst = max(1, rateLimit)); 0 = off. Excess gets 429 + Retry-After. */
  rateLimit: number;
  /** Send Retry-After as an HTTP-date instead of delta-seconds. */
  retryAfterDate: boolean;
  /** Fraction of requests whose socket is destroyed without a response. */
  resetRate: number;
  /** Fraction answered 200 with half the body (Content-Length of the full body), then the socket destroyed. */
  truncateRate: number;
  /** Fraction answered 200 text/html "<html>Service busy</html>". */
  htmlRate: number;
  /** Body written in two chunks this many milliseconds apart (0 = off). */
  slowBodyMs: number;
  /** 0 = off; on pages > this, `vote_count` is a string and a `tagline` field appears. */
  driftAfterPage: number;
  /**
   * 0 = off; every N data requests answered with records, one record is inserted at the head of the catalogue
   * (position-based styles then repeat a record on a later page; the keyset /link style does not).
   */
  insertEvery: number;
  /**
   * Page cap of the /discover routes (pages): `total_pages` reports at most this many, a later page gets
   * TMDB's 400 "Invalid page" (status_code 22), and /discover/offset refuses offset + limit > maxPages * perPage.
   */
  maxPages: number;
  /**
   * 0 = off. Otherwise records with id > baseSize are "added" records, dated after `addedAfter` in id order
   * (ADDED_PER_DAY a day); records up to baseSize are exactly those of a catalogue of size baseSize.
   */
  baseSize: number;
  /** `YYYY-MM-DD` that every added record is released after (only with `baseSize`). */
  addedAfter: string;
  /** If set, data requests need `Authorization: Bearer <token>` or get 401. */
  requireToken?: string;
  /** If set, data requests need this query parameter with exactly this (decoded) value or get 401. */
  requireParam?: { name: string; value: string };
  /**
   * If set, every record carries the request's value of this query parameter (decoded) as field `echo`:
   * an API that echoes a credential back into its data.
   */
  echoParam?: string;
  /** If set, /link `next` URLs on page 2+ point at this other origin. */
  crossOriginNext?: string;
}

export interface MockStats {
  /** Requests to data routes (everything but /_stats and /_health). */
  requests: number;
  /** Count per status code sent ("200", "429", ...); "reset" = socket destroyed without a response. */
  byStatus: Record<string, number>;
  /** Data requests that carried an Authorization header. */
  authorizationSeen: number;
}

export interface MockApi {
  /** e.g. `http://127.0.0.1:40123` (no trailing slash). */
  url: string;
  close(): Promise<void>;
  stats(): MockStats;
}

/** One generated catalogue record (TMDB popular-movie shape plus a few extra fields). */
export interface MovieRecord {
  adult: boolean;
  backdrop_path: string | null;
  genre_ids: number[];
  id: number;
  original_language: string;
  original_title: string;
  overview: string;
  popularity: number;
  poster_path: string | null;
  release_date: string;
  title: string;
  video: boolean;
  vote_average: number;
  /** A string on drifted pages. */
  vote_count: number | string;
  updated_at: string;
  production: { budget: number; revenue: number; countries: string[] };
  keywords: (string | null)[];
  /** Only on drifted pages. */
  tagline?: string;
  /** Only with `echoParam`: the request's value of that query parameter. */
  echo?: string;
}

/** An ordered run of catalogue records, by position: what a route pages through. */
export interface RecordSequence {
  readonly length: number;
  /** Catalogue index of the record at `pos` (0 <= pos < length). */
  indexAt(pos: number): number;
}

/**
 * The incremental-runs scheme (options `baseSize`, `addedAfter`): records with index >= `baseIndex` are
 * "added" ones, dated from the day after `afterDay` on (see ADDED_PER_DAY).
 */
export interface AddedRecords {
  baseIndex: number;
  /** Day number (days since 1970-01-01) that every added record is dated after. */
  afterDay: number;
}

/** A response before it is written (faults may still replace or mangle it). */
export interface RouteResult {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What a data route hands to the server: the fault key plus a deferred body. */
export interface DataRequest {
  /** Identifies "the same page" for fault draws, e.g. `page|page=3&per_page=100`. */
  faultKey: string;
  render(): RouteResult;
}

/** A fault picked for one request; at most one per request. */
export type Fault =
  | { kind: 'none' }
  | { kind: 'error'; status: 500 | 502 | 503 }
  | { kind: 'reset' }
  | { kind: 'truncate' }
  | { kind: 'html' };
