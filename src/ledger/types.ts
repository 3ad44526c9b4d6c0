import type { Clock } from '../clock.js';
import type { BackoffOptions } from '../http/backoff.js';
import type { LedgerFailureName } from '../failure.js';

/**
 * One JSON line per page attempt (docs/design.md, "The ledger"): a contract read by `status` and
 * spark/reader.py --report.
 */
export interface LedgerEntry {
  run_id: string;
  dataset: string;
  executor: number;
  /** Page id: the page number (page style), the page ordinal (offset style), or slice*CHAIN_SPAN+position (chains). */
  page: number;
  /** Chains only: the slice value ('' without slices) and the cursor or URL that fetched this page (redacted). */
  slice?: string;
  cursor?: string;
  attempt: number;
  status: 'landed' | 'failed' | 'retrying';
  http_status?: number;
  /** The failure's ledger name (src/failure.ts); a ledger of any version holds only names of that table. */
  error_class?: LedgerFailureName;
  error?: string;
  records?: number;
  bytes?: number;
  started_at: string;
  duration_ms: number;
  files?: string[];
  /** Set when a loop guard or count check noticed something odd but the page still landed. */
  warning?: string;
}

/**
 * A commit record, written under `_pagefleet/<dataset>/run_id=<run>/commits/<format>/` BEFORE its data
 * file. It states which pages the file holds; the pages count as landed only once the file exists.
 */
export interface CommitRecord {
  file: string;
  format: string;
  executor: number;
  pages: number[];
  records: number;
  bytes: number;
  committed_at: string;
  /** Chains: the next cursor/URL after each page in `pages` (same order), so a chain resumes after its last landed page. */
  next?: (string | null)[];
}

/** Chain page ids are `sliceIndex * CHAIN_SPAN + position`, so slices never collide. */
export const CHAIN_SPAN = 10_000_000;

/** How a ledger segment put is retried (see LEDGER_PUT_RETRY for the defaults and their units). */
export interface LedgerRetryOptions extends BackoffOptions {
  /** Puts of one segment, the first included, before a flush rejects. */
  attempts: number;
}

/** Optional knobs of a LedgerWriter; the defaults suit production. */
export interface LedgerWriterOptions {
  /** Sleeps between put attempts; tests pass a FakeClock. */
  clock?: Clock;
  /** Jitter source in [0, 1). */
  random?: () => number;
  /** Names this writer's session (the segment keys' prefix); defaults to the clock's now. */
  now?: Date;
  retry?: LedgerRetryOptions;
}
