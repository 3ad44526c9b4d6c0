import type { SessionRecord } from '../ledger/sessions.js';
import type { RunStatus } from '../ledger/status.js';
import type { LedgerEntry } from '../ledger/types.js';
import type { Plan } from '../plan/types.js';

/** What the report reads from the landing zone, and nothing else (read-run.ts). */
export interface ReportInput {
  plan: Plan;
  /** `pagefleet status`'s own result for the run (computeStatus), never re-derived here. */
  status: RunStatus;
  ledger: LedgerEntry[];
  sessions: SessionRecord[];
  /** Valid commits (entry not voided, data file present), with the time each was committed. */
  commits: { format: string; file: string; bytes: number; records: number; pages: number; at: string; executor: number }[];
  /** The job's `limits.rate` (requests/s for the whole job), drawn as the ceiling of the rate chart. */
  rateLimit: number;
  /** The API endpoint, redacted; shown as text only. */
  sourceUrl: string;
  /** Where the landing zone is (a folder or s3://…), shown as text. */
  landing: string;
}

/** One point of a time series: seconds since the run's first event, and a value. */
export type Point = [t: number, value: number];

export interface Series {
  name: string;
  points: Point[];
}

/** A row of the failure table: one error class and HTTP status. */
export interface FailureRow {
  errorClass: string;
  httpStatus?: number;
  /** Attempts that were retried with this class and status. */
  retries: number;
  /** Pages whose last attempt failed with it and that have not landed (status's `failures`). */
  failedPages: number;
  /** The message of one such attempt (a failed one when there is one), redacted. */
  example: string;
}

export interface SlowPage {
  page: number;
  slice?: string;
  executor: number;
  durationMs: number;
  attempt: number;
  httpStatus?: number;
  records?: number;
}

export interface ExecutorRow {
  executor: number;
  planned: number;
  landed: number;
  failed: number;
  missing: number;
  taken: number;
  /** Landed pages in the ledger fetched by this executor. */
  fetched: number;
  sessions: { session: string; host: string; pid: number; from: number; to: number; ended: boolean }[];
}

export interface LatencyBin {
  /** Upper edge in ms (Infinity for the last bin). */
  upToMs: number;
  label: string;
  count: number;
}

/** Everything the HTML shows, already aggregated; renderReportHtml turns it into a page. */
export interface ReportData {
  runId: string;
  dataset: string;
  style: string;
  sourceUrl: string;
  landing: string;
  /** The first event of the run (ISO) and the span covered, in seconds. */
  startedAt: string;
  spanSeconds: number;
  generatedAt: string;
  complete: boolean;
  /** COMPLETE / INCOMPLETE and why, in one line. */
  outcome: string;
  totals: RunStatus['totals'];
  records: number;
  problems: string[];
  notes: string[];
  /** Bucket width of the time series (seconds). */
  bucketSeconds: number;
  pagesPerSecond: Series[];
  /** Requests started per second, every attempt counted, against `rateLimit`. */
  requestsPerSecond: Series;
  rateLimit: number;
  /** Cumulative files and bytes landed, per format. */
  filesLanded: Series[];
  bytesLanded: Series[];
  latency: LatencyBin[];
  latencyQuantiles: { p50: number; p90: number; p99: number; max: number };
  attempts: number;
  failures: FailureRow[];
  slowest: SlowPage[];
  executors: ExecutorRow[];
}
