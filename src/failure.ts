/**
 * The one closed set of failures (docs/design.md, "Failure table"). Every failed attempt, failed page and
 * failed process is exactly one of these; what is done about it is read from FAILURES, nowhere else:
 * the HTTP client's retry decision (src/http/classify.ts), the error code a PagefleetError carries and the
 * process exit code (src/errors.ts), the ledger's `error_class` (src/executor/executor.ts), and how
 * status and report group failed pages (failureGroup).
 */

/** Process exit codes. A run's outcome (ok, failed pages, interrupted) is not an error of the process. */
export const EXIT_CODES = {
  ok: 0,
  failedPages: 1,
  badInput: 2,
  unavailable: 3,
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** Stable codes of PagefleetErrors; several failures share one (the code says how it ended, the failure why). */
export type ErrorCode =
  | 'PF_ERR_CONFIG'
  | 'PF_ERR_UNAVAILABLE'
  | 'PF_ERR_HTTP_STATUS'
  | 'PF_ERR_RETRY_EXHAUSTED'
  | 'PF_ERR_BODY'
  | 'PF_ERR_PAGINATION'
  | 'PF_ERR_CROSS_ORIGIN'
  | 'PF_ERR_WRITE';

export interface FailureRule {
  /** Another attempt can succeed: the HTTP client retries it with backoff while attempts remain. */
  retryable: boolean;
  /** The process's exit code when an error of this failure ends it. */
  exitCode: ExitCode;
  /** The code a PagefleetError of this failure carries. */
  code: ErrorCode;
  /** Its `error_class` in the ledger, as written since the first ledger (on-disk name, never renamed). */
  ledger: string;
}

const page = (retryable: boolean, code: ErrorCode, ledger: string): FailureRule => ({
  retryable,
  exitCode: EXIT_CODES.failedPages,
  code,
  ledger,
});

/**
 * One row per failure. The first eleven fail a page (the ledger records them and the run exits 1); the
 * last two end the process. An interrupt is no failure: the run stops cleanly and exits 130. The model is Airbyte's response-action / failure-type table.
 */
export const FAILURES = {
  /** 429, or a 503 with Retry-After: slow the rate governor down, wait, retry. */
  THROTTLING: page(true, 'PF_ERR_RETRY_EXHAUSTED', 'THROTTLING'),
  /** A 5xx other than 501 and 505: retry with backoff. */
  SERVER_ERROR: page(true, 'PF_ERR_RETRY_EXHAUSTED', 'SERVER_ERROR'),
  /** Connection reset, refused or closed early, a truncated body: retry with backoff. */
  TRANSIENT: page(true, 'PF_ERR_RETRY_EXHAUSTED', 'TRANSIENT'),
  /** Connect, headers or body timeout, a 408, or the attempt's deadline passed: retry with backoff. */
  TIMEOUT: page(true, 'PF_ERR_RETRY_EXHAUSTED', 'TIMEOUT'),
  /** A 2xx whose body is not JSON (an HTML error page, corrupt compression): retry, then fail. */
  BAD_BODY: page(true, 'PF_ERR_RETRY_EXHAUSTED', 'BAD_BODY'),
  /** A body larger than limits.max_body, raw or decoded: fail at once. */
  TOO_LARGE: page(false, 'PF_ERR_BODY', 'TOO_LARGE'),
  /**
   * The request cannot succeed as sent: a 3xx (redirects are not followed), a 4xx other than 408 and 429,
   * a 501 or 505, a status outside 100-599, or an error before an answer (DNS name unknown, TLS): fail at once.
   */
  CLIENT_ERROR: page(false, 'PF_ERR_HTTP_STATUS', 'CLIENT_ERROR'),
  /** A next link to an origin the spec does not allow; nothing was sent: fail at once. */
  CROSS_ORIGIN: page(false, 'PF_ERR_CROSS_ORIGIN', 'CROSS_ORIGIN'),
  /** A JSON body without the record array at source.records. */
  RECORDS: page(false, 'PF_ERR_BODY', 'BODY'),
  /** A loop guard fired (repeated cursor, endless chain, empty pages naming a next one) or no page count. */
  PAGINATION: page(false, 'PF_ERR_PAGINATION', 'PAGINATION'),
  /** A data or ledger file could not be written (the store retried on its own first). */
  WRITE: page(false, 'PF_ERR_WRITE', 'WRITE'),
  /** Bad spec, flag, env or event value: one line `<field>: <what was expected>`, nothing written. */
  CONFIG: { retryable: false, exitCode: EXIT_CODES.badInput, code: 'PF_ERR_CONFIG', ledger: 'CONFIG' },
  /** The API or the landing zone cannot be used at all; found before any page is fetched. */
  UNAVAILABLE: { retryable: false, exitCode: EXIT_CODES.unavailable, code: 'PF_ERR_UNAVAILABLE', ledger: 'UNAVAILABLE' },
} as const satisfies Record<string, FailureRule>;

export type Failure = keyof typeof FAILURES;

/** An `error_class` value of the ledger. */
export type LedgerFailureName = (typeof FAILURES)[Failure]['ledger'];

const BY_LEDGER_NAME: ReadonlyMap<string, Failure> = new Map(
  (Object.keys(FAILURES) as Failure[]).map((f) => [FAILURES[f].ledger, f]),
);

/** The failure a ledger's `error_class` names (any version's ledger); undefined when absent or unknown. */
export function failureOfLedgerName(name: string | undefined): Failure | undefined {
  return name === undefined ? undefined : BY_LEDGER_NAME.get(name);
}

/** The name a ledger `error_class` is shown under: its failure's ledger name, else as written, else UNKNOWN. */
export function failureName(errorClass: string | undefined): string {
  const known = failureOfLedgerName(errorClass);
  return known ? FAILURES[known].ledger : (errorClass ?? 'UNKNOWN');
}

/** `CLASS STATUS`: how status and report group failed attempts (the HTTP status only when there was one). */
export function failureGroup(errorClass: string | undefined, httpStatus?: number): string {
  return `${failureName(errorClass)}${httpStatus ? ` ${httpStatus}` : ''}`;
}
