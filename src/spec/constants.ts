/** Upper bounds of the `limits` block: each keeps one resource of one executor finite. */

/** Largest `limits.concurrency` (requests in flight per executor). */
export const MAX_CONCURRENCY = 256;

/** Largest `limits.max_body` (bytes): 1 GiB, buffered once per request in flight. */
export const MAX_BODY_LIMIT_BYTES = 1024 ** 3;

/** Largest `limits.deadline` (milliseconds): one hour for one attempt. */
export const MAX_DEADLINE_MS = 3_600_000;

/** Default `limits.max_seen_cursors` (cursors or URLs remembered per chain to spot a loop). */
export const DEFAULT_MAX_SEEN_CURSORS = 100_000;

/** Largest `limits.max_seen_cursors` (cursors or URLs per chain). */
export const MAX_SEEN_CURSORS = 10_000_000;
