/** Live counters of one executor, read by the progress bar and written into the summary. */
export interface ExecutorStats {
  executor: number;
  /** Pages this executor owns in the plan (chains: pages discovered so far). */
  pagesPlanned: number;
  /** Pages that had already landed when this session started. */
  pagesAlreadyLanded: number;
  /** Pages fetched by this session (response in, records extracted); they land once their files are committed. */
  pagesFetched: number;
  /** Records of the fetched pages. */
  recordsFetched: number;
  pagesLanded: number;
  pagesFailed: number;
  records: number;
  bytes: number;
  files: number;
  retries: number;
  warnings: number;
  /** Pages whose records hold a secret the API echoed (kept as sent, with a ledger warning). */
  secretEchoes: number;
  startedAt: number;
  /** Blocks of other executors' partitions this session took (they had not started, or their session was gone). */
  blocksTaken: number;
  /** Records in one-day windows beyond the API's page cap (slices.max_pages): they cannot be fetched. */
  unreachableRecords: number;
  /**
   * Longest time between two consecutive request starts (ms) once the first page has been fetched: fetching
   * stalled for that long. The first `concurrency` requests leave together and the next waits for the first
   * answer, which in a process just started also waits for its code to warm up: that is start-up (see
   * startupCpuS), not a stall.
   */
  maxRequestGapMs: number;
  /** Longest event-loop block seen while the executor ran (ms), set at the end. */
  maxEventLoopBlockMs?: number;
  /** CPU-seconds the process had used when its first request started (start-up cost). */
  startupCpuS?: number;
  /** Resident memory of the process when its first request started (MiB). */
  startupRssMiB?: number;
  /** Most rate slots this session held at once (rate-share.ts), set at the end. */
  rateSlotsMax?: number;
  /** The session's mean rate share from start to end (requests/s), set at the end. */
  rateShareMean?: number;
  /** Peak resident memory of the executor process (MiB), set at the end. */
  maxRssMiB?: number;
}

export function newStats(executor: number, now: number): ExecutorStats {
  return {
    executor,
    pagesPlanned: 0,
    pagesAlreadyLanded: 0,
    pagesFetched: 0,
    recordsFetched: 0,
    pagesLanded: 0,
    pagesFailed: 0,
    records: 0,
    bytes: 0,
    files: 0,
    retries: 0,
    warnings: 0,
    secretEchoes: 0,
    blocksTaken: 0,
    unreachableRecords: 0,
    maxRequestGapMs: 0,
    startedAt: now,
  };
}
